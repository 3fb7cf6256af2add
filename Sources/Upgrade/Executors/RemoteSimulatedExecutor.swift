import Foundation
import KubeClient
import NodeExec

/// Runs commands in the node shells of a separate `kubeskew sim` process, through its exec endpoint:
/// `kubeskew upgrade --executor simulated --kubeconfig <the sim's kubeconfig>` from another terminal.
public struct RemoteSimulatedExecutor: NodeExecutor {
    public let name = "simulated"
    let client: KubeAPIClient

    public init(client: KubeAPIClient) {
        self.client = client
    }

    public func run(_ command: CommandSpec, on node: NodeTarget, onOutput: @escaping OutputHandler) async throws(ExecutorError)
        -> ExecutionResult {
        let started = ContinuousClock.now
        let sanitizer = OutputSanitizer()
        let tail = TailCollector()
        let client = self.client
        let argv = command.argv
        let nodeName = node.name
        let outcome: Result<Int32?, any Error> = await withTaskGroup(of: Result<Int32?, any Error>.self) { group in
            group.addTask {
                do {
                    let code = try await client.simulatorExec(node: nodeName, argv: argv) { line in
                        switch line {
                        case .stdout(let text): await onOutput(OutputLine(source: .stdout, content: sanitizer.sanitize(text)))
                        case .stderr(let text):
                            tail.add(text)
                            await onOutput(OutputLine(source: .stderr, content: sanitizer.sanitize(text)))
                        }
                    }
                    return .success(code)
                } catch {
                    return .failure(error)
                }
            }
            if let timeout = command.timeout {
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    return .success(nil)
                }
            }
            let first = await group.next() ?? .success(nil)
            group.cancelAll()
            return first
        }
        let status: ExitStatus
        switch outcome {
        case .success(let code?): status = .exited(code)
        case .success(nil): status = Task.isCancelled ? .cancelled : .timedOut
        case .failure(let error):
            if Task.isCancelled { status = .cancelled } else {
                throw ExecutorError(.hostUnreachable, node: nodeName, "the simulator's node shell did not answer: \(error)")
            }
        }
        return ExecutionResult(status: status, duration: ContinuousClock.now - started, stderrTail: tail.lines)
    }
}

/// The last stderr lines, for the failure message.
final class TailCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var _lines: [String] = []
    func add(_ line: String) { lock.withLock { _lines.append(line); if _lines.count > 5 { _lines.removeFirst() } } }
    var lines: [String] { lock.withLock { _lines } }
}
