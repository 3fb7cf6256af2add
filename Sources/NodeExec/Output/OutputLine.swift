/// Which of the child's output streams a line came from.
public enum OutputSource: String, Sendable, Hashable {
    case stdout
    case stderr
}

/// One sanitized line of a command's output.
public struct OutputLine: Sendable, Hashable {
    /// stdout or stderr.
    public let source: OutputSource
    /// The line, free of control sequences, with its colour runs.
    public let content: SanitizedLine

    /// Creates a line.
    public init(source: OutputSource, content: SanitizedLine) {
        self.source = source
        self.content = content
    }

    /// The line as plain text.
    public var text: String { content.text }
}
