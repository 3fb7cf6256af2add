/// Receives each sanitized output line as soon as the child prints it.
public typealias OutputHandler = @Sendable (OutputLine) async -> Void

/// Runs commands on nodes: the one interface the upgrade engine uses, whatever the transport.
///
/// Implementations stream stdout and stderr line by line while the command runs, never give it a stdin, stop its
/// whole process group on timeout or when the calling task is cancelled, and report how it ended. A non-zero exit
/// is a result; an ``ExecutorError`` means the command could not run as asked (unreachable node, refused sudo…).
public protocol NodeExecutor: Sendable {
    /// A short name for logs and the journal: `ssh`, `local`, …
    var name: String { get }

    /// Runs `command` on `node`, handing every output line to `onOutput` as it arrives.
    func run(_ command: CommandSpec, on node: NodeTarget, onOutput: @escaping OutputHandler) async throws(ExecutorError)
        -> ExecutionResult

    /// Where this executor would run `node`'s commands, resolved now and changing nothing; throws when it cannot
    /// reach the node, or must not (the local executor on a node that is not this machine).
    func nodeDestination(for node: NodeTarget) async throws(ExecutorError) -> NodeDestination

    /// True when every node's commands reach the same machine whatever the node (the local executor): a run may then
    /// hold one node only.
    var reachesOneMachineOnly: Bool { get }
}

extension NodeExecutor {
    /// Executors that reach each node by its name through a channel of their own (test doubles) say so.
    public func nodeDestination(for node: NodeTarget) async throws(ExecutorError) -> NodeDestination {
        NodeDestination(address: "\(name) executor, node \(node.name)", source: "--executor \(name)")
    }

    public var reachesOneMachineOnly: Bool { false }

    /// Runs a command and collects its output instead of streaming it; for short probes such as `kubeadm version`.
    public func collect(_ command: CommandSpec, on node: NodeTarget, maxLines: Int = 10_000) async throws(ExecutorError)
        -> (result: ExecutionResult, lines: [OutputLine]) {
        let collector = LineCollector(maxLines: maxLines)
        let result = try await run(command, on: node) { line in collector.add(line) }
        return (result, collector.lines)
    }
}
