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

    /// No network host: the node's shell inside the `kubeskew sim` the kubeconfig names (the run's cluster).
    public func nodeDestination(for node: NodeTarget) async throws(ExecutorError) -> NodeDestination {
        NodeDestination(address: "simulated node shell of \(node.name) in kubeskew sim", source: "--executor simulated")
    }

    public func run(_ command: CommandSpec, on node: NodeTarget, onOutput: @escaping OutputHandler) async throws(ExecutorError)
        -> ExecutionResult {
        let started = ContinuousClock.now
        let tally = OutputTally()
        let sanitizer = OutputSanitizer()
        let (client, argv, nodeName) = (self.client, command.argv, node.name)
        let outcome: Result<Int32, any Error>? = await ExecutionSupport.race(timeout: command.timeout) {
            do {
                return .success(try await client.simulatorExec(node: nodeName, argv: argv) { line in
                    let (source, text): (OutputSource, String) = switch line {
                    case .stdout(let t): (.stdout, t)
                    case .stderr(let t): (.stderr, t)
                    }
                    tally.count(source, text)
                    await onOutput(OutputLine(source: source, content: sanitizer.sanitize(text)))
                })
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .success(let code)?:
            return tally.result(Task.isCancelled ? .cancelled : .exited(code), since: started)
        case nil:
            return tally.result(Task.isCancelled ? .cancelled : .timedOut, since: started)
        case .failure(let error)?:
            if Task.isCancelled { return tally.result(.cancelled, since: started) }
            throw ExecutorError(.hostUnreachable, node: nodeName, "the simulator's node shell did not answer: \(error)")
        }
    }
}
