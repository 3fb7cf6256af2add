/// The symbols screens draw with: box drawing and badges in UTF-8, plain ASCII when the locale is not UTF-8.
public struct Glyphs: Sendable, Equatable {
    public var horizontal: String
    public var vertical: String
    public var topLeft: String
    public var topRight: String
    public var bottomLeft: String
    public var bottomRight: String
    public var cursor: String
    public var mark: String
    public var ellipsis: String
    public var live: String
    public var separator: String
    public var ok: String
    public var warn: String
    public var bad: String
    public var sortArrow: String

    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        cursor: "▸", mark: "●", ellipsis: "…", live: "◉", separator: "·", ok: "✓", warn: "⚠", bad: "✗",
        sortArrow: "↓")

    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        cursor: ">", mark: "*", ellipsis: "~", live: "(o)", separator: "|", ok: "ok", warn: "!", bad: "x",
        sortArrow: "v")

    /// Picks the set for a codeset name as `nl_langinfo(CODESET)` reports it.
    public static func forCodeset(_ codeset: String) -> Glyphs {
        let normalized = codeset.uppercased().filter { $0 != "-" }
        return normalized == "UTF8" ? .unicode : .ascii
    }
}
