/// A run of text in one style.
public struct Span: Equatable, Sendable {
    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }

    public var width: Int { TextWidth.of(text) }
}

/// A line of styled spans.
public typealias StyledLine = [Span]

extension Array where Element == Span {
    /// Total column width of the spans.
    public var width: Int { reduce(0) { $0 + $1.width } }

    /// The plain text of the spans.
    public var plainText: String { map(\.text).joined() }
}
