import Foundation
import Simulator
import Testing

/// A ReplicaSet's evicted pod is replaced at once on a schedulable node, as the ReplicaSet controller and the
/// scheduler do; so a budget like the ha scenario's web-pdb (`minAvailable: 2` over three pods) lets one drain after
/// another go through, checked with the real kubectl.
@Suite("ReplicaSet replacements, with the real kubectl")
struct ReplicaSetControllerTests {
    func webPods(_ sim: SimulatorHarness) async throws -> [(name: String, node: String, phase: String)] {
        let list = try await sim.kubectl(["get", "pods", "-l", "app=web", "-o", "jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.status.phase}{\"\\n\"}{end}"])
        #expect(list.status == 0, "\(list.stderr)")
        return list.stdout.split(separator: "\n").map { line in
            let parts = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            return (parts[0], parts.count > 2 ? parts[1] : "", parts.last ?? "")
        }
    }

    @Test("two drains in a row under minAvailable 2: the first eviction's replacement lets the second go")
    func drainsInARow() async throws {
        try await SimulatorHarness.with(try Scenario.named("ha")) { sim in
            let first = try await sim.kubectl(["drain", "node01", "--ignore-daemonsets", "--timeout=20s"], timeout: 60)
            #expect(first.status == 0, "\(first.stderr)")
            var pods = try await webPods(sim)
            #expect(pods.count == 3)
            #expect(!pods.contains { $0.node == "node01" }, "\(pods)")
            // Not on the control plane: its NoSchedule taint is not tolerated by web's pods.
            #expect(!pods.contains { $0.node.hasPrefix("cp-") }, "\(pods)")
            #expect(pods.allSatisfy { $0.phase == "Running" })
            #expect(!pods.contains { $0.name == "web-6d4cf56db6-x2k9q" })
            #expect(pods.allSatisfy { $0.name.range(of: #"^web-6d4cf56db6-[bcdfghjklmnpqrstvwxz2456789]{5}$"#, options: .regularExpression) != nil })

            let second = try await sim.kubectl(["drain", "node02", "--ignore-daemonsets", "--timeout=20s"], timeout: 60)
            #expect(second.status == 0, "\(second.stderr)")
            pods = try await webPods(sim)
            #expect(pods.count == 3 && pods.allSatisfy { $0.node == "node03" }, "\(pods)")

            // Every worker cordoned: the first eviction's replacement has nowhere to go and stays Pending, unscheduled,
            // and the budget (two healthy, two needed) refuses the next one.
            let third = try await sim.kubectl(["drain", "node03", "--ignore-daemonsets", "--timeout=5s"], timeout: 60)
            #expect(third.status != 0)
            pods = try await webPods(sim)
            #expect(pods.filter { $0.phase == "Pending" && $0.node.isEmpty }.count == 1, "\(pods)")
            #expect(pods.filter { $0.phase == "Running" && $0.node == "node03" }.count == 2, "\(pods)")
        }
    }
}
