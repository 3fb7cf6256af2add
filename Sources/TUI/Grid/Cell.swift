/// One terminal column: a grapheme with its style, or the right half of a wide grapheme to its left.
public struct Cell: Equatable, Sendable {
    public var symbol: Character
    public var style: Style
    /// True for the column covered by the wide (2-column) grapheme in the cell before it.
    public var isContinuation: Bool

    public init(_ symbol: Character = " ", style: Style = .plain, isContinuation: Bool = false) {
        self.symbol = symbol
        self.style = style
        self.isContinuation = isContinuation
    }

    public static let blank = Cell()
}
