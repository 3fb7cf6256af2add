import Foundation
import Simulator
import Testing

/// A generated 5,000-node cluster (the documented Kubernetes limit) with nodes as large as real ones.
@Suite("5,000 nodes", .serialized)
struct ScaleTests {
    @Test("kubectl get nodes --chunk-size=500 lists all 5,000 generated nodes")
    func fiveThousandNodes() async throws {
        let started = Date()
        try await SimulatorHarness.with(Scenario.generated(nodes: 5_000, seed: 1)) { sim in
            let startup = Date().timeIntervalSince(started)
            let result = try sim.kubectl(["get", "nodes", "--chunk-size=500"], timeout: 120)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.isEmpty)
            let rows = tableRows(result.stdout)
            #expect(rows.count == 5_000)
            #expect(rows["cp-1"]?[2] == "control-plane")
            #expect(rows["node-4997"] != nil)

            let raw = try sim.kubectl(["get", "--raw", "/api/v1/nodes"], timeout: 120)
            #expect(raw.status == 0)
            let bytes = raw.stdout.utf8.count
            let perNode = bytes / 5_000
            // Real nodes are 12-17 KB of compact JSON (61% images, 17% managedFields).
            #expect((12_000...17_000).contains(perNode), "average node is \(perNode) bytes")
            let page = try sim.raw("/api/v1/nodes?limit=500")
            #expect((page["metadata"] as? [String: Any])?["remainingItemCount"] as? Int == 4_500)
            print(String(format: "5,000 nodes: simulator start %.2f s; kubectl get nodes --chunk-size=500 %.2f s; raw list %d MB in %.2f s (%d bytes/node)",
                         startup, result.seconds, bytes >> 20, raw.seconds, perNode))
        }
    }

    @Test("a generated cluster has a realistic version and OS mix")
    func generatedMix() {
        let scenario = Scenario.generated(nodes: 1_000, seed: 3)
        #expect(scenario.nodes.count == 1_000)
        #expect(scenario.nodes.filter { $0.role == .controlPlane }.count == 3)
        let versions = Dictionary(grouping: scenario.nodes, by: \.kubelet).mapValues(\.count)
        #expect(versions["v1.33.3", default: 0] > 600)
        #expect(versions["v1.33.2", default: 0] > 50)
        #expect(versions["v1.29.15", default: 0] > 0)
        #expect(scenario.nodes.contains { $0.os == .rhel })
        #expect(scenario.nodes.contains { !$0.ready })
        #expect(scenario.nodes.contains { $0.unschedulable })
        #expect(scenario.nodes.contains { $0.kubeadm != $0.kubelet })
        #expect(Scenario.generated(nodes: 1_000, seed: 3) == scenario)
        #expect(Scenario.generated(nodes: 9_999, seed: 1).nodes.count == 5_000)
    }
}
