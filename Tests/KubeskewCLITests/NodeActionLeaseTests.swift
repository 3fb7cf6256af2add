import Foundation
import KubeClient
import KubeModel
import NodeExec
import Testing
import TestSupport
import TUI
import Upgrade
@testable import KubeskewCLI

/// The dashboard's single actions under the node's Lease, against `kubeskew sim` with the real kubectl: a node
/// another kubeskew holds is refused with its holder and kubectl never runs on it; a free node's action takes
/// the Lease for its duration and gives it up after.
@Suite(.serialized) struct NodeActionLeaseTests {
    @Test func aNodeAnotherKubeskewHoldsIsRefusedAndAFreeOneIsHeldWhileItsActionRuns() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo"])
        defer { sim.stop() }
        let client = KubeAPIClient(config: try KubeconfigLoader.load(explicitPath: sim.kubeconfig.path, environment: [:]))
        // alice's run holds node08 (a Lease renewed just now).
        let now = MicroTime.format(Date())
        var metadata = ObjectMeta(name: NodeLease.name(for: "node08"), namespace: NodeLease.namespace, labels: [NodeLease.managedByLabel: "kubeskew"])
        metadata.annotations = [NodeLease.nodeAnnotation: "node08"]
        let alice = "alice@laptop run 20261207T160211Z-abcdef"
        _ = try await client.createLease(Lease(metadata: metadata, spec: .init(holderIdentity: alice, leaseDurationSeconds: 60,
                                                                              acquireTime: now, renewTime: now)))
        let events = NodeActionRunnerTests.Events()
        let runner = NodeActionRunner(kubectl: ["kubectl", "--kubeconfig", sim.kubeconfig.path], executor: LocalExecutor(),
                                      leaseAPI: APILeases(client: client), report: { events.add($0) })
        await runner.start(NodeActionRequest(kind: .cordon, nodes: ["node08", "node02"], id: 1))
        let (refused, words) = try await events.waitFor(1, "node08")
        #expect(!refused)
        #expect(words.hasPrefix("node08 not cordoned: being upgraded by \(alice) since "), "\(words)")
        #expect(words.hasSuffix("; wait for it or ask them"))
        #expect(!events.all.withLock { $0 }.contains { if case .started(1, "node08", _, _) = $0 { return true }; return false },
                "kubectl ran on node08")
        let node08 = try await client.getNode("node08")
        #expect(!node08.isUnschedulable, "node08 was cordoned while another kubeskew held it")
        // node02 is free: cordoned under its own Lease, which is gone once the action ended.
        #expect(try await events.waitFor(1, "node02") == (true, "node02 cordoned"))
        let left = try await client.listLeases(namespace: NodeLease.namespace, labelSelector: NodeLease.labelSelector)
        #expect(left.map(\.metadata.name) == [NodeLease.name(for: "node08")], "the action left its Lease: \(left.map(\.metadata.name))")
        #expect(left.first?.holder == alice)
        await client.shutdown()
    }

    /// What the dashboard shows as held: live Leases of other holders, by node; expired ones and this process's own
    /// are not shown.
    @Test func holdsAreLiveLeasesOfOthers() async {
        func lease(_ node: String, holder: String, renewedAgo: TimeInterval) -> Lease {
            let renewed = MicroTime.format(Date().addingTimeInterval(-renewedAgo))
            var metadata = ObjectMeta(name: NodeLease.name(for: node), namespace: NodeLease.namespace, labels: [NodeLease.managedByLabel: "kubeskew"])
            metadata.annotations = [NodeLease.nodeAnnotation: node]
            return Lease(metadata: metadata, spec: .init(holderIdentity: holder, leaseDurationSeconds: 60, acquireTime: renewed, renewTime: renewed))
        }
        // This process holds one (its own run): taken through NodeLeases, which records the holder.
        let own = LeaseHolder.local(run: "20261207T170000Z-ownrun")
        _ = await NodeLeases(api: NoLeases(), holder: own).acquire("node09")
        let holds = DashboardLiveFeed.holds([
            lease("node01", holder: "alice@laptop run r1", renewedAgo: 5),
            lease("node02", holder: "carol@pc run r2", renewedAgo: 600),
            lease("node09", holder: own.identity, renewedAgo: 1),
        ], now: Date())
        #expect(holds.keys.sorted() == ["node01"])
        #expect(holds["node01"]?.holder == "alice@laptop run r1")
        #expect(holds["node01"]?.who == "alice@laptop")
    }
}

/// An API with no leases that refuses every write (enough to record a holder as this process's own).
private struct NoLeases: LeaseAPI {
    func get(_ name: String) async throws -> LeaseReading? { nil }
    func create(_ lease: Lease) async throws -> LeaseReading { throw KubeClientError.conflict(serverMessage: "no") }
    func update(_ lease: Lease) async throws -> LeaseReading { throw KubeClientError.conflict(serverMessage: "no") }
    func delete(_ lease: Lease) async throws {}
}

/// The live feed re-assesses and redraws only for node changes that matter (issue 15: 500 heartbeats/s cost a
/// quarter of a core when each one re-published 5,000 rows).
struct LiveFeedHeartbeatTests {
    func node(_ version: String, resourceVersion: String, unschedulable: Bool = false, ready: String = "True") -> Node {
        var meta = ObjectMeta(name: "node01", labels: ["kubernetes.io/os": "linux"])
        meta.resourceVersion = resourceVersion
        var spec = NodeSpec()
        spec.unschedulable = unschedulable
        var status = NodeStatus(nodeInfo: NodeSystemInfo(kubeletVersion: version, operatingSystem: "linux", architecture: "amd64"))
        status.conditions = [NodeCondition(type: "Ready", status: ready)]
        return Node(metadata: meta, spec: spec, status: status)
    }

    @Test func aHeartbeatDoesNotMatterAndEveryOtherChangeDoes() {
        let old = node("v1.33.2", resourceVersion: "100")
        #expect(!DashboardLiveFeed.matters(node("v1.33.2", resourceVersion: "101"), replacing: old), "a heartbeat")
        #expect(DashboardLiveFeed.matters(node("v1.33.3", resourceVersion: "102"), replacing: old), "a new kubelet")
        #expect(DashboardLiveFeed.matters(node("v1.33.2", resourceVersion: "103", unschedulable: true), replacing: old), "a cordon")
        #expect(DashboardLiveFeed.matters(node("v1.33.2", resourceVersion: "104", ready: "False"), replacing: old), "NotReady")
        #expect(DashboardLiveFeed.matters(old, replacing: nil), "a new node")
    }
}
