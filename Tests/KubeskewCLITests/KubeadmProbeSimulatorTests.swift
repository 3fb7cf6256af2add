import Foundation
import KubeClient
import KubeModel
import Simulator
import Testing
import Upgrade
@testable import KubeskewCLI

/// Issue 13: "a probe that fails (… no kubeadm on the node) shows its reason and never stops the others", with the
/// simulator's node shells answering `kubeadm version -o short` as a node would.
// The time limit is a hang guard only: under a loaded CI machine the probes of ten simulated nodes took over a minute.
@Suite(.timeLimit(.minutes(5))) struct KubeadmProbeSimulatorTests {
    @Test func aNodeWithoutKubeadmSaysSoAndTheOthersAnswer() async throws {
        let sim = try await RunningSimulator.start(SimulatorOptions(scenario: try Scenario.named("demo"), port: 0, shellSpeed: 0))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubeadm-probe-sim-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let shells = try #require(sim.shells)
            await shells.injectFailure(node: "node04", prefix: ["kubeadm"], code: 127, message: "sh: 1: kubeadm: not found")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let kubeconfig = directory.appendingPathComponent("kubeconfig").path
            try sim.writeKubeconfig(to: kubeconfig)
            let client = KubeAPIClient(config: try KubeconfigLoader.load(explicitPath: kubeconfig, context: nil))
            let snapshot = try await ClusterSnapshotLoader.load(client, tolerateForbidden: true).snapshot
            await client.shutdown()

            let probes = KubeadmProbes()
            let prober = KubeadmProber(probes: probes, executor: SimulatedNodeExecutor(shells: shells), concurrency: 2, onOpen: .probe, cache: nil)
            await prober.consider(snapshot.nodes)
            await prober.waitUntilIdle()
            let statuses = probes.statuses
            guard case .failed("missing", let reason, _)? = statuses["node04"] else {
                Issue.record("node04: \(String(describing: statuses["node04"]))"); throw CancellationError()
            }
            #expect(reason == "node04: kubeadm is not installed (or not on the PATH): sh: 1: kubeadm: not found")
            #expect(statuses["node07"]?.version == "v1.33.3")
            #expect(statuses["node02"]?.version == "v1.32.7")
            let answered = statuses.filter { $0.value.version != nil }.count
            #expect(answered == 8, "every kubeadm node but node04 answered: \(statuses)")
        } catch {
            try? await sim.stop()
            throw error
        }
        try await sim.stop()
    }
}
