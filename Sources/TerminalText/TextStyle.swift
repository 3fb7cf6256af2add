/// A colour a child process asked for through SGR; the screen decides how to render it.
public enum TerminalColor: Sendable, Hashable {
    /// One of the 16 standard colours: 0–7 normal, 8–15 bright.
    case ansi(UInt8)
    /// An entry of the 256-colour palette.
    case palette(UInt8)
    /// A 24-bit colour.
    case rgb(UInt8, UInt8, UInt8)
}

/// The SGR attributes kept from child output; anything else a sequence could do is dropped.
public struct TextStyle: Sendable, Hashable {
    public var foreground: TerminalColor?
    public var background: TerminalColor?
    public var bold = false
    public var dim = false
    public var italic = false
    public var underline = false
    public var inverse = false
    public var strikethrough = false

    /// No colour, no attributes.
    public static let plain = TextStyle()

    /// Creates the plain style.
    public init() {}
}

/// A stretch of sanitized text in one style.
public struct StyledRun: Sendable, Hashable {
    /// The text: printable characters and tabs only.
    public var text: String
    /// The style the child asked for.
    public var style: TextStyle

    /// Creates a run.
    public init(text: String, style: TextStyle) {
        self.text = text
        self.style = style
    }
}

/// One line of child output made safe for a terminal: no control sequence survives, only text and colour spans.
public struct SanitizedLine: Sendable, Hashable {
    /// The whole line as plain text.
    public let text: String
    /// The same text split where the style changes; empty when the line is empty.
    public let runs: [StyledRun]
    /// True when the line was longer than the limit and its end was cut off.
    public let isTruncated: Bool

    /// Builds a line from its runs.
    public init(runs: [StyledRun], isTruncated: Bool) {
        self.runs = runs.filter { !$0.text.isEmpty }
        self.text = self.runs.map(\.text).joined()
        self.isTruncated = isTruncated
    }

    /// A plain, unstyled line; `text` must already be safe.
    init(plain text: String, isTruncated: Bool) {
        self.text = text
        self.runs = text.isEmpty ? [] : [StyledRun(text: text, style: .plain)]
        self.isTruncated = isTruncated
    }
}
