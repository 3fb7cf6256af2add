import Logging
import NodeExec
import Synchronization

/// Where node commands are logged: nowhere until a command installs a logger (`--log-file`), like `APILog` for API
/// requests. Process-wide because the log file is.
enum NodeCommandLog {
    private static let installed = Mutex<Logger?>(nil)

    /// Sends every later command's line to `logger`.
    static func install(_ logger: Logger) { installed.withLock { $0 = logger } }

    static var current: Logger? { installed.withLock { $0 } }
}

/// Logs each command run through `wrapped`: the node, the executor, the command as typed (`sudo` shown), how it
/// ended and how long it took. Output lines are not logged: they go to the panes and the journal, and an `apt-get`
/// can print megabytes.
struct LoggedExecutor: WrappingNodeExecutor {
    let wrapped: any NodeExecutor

    init(_ wrapped: any NodeExecutor) { self.wrapped = wrapped }

    func run(_ command: CommandSpec, on node: NodeTarget, onOutput: @escaping OutputHandler) async throws(ExecutorError)
        -> ExecutionResult {
        guard let logger = NodeCommandLog.current else { return try await wrapped.run(command, on: node, onOutput: onOutput) }
        let head = "\(node.name) via \(wrapped.name): \(command.displayLine)"
        logger.debug("\(head) started")
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let result = try await wrapped.run(command, on: node, onOutput: onOutput)
            // A success is routine (-v); a failure shows at the default level too.
            logger.log(level: result.status.isSuccess ? .info : .notice,
                       "\(head) \(result.status) \(result.duration.wholeMilliseconds)ms")
            return result
        } catch {
            logger.warning("\(head) could not run: \(error.description) \((clock.now - start).wholeMilliseconds)ms")
            throw error
        }
    }

}
