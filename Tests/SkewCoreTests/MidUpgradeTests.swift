import Testing
@testable import SkewCore

/// Issue 12: an HA control plane caught in the middle of an upgrade, and targets past the control plane.
struct MidUpgradeTests {
    let today = CalendarDate(year: 2026, month: 11, day: 25)

    func v(_ s: String) -> KubeVersion { KubeVersion.parse(s)! }

    func staticPods(_ byNode: [(String, String)]) -> [ComponentFacts] {
        byNode.flatMap { node, version in
            ["kube-apiserver", "kube-controller-manager", "kube-scheduler"].map { ComponentFacts(name: $0, version: version, node: node) }
                + [ComponentFacts(name: "etcd", version: "3.5.21-0", node: node)]
        }
    }

    func assess(_ cp: [(String, String)], kubeadm: String?, nodes: [NodeFacts], target: TargetChoice = .intended) -> ClusterAssessment {
        let facts = ClusterFacts(apiserverVersions: cp.map(\.1), components: staticPods(cp), kubeadmClusterVersion: kubeadm, nodes: nodes)
        return Assessor(context: AssessmentContext(today: today, target: target)).assess(facts)
    }

    /// The issue's cluster: cp-1 at v1.33.3, cp-2 at v1.32.9, kubeadm-config v1.33.3, workers at v1.32.9 and v1.33.2.
    var issueCluster: ClusterAssessment {
        assess([("cp-1", "v1.33.3"), ("cp-2", "v1.32.9")], kubeadm: "v1.33.3", nodes: [
            NodeFacts(name: "cp-1", isControlPlane: true, kubeletVersion: "v1.33.3"),
            NodeFacts(name: "cp-2", isControlPlane: true, kubeletVersion: "v1.32.9"),
            NodeFacts(name: "node01", kubeletVersion: "v1.32.9"),
            NodeFacts(name: "node02", kubeletVersion: "v1.33.2"),
        ])
    }

    // The bug: the oldest API server was the target, node01 was `current` and node02 "cannot upgrade … kubeskew does
    // not downgrade nodes". The target is where the control plane is going; cp-2 must finish first.
    @Test func theWayForwardIsToFinishTheControlPlane() throws {
        let a = issueCluster
        #expect(a.target == v("v1.33.3") && a.targetSource == .kubeadmConfig)
        #expect(a.controlPlane.pendingUpgrade == [
            PendingControlPlaneUpgrade(node: "cp-2", from: v("v1.32.9"), to: v("v1.33.3"), command: "sudo kubeadm upgrade node"),
        ], "kubeadm-config says v1.33.3: `apply` ran on cp-1, cp-2 needs `upgrade node`")
        let node01 = try #require(a.nodes.first { $0.name == "node01" })
        #expect(node01.kubelet.verdict == .minorBehind, "behind is measured against the target")
        #expect(node01.kubelet.judgement.reason.contains("the target v1.33.3"))
        #expect(node01.hops.map(\.version) == [v("v1.33.3")])
        #expect(node01.pathProblem == .controlPlaneFirst(target: v("v1.33.3")))
        let node02 = try #require(a.nodes.first { $0.name == "node02" })
        #expect(node02.pathProblem == .controlPlaneFirst(target: v("v1.33.3")), "not a downgrade: the way forward is up")
        #expect(node02.hops.map(\.version) == [v("v1.33.3")])
    }

    // "`kubelet` must not be newer than `kube-apiserver`." with "If version skew exists between `kube-apiserver`
    // instances in an HA cluster, this narrows the allowed `kubelet` versions.": a kubelet at the target is still
    // newer than cp-2's API server.
    @Test func verdictsKeepThePolicyExactly() throws {
        let a = issueCluster
        let node02 = try #require(a.nodes.first { $0.name == "node02" })
        #expect(node02.kubelet.verdict == .newerThanAPIServer)
        #expect(node02.kubelet.judgement.policy?.hasPrefix(PolicyText.kubeletNotNewer) == true)
        let cp1 = try #require(a.nodes.first { $0.name == "cp-1" })
        #expect(cp1.kubelet.verdict == .newerThanAPIServer, "equal to the target, newer than the oldest API server")
        #expect(SkewPolicy.kubelet(v("v1.33.3"), apiservers: APIServerSet([v("v1.33.3"), v("v1.32.9")])!, target: v("v1.33.3")).verdict
                == .newerThanAPIServer)
    }

    // [UPG] 1b/1c: the first control-plane node runs `kubeadm upgrade apply`, the others `kubeadm upgrade node`;
    // "kubeadm can upgrade only 1 minor version at a time".
    @Test func aTargetPastTheControlPlaneStartsWithApplyOnTheFirstNode() throws {
        let next = try #require(ReleaseCalendar.embedded().release(MinorLine(major: 1, minor: 34))?.newestPatch)
        let a = assess([("cp-1", "v1.33.3"), ("cp-2", "v1.33.3")], kubeadm: "v1.33.3",
                       nodes: [NodeFacts(name: "node01", kubeletVersion: "v1.33.3")], target: .nextMinor)
        #expect(a.target == next && a.targetSource == .nextMinor)
        #expect(a.controlPlane.pendingUpgrade.map(\.command) == ["sudo kubeadm upgrade apply \(next)", "sudo kubeadm upgrade node"])
        #expect(a.controlPlane.pendingUpgrade.map(\.node) == ["cp-1", "cp-2"])
        #expect(a.nodes[0].kubelet.verdict == .minorBehind)
        #expect(a.nodes[0].pathProblem?.description == "the control plane must reach \(next) first: kubeskew plan --cluster --target \(next)")

        let twoMinors = assess([("cp-1", "v1.32.9")], kubeadm: "v1.32.9", nodes: [], target: .version(next))
        let hop = try #require(ReleaseCalendar.embedded().release(MinorLine(major: 1, minor: 33))?.newestPatch)
        #expect(twoMinors.controlPlane.pendingUpgrade == [
            PendingControlPlaneUpgrade(node: "cp-1", from: v("v1.32.9"), to: hop, command: "sudo kubeadm upgrade apply \(hop)"),
        ], "one minor at a time")
    }

    @Test func aControlPlaneAtTheTargetHasNothingPending() {
        let a = assess([("cp-1", "v1.33.3"), ("cp-2", "v1.33.3")], kubeadm: "v1.33.3", nodes: [])
        #expect(a.controlPlane.pendingUpgrade.isEmpty)
        #expect(a.targetSource == .kubeadmConfig)
        let noConfig = assess([("cp-1", "v1.33.3"), ("cp-2", "v1.32.9")], kubeadm: nil, nodes: [])
        #expect(noConfig.target == v("v1.33.3") && noConfig.targetSource == .newestAPIServer)
        #expect(noConfig.controlPlane.pendingUpgrade.map(\.node) == ["cp-2"], "without kubeadm-config the newest node ran apply")
    }

    // "Ensure that components are on the most recent patch version of your current minor version.": behind is
    // measured against the target, including one the operator lowered.
    @Test func behindIsMeasuredAgainstALoweredTarget() {
        let a = assess([("cp-1", "v1.33.3")], kubeadm: "v1.33.3", nodes: [
            NodeFacts(name: "at", kubeletVersion: "v1.33.2"),
            NodeFacts(name: "below", kubeletVersion: "v1.33.1"),
        ], target: .version(v("v1.33.2")))
        #expect(a.nodes[0].kubelet.verdict == .current)
        #expect(a.nodes[1].kubelet.verdict == .patchBehind)
        #expect(a.nodes[1].kubelet.judgement.reason.contains("behind the target v1.33.2"))
        #expect(a.controlPlane.pendingUpgrade.isEmpty)
    }
}
