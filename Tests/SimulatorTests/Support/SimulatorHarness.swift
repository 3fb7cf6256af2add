import Foundation
import Simulator
import Testing

/// A simulator started in-process on a free port, with its kubeconfig in a temp folder and the real kubectl.
final class SimulatorHarness: Sendable {
    let simulator: RunningSimulator
    let directory: TemporaryDirectory
    let kubeconfig: String
    static let kubectlPath = kubectlPath(client: "1.33")

    /// The kubectl of minor `client` (the captures' client is 1.33) when the machine has it beside its version
    /// dispatcher, else the kubectl on PATH. The dispatcher picks a client by asking the server its version under a
    /// short deadline of its own: on a busy CI machine that probe ran late and it fell back to its own v1.32.4.
    static func kubectlPath(client: String) -> String {
        let pinned = URL(fileURLWithPath: "/usr/bin/kubectl").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("kubectl.\(client)").path
        return FileManager.default.isExecutableFile(atPath: pinned) ? pinned : "/usr/bin/kubectl"
    }

    private init(simulator: RunningSimulator, directory: TemporaryDirectory) throws {
        self.simulator = simulator
        self.directory = directory
        kubeconfig = directory.path + "/kubeconfig"
        try simulator.writeKubeconfig(to: kubeconfig)
    }

    static func start(_ scenario: Scenario, faults: FaultSettings = .none, churn: Int = 0, shellSpeed: Double = 1) async throws -> SimulatorHarness {
        let simulator = try await RunningSimulator.start(SimulatorOptions(scenario: scenario, port: 0, churnPerSecond: churn,
                                                                           faults: faults, shellSpeed: shellSpeed))
        do {
            return try SimulatorHarness(simulator: simulator, directory: TemporaryDirectory())
        } catch {
            try await simulator.stop()
            throw error
        }
    }

    /// Runs `body` with a started simulator and always stops it, even when `body` throws or an expectation fails.
    static func with<T>(_ scenario: Scenario, faults: FaultSettings = .none, churn: Int = 0, shellSpeed: Double = 1,
                        _ body: (SimulatorHarness) async throws -> T) async throws -> T {
        let harness = try await start(scenario, faults: faults, churn: churn, shellSpeed: shellSpeed)
        do {
            let result = try await body(harness)
            try await harness.simulator.stop()
            return result
        } catch {
            try? await harness.simulator.stop()
            throw error
        }
    }

    /// Runs the real kubectl against this simulator with a cold, private discovery cache (as the captures did).
    func kubectl(_ arguments: [String], context: String = "sim", client: String = "1.33",
                 timeout: Double = 60) async throws -> ProcessResult {
        try await ProcessRunner.run(SimulatorHarness.kubectlPath(client: client),
                              arguments + ["--context", context, "--cache-dir", directory.path + "/cache-\(UUID().uuidString)"],
                              environment: ["KUBECONFIG": kubeconfig, "HOME": directory.path], timeout: timeout)
    }

    /// `kubectl get --raw PATH` parsed as JSON.
    func raw(_ path: String) async throws -> [String: Any] {
        let result = try await kubectl(["get", "--raw", path])
        guard result.status == 0, let data = result.stdout.data(using: .utf8),
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw SimulatorError(message: "kubectl get --raw \(path) failed (\(result.status)): \(result.stderr)")
        }
        return object
    }
}

/// Rows of kubectl's table output as whitespace-separated columns, keyed by the first column.
func tableRows(_ output: String) -> [String: [String]] {
    var rows: [String: [String]] = [:]
    for line in output.split(separator: "\n").dropFirst() {
        let columns = line.split(whereSeparator: { $0 == " " }).map(String.init)
        if let first = columns.first { rows[first] = columns }
    }
    return rows
}

/// Watch event lines parsed as JSON objects.
func watchEvents(_ output: String) -> [[String: Any]] {
    output.split(separator: "\n").compactMap { line in
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }
}
