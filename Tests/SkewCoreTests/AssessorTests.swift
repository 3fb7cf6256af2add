import Foundation
import Testing
@testable import SkewCore

struct AssessorTests {
    let today = CalendarDate(year: 2026, month: 11, day: 25)

    func assess(_ apiservers: [String], _ nodes: [NodeFacts], target: String? = nil, today: CalendarDate? = nil) -> ClusterAssessment {
        let ctx = AssessmentContext(today: today ?? self.today, target: target.flatMap(TargetChoice.init(argument:)) ?? .intended)
        return Assessor(context: ctx).assess(ClusterFacts(apiserverVersions: apiservers, nodes: nodes))
    }

    // DESIGN.md §1: control plane at 1.33.3, node01 at 1.33.2 → patch-behind, supported, one pass, exit status 3.
    @Test func designExample() throws {
        let a = assess(["v1.33.3"], [
            NodeFacts(name: "cp-1", isControlPlane: true, kubeletVersion: "v1.33.3", kubeProxyVersion: "v1.33.3"),
            NodeFacts(name: "node01", kubeletVersion: "v1.33.2", kubeProxyVersion: "v1.33.2"),
        ])
        let node01 = try #require(a.nodes.first { $0.name == "node01" })
        #expect(node01.kubelet.verdict == .patchBehind)
        #expect(node01.kubelet.supported)
        #expect(node01.hops.map(\.version.description) == ["v1.33.3"])
        #expect(!node01.risks.contains { $0.kind == .drainRequired }, "a patch upgrade needs no drain by policy")
        #expect(a.counts[.behind] == 1 && a.counts[.current] == 1)
        #expect(a.exitStatus == 3)
    }

    @Test func allCurrentWithoutRisksExitsZero() {
        // 1.35.9 is supported until 2027-02-28 and has no known CVE in the table.
        let a = assess(["v1.35.9"], [NodeFacts(name: "n", kubeletVersion: "v1.35.9", kubeProxyVersion: "v1.35.9")])
        #expect(a.nodes[0].risks.isEmpty)
        #expect(a.exitStatus == 0)
    }

    @Test func unsupportedExitsTwo() {
        let a = assess(["v1.33.3"], [NodeFacts(name: "old", kubeletVersion: "v1.29.15")])
        #expect(a.nodes[0].verdict == .tooOld)
        #expect(a.nodes[0].bucket == .unsupported)
        #expect(a.exitStatus == 2)
    }

    @Test(arguments: ["v1.33.3; rm -rf /", "", "latest", "v1.33"])
    func unparsableVersionIsUnknownWithReason(raw: String) {
        let a = assess(["v1.33.3"], [
            NodeFacts(name: "bad", kubeletVersion: raw),
            NodeFacts(name: "good", kubeletVersion: "v1.33.3"),
        ])
        #expect(a.nodes[0].verdict == .unknown)
        #expect(!a.nodes[0].kubelet.judgement.reason.isEmpty)
        #expect(a.nodes[1].verdict == .current, "the rest of the report goes on")
        #expect(a.counts[.unknown] == 1)
        #expect(a.nodes[0].hops.isEmpty)
    }

    @Test func missingKubeletVersionIsUnknown() {
        let a = assess(["v1.33.3"], [NodeFacts(name: "n", kubeletVersion: nil)])
        #expect(a.nodes[0].kubelet.judgement == Judgement(.unknown, "kubelet version not reported"))
    }

    @Test func cveRiskNamesTheFixInTheSameMinor() throws {
        let a = assess(["v1.33.3"], [NodeFacts(name: "node02", kubeletVersion: "v1.30.9")])
        let cve = try #require(a.nodes[0].risks.first { $0.kind == .cve })
        #expect(cve.id == "CVE-2025-0426")
        #expect(cve.fixedIn == KubeVersion.parse("v1.30.10"))
        // The control plane's own exposure: kube-apiserver 1.33.3 < 1.33.4 (CVE-2025-5187).
        #expect(a.controlPlane.risks.contains { $0.id == "CVE-2025-5187" && $0.fixedIn == KubeVersion.parse("v1.33.4") })
    }

    @Test func endOfLifeDependsOnTheDay() {
        let before = assess(["v1.35.9"], [NodeFacts(name: "n", kubeletVersion: "v1.34.9")], today: CalendarDate(year: 2026, month: 10, day: 1))
        #expect(!before.nodes[0].risks.contains { $0.kind == .eol })
        let after = assess(["v1.35.9"], [NodeFacts(name: "n", kubeletVersion: "v1.34.9")], today: CalendarDate(year: 2026, month: 10, day: 28))
        #expect(after.nodes[0].risks.contains { $0.kind == .eol })
    }

    // Issue 13: a risk of the whole cluster is said once. The end of life of the control plane's minor is the control
    // plane's risk; a node carries only the end of life of a minor of its own.
    @Test func controlPlaneEndOfLifeIsSaidOnce() throws {
        let a = assess(["v1.33.3"], [
            NodeFacts(name: "cp-1", isControlPlane: true, kubeletVersion: "v1.33.3"),
            NodeFacts(name: "node01", kubeletVersion: "v1.33.2"),
            NodeFacts(name: "node02", kubeletVersion: "v1.32.7"),
        ])
        #expect(a.controlPlane.risks.filter { $0.kind == .eol }.count == 1)
        let byName = Dictionary(uniqueKeysWithValues: a.nodes.map { ($0.name, $0) })
        #expect(byName["cp-1"]?.risks.contains { $0.kind == .eol } == false)
        #expect(byName["node01"]?.risks.contains { $0.kind == .eol } == false)
        let own = try #require(byName["node02"]?.risks.first { $0.kind == .eol })
        #expect(own.detail.hasPrefix("Kubernetes 1.32 reached end of life"))
        #expect(a.exitStatus == 3, "the control plane's end of life still counts")
        // HA on two minors past end of life: one risk for each.
        let ha = assess(["v1.33.3", "v1.32.13"], [NodeFacts(name: "n", kubeletVersion: "v1.32.13")])
        #expect(ha.controlPlane.risks.filter { $0.kind == .eol }.count == 2)
        #expect(!ha.nodes[0].risks.contains { $0.kind == .eol })
    }

    // "Before performing a minor version `kubelet` upgrade, drain pods from that node."
    @Test func minorUpgradeRequiresDrain() throws {
        let a = assess(["v1.33.3"], [NodeFacts(name: "n", kubeletVersion: "v1.32.9")])
        let drain = try #require(a.nodes[0].risks.first { $0.kind == .drainRequired })
        #expect(drain.detail == PolicyText.drainBeforeMinor)
    }

    // "Running a cluster with `kubelet` instances that are persistently three minor versions behind `kube-apiserver`
    // means they must be upgraded before the control plane can be upgraded."
    @Test func threeMinorsBehindBlocksTheControlPlane() {
        let three = assess(["v1.33.3"], [NodeFacts(name: "n", kubeletVersion: "v1.30.14")])
        #expect(three.nodes[0].verdict == .minorBehind)
        #expect(three.nodes[0].risks.contains { $0.kind == .blocksCPUpgrade })
        let two = assess(["v1.33.3"], [NodeFacts(name: "n", kubeletVersion: "v1.31.14")])
        #expect(!two.nodes[0].risks.contains { $0.kind == .blocksCPUpgrade })
    }

    @Test func managedNodesAreRefused() throws {
        let a = assess(["v1.30.4-eks-a737599"], [NodeFacts(name: "ip-10-0-1-1", kubeletVersion: "v1.30.2-eks-1552ad0")])
        let n = a.nodes[0]
        #expect(n.distribution == .eks)
        #expect(n.risks.contains { $0.kind == .managed })
        #expect(n.pathProblem == .managed(.eks))
        #expect(n.hops.isEmpty)
        // An AKS node pool's VM (its name and labels; azure:// alone is any Azure VM, see AzureDistributionTests).
        let aks = assess(["v1.33.3"], [NodeFacts(name: "aks-nodepool1-12345678-vmss000000", kubeletVersion: "v1.33.2",
                                                 providerID: "azure:///subscriptions/x", labels: ["kubernetes.azure.com/agentpool": "nodepool1"])])
        #expect(aks.nodes[0].distribution == .aks)
    }

    // "it is recommended that you match the kubeadm version with the versions of the control plane components,
    // kube-proxy and kubelet."
    @Test func kubeadmMismatchIsARisk() {
        let a = assess(["v1.33.3"], [NodeFacts(name: "n", kubeletVersion: "v1.33.2", kubeadmVersion: "v1.33.3")])
        let risk = a.nodes[0].risks.first { $0.kind == .kubeadmMismatch }
        // kubeadm goes first in the node procedure: kubeadm ahead of the kubelet is an upgrade that stopped.
        #expect(risk?.detail == "upgrade half-finished: kubeadm at v1.33.3, kubelet at v1.33.2")
        #expect(a.nodes[0].kubeadm?.verdict == .current)
        let behind = assess(["v1.33.3"], [NodeFacts(name: "n", kubeletVersion: "v1.33.3", kubeadmVersion: "v1.33.2")])
        #expect(behind.nodes[0].risks.first { $0.kind == .kubeadmMismatch }?.detail.contains(PolicyText.kubeadmMatch) == true)
    }

    // "kubeadm can be used with Kubernetes components that are the same version as kubeadm or one version older."
    // Issue 13: the node's kubeadm is judged by kubeadm's rules. That verdict is kubeadm's own: the node's skew verdict,
    // its count and the exit status are the skew policy's, of the kubelet and kube-proxy it runs (a worker a minor
    // behind the control plane, with the kubeadm of its minor, is in policy; its upgrade installs kubeadm first).
    @Test func kubeadmVerdictUsesKubeadmsRules() {
        let a = assess(["v1.33.3"], [
            NodeFacts(name: "old", kubeletVersion: "v1.32.9", kubeadmVersion: "v1.30.9"),
            NodeFacts(name: "ahead", kubeletVersion: "v1.33.3", kubeadmVersion: "v1.34.0"),
        ])
        let old = a.nodes[0], ahead = a.nodes[1]
        #expect(old.kubeadm?.verdict == .tooOld)
        #expect(old.verdict == .minorBehind && old.bucket == .behind)
        #expect(ahead.kubeadm?.verdict == .current)
        #expect(ahead.bucket == .current)
        #expect(ahead.risks.first { $0.kind == .kubeadmMismatch }?.detail == "upgrade half-finished: kubeadm at v1.34.0, kubelet at v1.33.3")
        #expect(a.exitStatus == 3)
    }

    // Issue 13: a kubelet version of `banana` was badged "managed: unrecognised distribution". It is `unknown`, with its
    // raw text kept, no managed badge, and no upgrade path (nor "nothing to do").
    @Test func unreadableKubeletVersionIsUnknownNotManaged() {
        let a = assess(["v1.33.3"], [NodeFacts(name: "n", kubeletVersion: "banana")])
        let n = a.nodes[0]
        #expect(n.verdict == .unknown)
        #expect(n.kubelet.raw == "banana")
        #expect(n.kubelet.judgement.reason.contains("\"banana\" is not a version"))
        #expect(n.distribution == .vanilla)
        #expect(!n.risks.contains { $0.kind == .managed })
        #expect(n.pathProblem == .kubeletVersionUnknown(reason: n.kubelet.judgement.reason))
    }

    @Test func haControlPlaneOutOfPolicyExitsTwo() {
        let a = assess(["v1.33.3", "v1.31.14"], [NodeFacts(name: "n", kubeletVersion: "v1.31.14")])
        #expect(a.controlPlane.verdict == .apiserverSkew)
        #expect(a.exitStatus == 2)
    }

    // "`kubelet` must not be newer than `kube-apiserver`": a target past the control plane is accepted, but the
    // node's plan waits for the control plane (the hops are shown, the node is not upgradable).
    @Test func targetNewerThanAPIServerMeansControlPlaneFirst() {
        let a = assess(["v1.33.3"], [NodeFacts(name: "n", kubeletVersion: "v1.33.2")], target: "v1.34.0")
        #expect(a.targetProblem == nil)
        #expect(a.target?.description == "v1.34.0" && a.targetSource == .explicit)
        #expect(a.nodes[0].pathProblem == .controlPlaneFirst(target: KubeVersion.parse("v1.34.0")!))
        #expect(a.nodes[0].pathProblem?.description == "the control plane must reach v1.34.0 first: kubeskew plan --cluster --target v1.34.0")
        #expect(a.nodes[0].hops.map(\.version.description) == ["v1.34.0"])
        #expect(!a.nodes[0].isUpgradable)
        #expect(a.nodes[0].kubelet.verdict == .minorBehind, "behind is measured against the target")
    }

    @Test func oldDataIsReported() {
        let fresh = assess(["v1.33.3"], [], today: CalendarDate(year: 2026, month: 12, day: 1))
        #expect(fresh.notes.isEmpty)
        let stale = assess(["v1.33.3"], [], today: CalendarDate(year: 2027, month: 3, day: 15))
        #expect(stale.notes.count == 2)
        #expect(stale.notes[0].contains("more than 6 months old"))
    }

    @Test func emptyClusterIsAValidReport() {
        let a = assess(["v1.35.9"], [])
        #expect(a.nodes.isEmpty)
        #expect(a.exitStatus == 0)
    }
}

/// The embedded copies of Assets/data must be the files themselves (scripts/embed-assets keeps them in step).
struct EmbeddedDataTests {
    @Test(arguments: ["releases.json", "advisories.json", "removed-apis.json"])
    func embeddedMatchesAssets(file: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let onDisk = try String(contentsOf: root.appendingPathComponent("Assets/data/\(file)"), encoding: .utf8)
        let embedded = try #require(EmbeddedData.files[file])
        #expect(embedded + "\n" == onDisk || embedded == onDisk, "run scripts/embed-assets")
    }

    @Test func embeddedDataParsesAndCarriesItsDate() {
        let calendar = ReleaseCalendar.embedded()
        #expect(calendar.release(MinorLine(major: 1, minor: 33))?.endOfLife == CalendarDate("2026-06-28"))
        #expect(calendar.dataTakenOn == CalendarDate("2026-09-15"))
        let advisories = Advisories.embedded()
        #expect(advisories.advisories.contains { $0.id == "CVE-2025-5187" })
    }

    @Test func operatorDataFileErrorsNameTheField() {
        let broken = Data(#"{"dataTakenOn": "2026-09-15", "source": "x", "releases": [{"minor": "1.33"}]}"#.utf8)
        do {
            _ = try ReleaseCalendar.decode(broken, origin: "mine.json")
            Issue.record("accepted a release without dates")
        } catch let e as DataFileError {
            #expect(e.description.hasPrefix("mine.json: releases[0]."))
            #expect(e.description.hasSuffix("is missing"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
