/// How a command ended.
public enum ExitStatus: Sendable, Hashable, CustomStringConvertible {
    /// The command exited by itself with this code.
    case exited(Int32)
    /// The command was killed by this signal (not by kubeskew).
    case signaled(Int32)
    /// The command ran past its timeout and its process group was stopped.
    case timedOut
    /// The caller cancelled and the command's process group was stopped.
    case cancelled

    /// True only for `exited(0)`.
    public var isSuccess: Bool { self == .exited(0) }

    public var description: String {
        switch self {
        case .exited(let code): "exit \(code)"
        case .signaled(let signal): "killed by signal \(signal)"
        case .timedOut: "timed out"
        case .cancelled: "cancelled"
        }
    }
}

/// What happened when a command ran.
public struct ExecutionResult: Sendable, Hashable {
    /// How it ended.
    public var status: ExitStatus
    /// Wall-clock time from launch to the end.
    public var duration: Duration
    /// Lines delivered from stdout.
    public var stdoutLineCount: Int
    /// Lines delivered from stderr.
    public var stderrLineCount: Int
    /// The last few stderr lines (sanitized), for error messages.
    public var stderrTail: [String]

    /// Creates a result.
    public init(status: ExitStatus, duration: Duration, stdoutLineCount: Int = 0, stderrLineCount: Int = 0,
                stderrTail: [String] = []) {
        self.status = status
        self.duration = duration
        self.stdoutLineCount = stdoutLineCount
        self.stderrLineCount = stderrLineCount
        self.stderrTail = stderrTail
    }

    /// True when the command exited with code 0.
    public var succeeded: Bool { status.isSuccess }
}
