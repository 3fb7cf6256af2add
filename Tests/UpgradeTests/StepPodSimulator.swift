import Foundation
import KubeClient
import KubeModel
import Simulator
import Testing

/// An in-process simulator and a client on it for one test; both always stopped, whatever the test does.
enum StepPodSimulator {
    /// `shellSpeed` 0.01 makes every simulated command last tens of seconds: a step stays in flight.
    static func with<T>(shellSpeed: Double, _ body: (RunningSimulator, KubeAPIClient) async throws -> T) async throws -> T {
        let sim = try await RunningSimulator.start(SimulatorOptions(scenario: try Scenario.named("demo"), shellSpeed: shellSpeed))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-steppods-\(UUID().uuidString)")
        let client: KubeAPIClient
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let path = dir.appendingPathComponent("kubeconfig").path
            try sim.writeKubeconfig(to: path)
            let config = try KubeconfigLoader.load(explicitPath: path, context: "sim", environment: [:])
            var settings = KubeAPIClient.Settings()
            // A hang guard only: under the whole suite on two cores a pod create once took over 10 s.
            settings.requestTimeout = .seconds(60)
            settings.connectTimeout = .seconds(10)
            client = KubeAPIClient(config: config, settings: settings)
        } catch {
            try? await sim.stop()
            try? FileManager.default.removeItem(at: dir)
            throw error
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            let result = try await body(sim, client)
            await client.shutdown()
            try await sim.stop()
            return result
        } catch {
            await client.shutdown()
            try? await sim.stop()
            throw error
        }
    }

    /// kubeskew's step pods in `namespace`, as the API lists them.
    static func stepPods(_ client: KubeAPIClient, namespace: String = "kube-system") async throws -> [Pod] {
        try await client.listPods(namespace: namespace, labelSelector: "app.kubernetes.io/managed-by=kubeskew")
    }

    /// Polls until `probe` returns a value (a condition, not a fixed sleep); fails the test after `limit`.
    static func waitFor<T>(_ what: String, within limit: Duration = .seconds(60), _ probe: () async throws -> T?) async throws -> T {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let value = try await probe() { return value }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw WaitFailed(message: "\(what) did not happen within \(limit)")
    }

    struct WaitFailed: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
