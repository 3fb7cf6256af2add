/// A command to run on a node: an argv, never a shell line.
public struct CommandSpec: Sendable, Hashable {
    /// The program and its arguments; `argv[0]` is looked up in `PATH` unless it contains a `/`.
    public var argv: [String]
    /// Whether the command needs root: it then runs under `sudo -n` unless the executor already is root.
    public var privileged: Bool
    /// How long the command may run before its whole process group is stopped; `nil` means no limit.
    public var timeout: Duration?
    /// Variables added to (or replacing in) the command's environment.
    public var environment: [String: String]

    /// Creates a command.
    public init(_ argv: [String], privileged: Bool = false, timeout: Duration? = nil, environment: [String: String] = [:]) {
        self.argv = argv
        self.privileged = privileged
        self.timeout = timeout
        self.environment = environment
    }

    /// The command as a person would type it, for plans and logs (`sudo` is shown when privileged).
    public var displayLine: String {
        let env = environment.keys.sorted().map { "\($0)=\(environment[$0] ?? "")" }
        return ShellQuoting.displayLine((privileged ? ["sudo"] : []) + env + argv)
    }

    /// Checks what every executor requires: a non-empty program, no NUL bytes, valid variable names.
    /// `validate()`, with a failure said of `node` (what every executor does first).
    func validate(for node: NodeTarget) throws(ExecutorError) {
        do {
            try validate()
        } catch {
            throw error.attributed(to: node.name)
        }
    }

    func validate() throws(ExecutorError) {
        guard let program = argv.first, !program.isEmpty else {
            throw ExecutorError(.invalidCommand, node: nil, "refusing to run an empty command")
        }
        for argument in argv where argument.utf8.contains(0) {
            throw ExecutorError(.invalidCommand, node: nil,
                                "refusing to run \(ShellQuoting.displayQuote(program)): an argument contains a NUL byte")
        }
        for (name, value) in environment {
            guard HostValidation.isEnvironmentName(name), !value.utf8.contains(0) else {
                throw ExecutorError(.invalidCommand, node: nil,
                                    "refusing to run \(ShellQuoting.displayQuote(program)): invalid environment variable \(ShellQuoting.displayQuote(name))")
            }
        }
        if let timeout, timeout <= .zero {
            throw ExecutorError(.invalidCommand, node: nil,
                                "refusing to run \(ShellQuoting.displayQuote(program)): the timeout must be positive")
        }
    }

    /// The argv that actually runs: `sudo -n -- env K=V argv` as needed.
    ///
    /// `sudo` resets the environment, so variables go through `env` after it rather than around it.
    func effectiveArgv(usesSudo: Bool, environmentInline: Bool) -> [String] {
        var result: [String] = []
        if usesSudo { result += ["sudo", "-n", "--"] }
        if environmentInline || usesSudo, !environment.isEmpty {
            result += ["env"] + environment.keys.sorted().map { "\($0)=\(environment[$0] ?? "")" }
        }
        return result + argv
    }
}
