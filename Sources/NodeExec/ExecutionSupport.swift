import Foundation

/// Helpers for executors that do not run a local process (the simulated ones): a timeout race and output counting.
public enum ExecutionSupport {
    /// Runs `work` against a timer; nil when the timer won (the work task is cancelled and awaited).
    public static func race<T: Sendable>(timeout: Duration?, _ work: @escaping @Sendable () async -> T) async -> T? {
        await withTaskGroup(of: T?.self) { group in
            group.addTask { await work() }
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
    }
}

/// Counts an execution's stdout and stderr lines and keeps the last stderr lines for its result.
public final class OutputTally: @unchecked Sendable {
    private let lock = NSLock()
    private var out = 0
    private var err = 0
    private var tail: [String] = []
    private let tailLength: Int

    public init(tailLength: Int = 5) {
        self.tailLength = tailLength
    }

    public func count(_ source: OutputSource, _ line: String) {
        lock.withLock {
            if source == .stderr {
                err += 1
                tail.append(line)
                if tail.count > tailLength { tail.removeFirst() }
            } else {
                out += 1
            }
        }
    }

    /// A result with these counts.
    public func result(_ status: ExitStatus, since started: ContinuousClock.Instant) -> ExecutionResult {
        lock.withLock {
            ExecutionResult(status: status, duration: ContinuousClock.now - started, stdoutLineCount: out,
                            stderrLineCount: err, stderrTail: tail)
        }
    }
}
