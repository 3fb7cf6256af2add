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

    public func run(_ command: CommandSpec, on node: NodeTarget, onOutput: @escaping OutputHandler) async throws(ExecutorError)
        -> ExecutionResult {
        guard await shells.hasNode(node.name) else {
            throw ExecutorError(.hostUnresolvable, node: node.name, "no such node in the simulated cluster")
        }
        let started = ContinuousClock.now
        let counter = LineCounter()
        let sanitizer = OutputSanitizer()
        let shells = self.shells
        let argv = command.argv
        let nodeName = node.name
        let timeout = command.timeout
        // The shell and the timeout race; whichever ends first decides. A shell told to stop stops waiting at once.
        let code: Int32? = await withTaskGroup(of: Int32?.self) { group in
            group.addTask {
                await shells.run(node: nodeName, argv: argv) { line, isError in
                    counter.count(isError: isError, line: line)
                    await onOutput(OutputLine(source: isError ? .stderr : .stdout, content: sanitizer.sanitize(line)))
                }
            }
            if let timeout {
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    return nil
                }
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        let status: ExitStatus
        if Task.isCancelled {
            status = .cancelled
        } else if let code {
            status = .exited(code)
        } else {
            status = .timedOut
        }
        let (out, err, tail) = counter.snapshot()
        return ExecutionResult(status: status, duration: ContinuousClock.now - started, stdoutLineCount: out,
                               stderrLineCount: err, stderrTail: tail)
    }
}

/// Counts lines and keeps the last stderr lines for the result.
final class LineCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var out = 0
    private var err = 0
    private var tail: [String] = []

    func count(isError: Bool, line: String) {
        lock.withLock {
            if isError {
                err += 1
                tail.append(line)
                if tail.count > 5 { tail.removeFirst() }
            } else {
                out += 1
            }
        }
    }

    func snapshot() -> (Int, Int, [String]) { lock.withLock { (out, err, tail) } }
}
