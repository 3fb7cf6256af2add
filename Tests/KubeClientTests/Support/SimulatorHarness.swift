import Foundation
import KubeClient
import Simulator
import Testing

/// Starts a simulator for one test and always stops it, whatever the test does.
enum SimulatorHarness {
    static func with<T>(
        scenario: Scenario? = nil, faults: FaultSettings = .none,
        _ body: (RunningSimulator, TempDirectory) async throws -> T
    ) async throws -> T {
        let options = SimulatorOptions(scenario: try scenario ?? Scenario.named("default"), faults: faults)
        let sim = try await RunningSimulator.start(options)
        let dir: TempDirectory
        do { dir = try TempDirectory() } catch {
            try? await sim.stop()
            throw error
        }
        do {
            let result = try await body(sim, dir)
            try await sim.stop()
            dir.remove()
            return result
        } catch {
            try? await sim.stop()
            dir.remove()
            throw error
        }
    }

    /// A client for `context` of the simulator's own kubeconfig, shut down after `body`.
    static func withClient<T>(
        _ sim: RunningSimulator, _ dir: TempDirectory, context: String = "sim",
        settings: KubeAPIClient.Settings = quickSettings, _ body: (KubeAPIClient) async throws -> T
    ) async throws -> T {
        let path = dir.file("sim.kubeconfig")
        try sim.writeKubeconfig(to: path)
        let config = try KubeconfigLoader.load(explicitPath: path, context: context, environment: [:])
        return try await withClient(config, settings: settings, body)
    }

    static func withClient<T>(
        _ config: ResolvedKubeconfig, settings: KubeAPIClient.Settings = quickSettings,
        _ body: (KubeAPIClient) async throws -> T
    ) async throws -> T {
        let client = KubeAPIClient(config: config, settings: settings)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    static var quickSettings: KubeAPIClient.Settings {
        var settings = KubeAPIClient.Settings()
        // Hang guards, not outcomes: a request that should succeed must not fail because the whole suite keeps two cores
        // busy (10 s ran out in fresh-clone CI runs for a list and for an exec-plugin login). Tests of timeouts set
        // their own short ones.
        settings.requestTimeout = .seconds(60)
        // A local connect takes milliseconds; the margin is for a machine busy with the whole suite on two cores.
        settings.connectTimeout = .seconds(10)
        settings.execTimeout = .seconds(60)
        return settings
    }

    /// Writes a kubeconfig for the simulator with a custom user entry (YAML flow mapping) and returns its path.
    static func kubeconfig(
        _ sim: RunningSimulator, _ dir: TempDirectory, user: String, cluster extra: String = "",
        name: String = "custom.kubeconfig"
    ) throws -> String {
        let ca = Data(sim.pki.caCertificatePEM.utf8).base64EncodedString()
        return try dir.write(name, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: sim
              cluster: {server: "\(sim.url)", certificate-authority-data: \(ca)\(extra)}
            users:
            - name: op
              user: \(user)
            contexts:
            - name: test
              context: {cluster: sim, user: op}
            current-context: test
            """)
    }
}

/// Waits for `condition` on the values of an async sequence, with a deadline instead of a fixed sleep.
func firstElement<S: AsyncSequence & Sendable>(
    of sequence: S, within limit: Duration = .seconds(10), where condition: @escaping @Sendable (S.Element) -> Bool
) async throws -> S.Element? where S.Element: Sendable {
    try await withThrowingTaskGroup(of: S.Element?.self) { group in
        group.addTask {
            for try await element in sequence where condition(element) { return element }
            return nil
        }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        return try await group.next() ?? nil
    }
}
