import Foundation
@testable import Simulator
import Testing

/// The kube-system uid names a cluster (issue 10, finding 2): every simulated cluster has its own, and a restart
/// as "the same server" (`--pki-file`, the same CA) or from a saved image keeps it.
@Suite("simulated cluster identity")
struct ClusterIdentityTests {
    func kubeSystemUID(_ simulator: RunningSimulator) async -> String? {
        await simulator.image(runID: nil).objects(of: .namespaces)
            .first { $0[["metadata", "name"]]?.stringValue == "kube-system" }?[["metadata", "uid"]]?.stringValue
    }

    @Test("two clusters of one scenario differ; the same CA or a saved image keeps the uid")
    func uidPerClusterStableAcrossRestarts() async throws {
        let demo = try Scenario.named("demo")
        let pki = try SimulatorPKI.generate()
        var options = SimulatorOptions(scenario: demo, shellSpeed: 0)
        options.pki = pki
        let first = try await RunningSimulator.start(options)
        let uid = try #require(await kubeSystemUID(first))
        let image = await first.image(runID: "20261125T170000Z-abc123")
        try await first.stop()

        let other = try await RunningSimulator.start(SimulatorOptions(scenario: demo, shellSpeed: 0))
        let otherUID = await kubeSystemUID(other)
        try await other.stop()
        #expect(otherUID != nil && otherUID != uid, "another cluster of the same scenario has its own kube-system uid")

        let restarted = try await RunningSimulator.start(options)
        #expect(await kubeSystemUID(restarted) == uid, "the same CA (--pki-file) is the same cluster")
        try await restarted.stop()

        var fromImage = SimulatorOptions(scenario: demo, shellSpeed: 0)
        fromImage.image = image
        let restored = try await RunningSimulator.start(fromImage)
        #expect(await kubeSystemUID(restored) == uid, "the saved demo cluster is the same cluster")
        try await restored.stop()
    }
}
