@testable import KubeskewCLI
import SkewCore
import Testing
import Upgrade

/// Issue 14: "the cluster plan review lists them as blockers of the hop that removes them, each acknowledged on its
/// own, with the replacement API". A removal belongs to the first control-plane hop whose minor reaches it.
struct APIRemovalBlockersTests {
    static func v(_ text: String) -> KubeVersion { KubeVersion.parse(text)! }

    static func member(_ name: String, _ kubelet: String, cp: Bool) -> ClusterPlanner.Member {
        ClusterPlanner.Member(name: name, kubelet: v(kubelet), isControlPlane: cp, apiserver: cp ? v(kubelet) : nil,
                              stackedEtcd: cp, packageManager: .apt)
    }

    static func finding(_ group: String, _ version: String, _ kind: String, removedIn: String?, _ severity: APIFinding.Severity = .removed,
                        evidence: [APIEvidence]) -> APIFinding {
        APIFinding(group: group, version: version, kind: kind, severity: severity, removedIn: removedIn.flatMap(MinorLine.init),
                   deprecatedIn: nil, replacement: "\(group)/v1", replacementAvailableIn: MinorLine("1.29"), note: nil, evidence: evidence)
    }

    @Test func eachRemovalIsABlockerOfTheHopThatRemovesItAndDeprecationsAreNotes() throws {
        // Two hops: 1.31 → 1.32 → 1.33.
        let plan = try ClusterPlanner().plan(members: [Self.member("cp-1", "v1.31.14", cp: true), Self.member("cp-2", "v1.31.14", cp: true),
                                                       Self.member("node01", "v1.31.14", cp: false)],
                                             clusterVersion: Self.v("v1.31.14"), target: Self.v("v1.33.3"))
        let report = APIRemovalReport(
            from: MinorLine("1.31")!, to: MinorLine("1.33")!,
            findings: [
                Self.finding("flowcontrol.apiserver.k8s.io", "v1beta3", "FlowSchema", removedIn: "1.32", evidence: [.requested(apiserver: "cp-1")]),
                Self.finding("extensions", "v1beta1", "Ingress", removedIn: "1.22",
                             evidence: [.lastApplied(kind: "Ingress", namespace: "shop", name: "storefront")]),
                Self.finding("resource.k8s.io", "v1alpha9", "Thing", removedIn: "1.33", evidence: [.warning(text: "gone soon")]),
                Self.finding("", "v1", "Endpoints", removedIn: nil, .deprecated, evidence: [.requested(apiserver: "cp-1")]),
            ],
            read: ["/metrics of 2 API servers"], gaps: ["Secrets cannot be listed by viewer: Helm releases were not checked"])
        let attached = ClusterPlanning.attaching(report, to: plan)
        let cpPhases = attached.phases.filter { $0.kind == .controlPlane }
        #expect(cpPhases.map(\.version.minor) == [32, 33])
        let firstHop = cpPhases[0].nodes[0], secondHop = cpPhases[1].nodes[0]
        #expect(firstHop.node == "cp-1" && secondHop.node == "cp-1")
        #expect(firstHop.blockers.map(\.object) == ["flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema", "extensions/v1beta1 Ingress"],
                "a version removed before the control plane's minor, named by a stored manifest, goes to the first hop")
        #expect(secondHop.blockers.map(\.object) == ["resource.k8s.io/v1alpha9 Thing"])
        #expect(firstHop.blockers.allSatisfy { $0.kind == .removedAPIInUse })
        #expect(firstHop.blockers[1].advice == "extensions/v1beta1 Ingress removed in 1.22; use extensions/v1 (since 1.29): last applied: Ingress shop/storefront")
        // Nothing else carries them: other nodes, workers, other phases.
        #expect(attached.phases.flatMap(\.nodes).filter { !$0.blockers.isEmpty }.count == 2)
        #expect(attached.notes.contains { $0.hasPrefix("API v1 Endpoints deprecated; use") })
        #expect(attached.notes.contains("API removals not checked: Secrets cannot be listed by viewer: Helm releases were not checked"))
        #expect(attached.notes.contains("API versions the hop 1.31 → 1.33 removes, looked for in: /metrics of 2 API servers"))
        // Each is acknowledged on its own: a review that saw the first does not accept the second.
        let reviewed = ReviewedBlockers(attached)
        #expect(reviewed.contains(node: "cp-1", firstHop.blockers[0]))
        #expect(!reviewed.contains(node: "cp-1", Blocker(kind: .removedAPIInUse, object: "batch/v1beta1 CronJob", advice: "")))
    }

    @Test func withoutAHopNothingIsAttached() throws {
        let plan = try ClusterPlanner().plan(members: [Self.member("cp-1", "v1.31.14", cp: true), Self.member("node01", "v1.31.13", cp: false)],
                                             clusterVersion: Self.v("v1.31.14"), target: Self.v("v1.31.14"))
        #expect(ClusterPlanning.attaching(nil, to: plan) == plan)
    }

    @Test func theResourcesListedForLastAppliedAreTheReplacementsOnceEachWithoutReviewsOrEvents() {
        let resources = APIUsageScan.resourcesToList(table: .embedded(), target: MinorLine("1.32")!)
        let names = resources.map(\.display)
        #expect(names.contains("ingresses.networking.k8s.io"))
        #expect(names.contains("flowschemas.flowcontrol.apiserver.k8s.io"))
        #expect(names.contains("poddisruptionbudgets.policy"))
        #expect(names.contains("deployments.apps"))
        #expect(!names.contains { $0.contains("reviews") || $0.hasPrefix("events.") })
        #expect(Set(names).count == names.count)
        #expect(resources.first { $0.resource == "ingresses" }.map { "\($0.group) \($0.versions)" } == "networking.k8s.io [\"v1\"]")
        // FlowSchemas once, at v1 first (the replacement of v1beta3, removed in 1.32), then v1beta2 for older servers.
        #expect(resources.first { $0.resource == "flowschemas" }?.versions == ["v1", "v1beta2"])
    }
}

/// The advertise endpoints kubeadm writes on the kube-apiserver pods, read for the per-instance /metrics.
struct AdvertiseEndpointTests {
    @Test(arguments: [("10.0.0.2:6443", "10.0.0.2", 6443), ("[fd00::2]:6443", "fd00::2", 6443),
                      ("cp-2.example.com:443", "cp-2.example.com", 443)])
    func endpointsAsKubeadmWritesThem(endpoint: String, host: String, port: Int) throws {
        let parsed = try #require(APIUsageScan.hostAndPort(ofEndpoint: endpoint))
        #expect(parsed.host == host && parsed.port == port)
    }

    @Test(arguments: ["10.0.0.2", "10.0.0.2:", "10.0.0.2:0", "10.0.0.2:70000", "evil/path:6443", "a b:6443", "fd00::2:6443", ":6443"])
    func anythingElseIsNoEndpoint(endpoint: String) {
        #expect(APIUsageScan.hostAndPort(ofEndpoint: endpoint) == nil)
    }

    @Test func theKubeconfigsHostMatchesItsInstanceWithOrWithoutBrackets() {
        #expect(APIUsageScan.endpoint("[fd00::2]:6443", isOn: "fd00::2"))
        #expect(APIUsageScan.endpoint("[fd00::2]:6443", isOn: "[fd00::2]"))
        #expect(APIUsageScan.endpoint("10.0.0.2:6443", isOn: "10.0.0.2"))
        #expect(!APIUsageScan.endpoint("10.0.0.21:6443", isOn: "10.0.0.2"))
    }
}
