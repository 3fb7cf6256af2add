import Foundation
import NodeExec

/// Runs commands in the simulator's node shells, in this process: the demo's and the tests' executor.
/// It connects "as root", so privileged commands get no sudo, like the ssh executor as root.
public struct SimulatedNodeExecutor: NodeExecutor {
    public let name = "simulated"
    public let shells: SimulatedNodeShells

    public init(shells: SimulatedNodeShells) {
        self.shells = shells
    }

    /// No network host: the node's simulated shell in this process.
    public func nodeDestination(for node: NodeTarget) async throws(ExecutorError) -> NodeDestination {
        guard await shells.hasNode(node.name) else {
            throw ExecutorError(.hostUnresolvable, node: node.name, "no such node in the simulated cluster")
        }
        return NodeDestination(address: "simulated node shell of \(node.name)", source: "the demo's simulated cluster")
    }

    public func run(_ command: CommandSpec, on node: NodeTarget, onOutput: @escaping OutputHandler) async throws(ExecutorError)
        -> ExecutionResult {
        guard await shells.hasNode(node.name) else {
            throw ExecutorError(.hostUnresolvable, node: node.name, "no such node in the simulated cluster")
        }
        let started = ContinuousClock.now
        let tally = OutputTally()
        let sanitizer = OutputSanitizer()
        let (shells, argv, nodeName) = (self.shells, command.argv, node.name)
        // A shell told to stop (timeout or cancel) stops waiting at once.
        let code = await ExecutionSupport.race(timeout: command.timeout) {
            await shells.run(node: nodeName, argv: argv) { line, isError in
                let source: OutputSource = isError ? .stderr : .stdout
                tally.count(source, line)
                await onOutput(OutputLine(source: source, content: sanitizer.sanitize(line)))
            }
        }
        let status: ExitStatus = Task.isCancelled ? .cancelled : code.map { .exited($0) } ?? .timedOut
        return tally.result(status, since: started)
    }
}
