import Foundation
import KubeModel
import Simulator
import Testing

@testable import KubeClient

/// Not a timed test: prints how long listing 5,000 realistic nodes takes, next to kubectl, when
/// `KUBESKEW_BENCH=1` (it needs a minute and most of the machine).
@Suite("list benchmark (KUBESKEW_BENCH=1)", .enabled(if: ProcessInfo.processInfo.environment["KUBESKEW_BENCH"] == "1"))
struct ListBenchmark {
    @Test func fiveThousandNodes() async throws {
        try await SimulatorHarness.with(scenario: Scenario.generated(nodes: Int(ProcessInfo.processInfo.environment["KUBESKEW_BENCH_NODES"] ?? "5000") ?? 5_000, seed: UInt64(ProcessInfo.processInfo.environment["KUBESKEW_BENCH_SEED"] ?? "2") ?? 2)) { sim, dir in
            try await SimulatorHarness.withClient(sim, dir, settings: KubeAPIClient.Settings()) { client in
                for round in 1...3 {
                    let started = ContinuousClock.now
                    let nodes = try await client.listNodes()
                    let listed = ContinuousClock.now - started
                    let snapStart = ContinuousClock.now
                    let snapshot = try await ClusterSnapshotLoader.load(client)
                    let snapped = ContinuousClock.now - snapStart
                    print("BENCH round \(round): listNodes \(nodes.items.count) in \(listed); snapshot (\(snapshot.nodes.count) nodes, \(snapshot.systemPods.count) system pods) in \(snapped)")
                }
            }
        }
    }
}
