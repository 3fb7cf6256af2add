import Foundation
import Simulator
import Testing

/// Issue 16's fault "429 with Retry-After": the simulator refuses as API Priority and Fairness does, and the real
/// kubectl (client-go) honours it, so the fault is the server's and not a shape only kubeskew understands.
struct ThrottleTests {
    @Test func kubectlWaitsOutThrottlingAsTheServerAsks() async throws {
        try await SimulatorHarness.with(try Scenario.named("default"), faults: FaultSettings(throttleNextRequests: 2)) { sim in
            let result = try await sim.kubectl(["get", "nodes", "-v=6"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("node01"))
            #expect(result.stderr.contains("429 Too Many Requests"), "client-go saw the 429s:\n\(result.stderr)")
            #expect(sim.simulator.faults.throttleNextRequests == 0)
        }
    }
}
