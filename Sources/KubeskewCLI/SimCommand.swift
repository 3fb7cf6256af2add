import ArgumentParser
import Dispatch
import Foundation
import Simulator

/// `kubeskew sim`: the simulated cluster as a standalone HTTPS API server, with a kubeconfig for kubectl.
public struct SimCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Serve a simulated cluster over HTTPS, speaking the Kubernetes API, until SIGTERM or SIGINT.",
        discussion: """
        Writes a kubeconfig (contexts "sim" with a client certificate, current; "sim-token" with a bearer token; \
        "sim-viewer", a read-only token user; "kubeskew-readonly" and "kubeskew-upgrader", token users authorized by \
        the RBAC roles of deploy/rbac) once the server is ready, then prints one line "ready <url>" to stdout.

        Example:
          kubeskew sim --scenario demo --kubeconfig-out /tmp/sim.kubeconfig &
          KUBECONFIG=/tmp/sim.kubeconfig kubeskew check
        """
    )

    @Option(name: .long, help: "A built-in scenario (default, demo, ha, removed-apis) or a scenario YAML file.")
    var scenario: String?

    @Option(name: .long, help: "Serve a generated cluster of N nodes (1-5000) instead of a scenario.")
    var nodes: Int?

    @Option(name: .long, help: "Node heartbeat updates per second delivered to watches.")
    var churn: Int = 0

    @Option(name: .long, help: "Port on 127.0.0.1 (0 picks a free one).")
    var port: Int = 0

    @Option(name: .customLong("pki-file"), help: ArgumentHelp("Keep the CA and certificates in this file (created if absent), so a restart on the same --port is the same server to its clients.", valueName: "FILE"))
    var pkiFile: String?

    @Option(name: .long, help: "Speed of the simulated node shells: 1 realistic, 10 ten times faster, 0 instant.")
    var speed: Double = 1

    @Option(name: .long, help: "Seed of the generated cluster.")
    var seed: UInt64 = 1

    @Option(name: .customLong("kubeconfig-out"), help: "Where to write the kubeconfig (mode 0600).")
    var kubeconfigOut: String

    @Option(name: .customLong("latency-ms"), help: "Fault: delay every API response by this many milliseconds.")
    var latencyMilliseconds: Int = 0

    @Option(name: .customLong("error-rate"), help: "Fault: fraction (0-1) of API requests answered with 500.")
    var errorRate: Double = 0

    @Option(name: .customLong("throttle-rate"), help: "Fault: fraction (0-1) of API requests refused with 429 Too Many Requests (Retry-After: 1).")
    var throttleRate: Double = 0

    @Option(name: .customLong("drop-watch-every"), help: "Fault: end every watch connection after this many seconds.")
    var dropWatchEvery: Double?

    @Option(name: .customLong("token-lifetime"), help: "Fault: bearer tokens expire this many seconds after issue.")
    var tokenLifetime: Double?

    @Flag(name: .customLong("endless-bodies"), help: "Fault: API responses (watches aside) whose body never ends.")
    var endlessBodies = false

    @Option(name: .customLong("oversized-bodies"), help: "Fault: API responses (watches aside) of this many MiB.")
    var oversizedBodyMiB: Int = 0

    @Option(name: .customLong("rbac-manifest"), help: ArgumentHelp("Roles and ClusterRoles that replace the shipped ones of the same name (deploy/rbac) for the users kubeskew-readonly and kubeskew-upgrader; repeatable.", valueName: "FILE"))
    var rbacManifests: [String] = []

    public init() {}

    public func validate() throws {
        if scenario != nil, nodes != nil { throw ValidationError("use either --scenario or --nodes, not both") }
        if let nodes, !(1...5_000).contains(nodes) { throw ValidationError("--nodes must be between 1 and 5000 (got \(nodes))") }
        if churn < 0 { throw ValidationError("--churn must not be negative") }
        if speed < 0 || !speed.isFinite { throw ValidationError("--speed must be 0 or more") }
        if !(0...65_535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
        if latencyMilliseconds < 0 { throw ValidationError("--latency-ms must not be negative") }
        if !(0...1).contains(errorRate) { throw ValidationError("--error-rate must be between 0 and 1") }
        if !(0...1).contains(throttleRate) { throw ValidationError("--throttle-rate must be between 0 and 1") }
        if let dropWatchEvery, dropWatchEvery <= 0 { throw ValidationError("--drop-watch-every must be positive") }
        if let tokenLifetime, tokenLifetime <= 0 { throw ValidationError("--token-lifetime must be positive") }
        if !(0...4096).contains(oversizedBodyMiB) { throw ValidationError("--oversized-bodies must be between 0 and 4096 MiB") }
    }

    public mutating func run() async throws {
        let chosen: Scenario
        do {
            if let nodes {
                chosen = Scenario.generated(nodes: nodes, seed: seed)
            } else {
                chosen = try Scenario.resolve(scenario ?? "default")
            }
        } catch {
            FileHandle.standardError.write(Data("kubeskew sim: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let signals = SignalWaiter(signals: [SIGTERM, SIGINT])
        let simulator: RunningSimulator
        do {
            let faults = FaultSettings(latencyMilliseconds: latencyMilliseconds, errorRate: errorRate,
                                       dropWatchEverySeconds: dropWatchEvery, tokenLifetimeSeconds: tokenLifetime,
                                       throttleRate: throttleRate, endlessBodies: endlessBodies, oversizedBodyMiB: oversizedBodyMiB)
            var options = SimulatorOptions(scenario: chosen, port: port, churnPerSecond: churn, faults: faults, shellSpeed: speed,
                                           pki: try pkiFile.map { try SimulatorPKI.persistent(at: $0, ipAddresses: chosen.apiserverNodeAddresses.map(\.ip)) })
            // Kept certificates mean a restartable server: its versions keep growing across restarts, like etcd's.
            if pkiFile != nil { options.resourceVersionBase = Int(Date().timeIntervalSince1970 * 1000) }
            options.rbacOverrides = try rbacManifests.map { path in
                do { return (text: try String(contentsOfFile: path, encoding: .utf8), source: path) } catch {
                    throw SimulatorError(message: "cannot read --rbac-manifest \(path): \(error.localizedDescription)")
                }
            }
            simulator = try await RunningSimulator.start(options)
        } catch {
            FileHandle.standardError.write(Data("kubeskew sim: \(error)\n".utf8))
            throw ExitCode(1)
        }
        for warning in simulator.warnings { FileHandle.standardError.write(Data("kubeskew sim: \(warning)\n".utf8)) }
        do {
            try simulator.writeKubeconfig(to: kubeconfigOut)
        } catch {
            FileHandle.standardError.write(Data("kubeskew sim: \(error)\n".utf8))
            try? await simulator.stop()
            throw ExitCode(1)
        }
        // stdout is often a pipe: write the ready line unbuffered so a waiting parent sees it now.
        FileHandle.standardOutput.write(Data("ready \(simulator.url)\n".utf8))
        let received = await signals.next()
        FileHandle.standardError.write(Data("kubeskew sim: received signal \(received), stopping\n".utf8))
        try await simulator.stop()
    }
}

/// Turns SIGTERM/SIGINT into an awaitable value instead of the default process kill, so shutdown is clean.
final class SignalWaiter {
    private let stream: AsyncStream<Int32>
    private let sources: [any DispatchSourceSignal]

    init(signals: [Int32]) {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        self.stream = stream
        let queue = DispatchQueue(label: "kubeskew.signals")
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
    }

    func next() async -> Int32 {
        for await number in stream { return number }
        return 0
    }

    deinit { for source in sources { source.cancel() } }
}
