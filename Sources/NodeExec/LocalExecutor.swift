#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs commands on this machine, for an operator working on the node itself (and for the control-plane steps
/// that run `kubectl` locally).
public struct LocalExecutor: NodeExecutor {
    public let name = "local"
    /// Whether privileged commands need `sudo -n`; false when kubeskew already runs as root.
    public var usesSudo: Bool
    /// The settings of the underlying process runner.
    var runner: ProcessRunner

    /// Creates a local executor; `sudo -n` is used for privileged commands unless running as root.
    public init(maxLineBytes: Int = 64 << 10, sanitizer: OutputSanitizer = OutputSanitizer(),
                terminationGrace: Duration = .seconds(1)) {
        self.usesSudo = geteuid() != 0
        self.runner = ProcessRunner(maxLineBytes: maxLineBytes, sanitizer: sanitizer, terminationGrace: terminationGrace)
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
