#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs commands on this machine, for an operator working on the node itself (and for the control-plane steps
/// that run `kubectl` locally).
///
/// As a node executor it reaches one machine whatever the node: ``nodeDestination(for:)`` accepts a node only when
/// this machine's ID (`/etc/machine-id`) is the one the node reports, and a run may hold that one node only.
public struct LocalExecutor: NodeExecutor {
    public let name = "local"
    /// Whether privileged commands need `sudo -n`; false when kubeskew already runs as root.
    public var usesSudo: Bool
    /// Where this machine's ID is read (a seam for tests; systemd's `/etc/machine-id` otherwise).
    public var machineIDFile: String
    /// The settings of the underlying process runner.
    var runner: ProcessRunner

    /// Creates a local executor; `sudo -n` is used for privileged commands unless running as root.
    public init(maxLineBytes: Int = 64 << 10, sanitizer: OutputSanitizer = OutputSanitizer(),
                terminationGrace: Duration = .seconds(1), machineIDFile: String = "/etc/machine-id") {
        self.usesSudo = geteuid() != 0
        self.machineIDFile = machineIDFile
        self.runner = ProcessRunner(maxLineBytes: maxLineBytes, sanitizer: sanitizer, terminationGrace: terminationGrace)
    }

    public var reachesOneMachineOnly: Bool { true }

    /// This machine, when it is `node`: its machine ID must be the one the node reports.
    public func nodeDestination(for node: NodeTarget) async throws(ExecutorError) -> NodeDestination {
        let fix = "use --executor ssh, or run kubeskew on \(node.name) itself"
        guard let nodeID = node.machineID else {
            throw ExecutorError(.invalidTarget, node: node.name,
                                "--executor local runs on this machine, but \(node.name) reports no machine ID (status.nodeInfo.machineID) to check it is this machine; \(fix)")
        }
        guard let localID = Self.readMachineID(machineIDFile) else {
            throw ExecutorError(.invalidTarget, node: node.name,
                                "--executor local runs on this machine, but \(machineIDFile) cannot be read to check it is \(node.name) (machine ID \(nodeID)); \(fix)")
        }
        guard localID.lowercased() == nodeID.lowercased() else {
            throw ExecutorError(.invalidTarget, node: node.name,
                                "--executor local runs on this machine, which is not \(node.name): this machine's ID is \(localID) (\(machineIDFile)), \(node.name) reports \(nodeID); \(fix)")
        }
        return NodeDestination(address: "this machine (machine ID \(localID))", source: "--executor local, machine ID of \(node.name)",
                               sudo: usesSudo)
    }

    /// The machine ID in `path` (one line of hex digits), or nil when it cannot be read or is not one.
    static func readMachineID(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        let lines = String(decoding: buffer.prefix(count), as: UTF8.self).split(whereSeparator: { $0.isWhitespace })
        guard lines.count == 1, let text = lines.first.map(String.init) else { return nil }
        return NodeTarget.isMachineID(text) ? text : nil
    }

    public func run(_ command: CommandSpec, on node: NodeTarget, onOutput: @escaping OutputHandler)
        async throws(ExecutorError) -> ExecutionResult {
        try command.validate(for: node)
        let sudo = command.privileged && usesSudo
        let argv = command.effectiveArgv(usesSudo: sudo, environmentInline: false)
        let result: ExecutionResult
        do {
            result = try await runner.run(executable: argv[0], arguments: Array(argv.dropFirst()),
                                          environment: sudo ? [:] : command.environment,
                                          timeout: command.timeout, onOutput: onOutput)
        } catch {
            throw error.attributed(to: node.name)
        }
        if sudo, let refusal = SudoFailure.classify(result, node: node.name, remoteUser: nil,
                                                     rootFix: "run kubeskew as root") {
            throw refusal
        }
        return result
    }
}
