/// Runs commands on nodes through the operator's OpenSSH client (`/usr/bin/ssh`).
///
/// ssh runs with `BatchMode=yes` (never prompts) and a connect timeout, honouring `~/.ssh/config`. The remote
/// command is the argv, each element single-quoted, joined into the one string ssh sends to the remote shell;
/// privileged commands get `sudo -n` unless the remote user is root. Cancelling or timing out stops the local ssh
/// process group; the remote side then loses its connection (without a tty, sshd does not signal it: a remote
/// command that prints nothing may run on until it ends).
public struct SSHExecutor: NodeExecutor {
    public let name = "ssh"
    /// The options this executor was built with.
    public let settings: SSHSettings
    private let runner: ProcessRunner
    private let resolver: SSHTargetResolver

    /// Creates an executor after validating `settings`.
    public init(settings: SSHSettings, sanitizer: OutputSanitizer = OutputSanitizer(), maxLineBytes: Int = 64 << 10,
                terminationGrace: Duration = .seconds(2)) throws(ExecutorError) {
        try settings.validate()
        self.settings = settings
        self.runner = ProcessRunner(maxLineBytes: maxLineBytes, sanitizer: sanitizer, terminationGrace: terminationGrace)
        self.resolver = SSHTargetResolver(query: SSHConfigQuery(settings: settings, runner: runner))
    }

    /// Where ssh will connect for `node` and as whom (resolved once, then cached).
    public func destination(for node: NodeTarget) async throws(ExecutorError) -> SSHDestination {
        try await resolver.destination(for: node)
    }

    public func nodeDestination(for node: NodeTarget) async throws(ExecutorError) -> NodeDestination {
        let destination = try await destination(for: node)
        var shown = destination.nodeDestination
        shown.sudo = usesSudo(CommandSpec(["true"], privileged: true), destination)
        return shown
    }

    /// The full ssh argv for a command, for logs and tests; resolves the node first.
    public func argv(for command: CommandSpec, on node: NodeTarget) async throws(ExecutorError) -> [String] {
        try command.validate(for: node)
        let destination = try await destination(for: node)
        return try argv(for: command, to: destination, node: node)
    }

    public func run(_ command: CommandSpec, on node: NodeTarget, onOutput: @escaping OutputHandler)
        async throws(ExecutorError) -> ExecutionResult {
        try command.validate(for: node)
        let destination = try await destination(for: node)
        let argv = try argv(for: command, to: destination, node: node)
        let result: ExecutionResult
        do {
            result = try await runner.run(executable: argv[0], arguments: Array(argv.dropFirst()), environment: [:],
                                          timeout: command.timeout, onOutput: onOutput)
        } catch {
            throw ExecutorError(.launchFailed, node: node.name,
                                "cannot run the ssh client \(settings.sshPath) (install openssh-client): \(error.message)")
        }
        if let failure = SSHFailure.classify(result, node: node.name, destination: destination,
                                             connectTimeoutSeconds: settings.connectTimeoutSeconds) {
            throw failure
        }
        if usesSudo(command, destination),
           let refusal = SudoFailure.classify(result, node: node.name, remoteUser: destination.user,
                                              rootFix: "use --ssh-user root") {
            throw refusal
        }
        return result
    }

    private func usesSudo(_ command: CommandSpec, _ destination: SSHDestination) -> Bool {
        guard command.privileged else { return false }
        switch settings.sudo {
        case .automatic: return !destination.isRoot
        case .always: return true
        case .never: return false
        }
    }

    private func argv(for command: CommandSpec, to destination: SSHDestination, node: NodeTarget)
        throws(ExecutorError) -> [String] {
        let remote = command.effectiveArgv(usesSudo: usesSudo(command, destination), environmentInline: true)
        let line: String
        do {
            line = try ShellQuoting.commandLine(remote)
        } catch {
            throw error.attributed(to: node.name)
        }
        // -T: no tty (output stays a plain stream, sudo cannot prompt); -n: stdin from /dev/null.
        return [settings.sshPath] + settings.commonArguments + ["-T", "-n", "--", destination.host, line]
    }
}
