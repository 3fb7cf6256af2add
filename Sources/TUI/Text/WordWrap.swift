/// Breaks text into lines of at most a given column width, at spaces where possible.
public enum WordWrap {
    /// The lines of `text` wrapped to `width` columns (words longer than a line are cut).
    public static func lines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var piece = String(word)
            var pieceWidth = TextWidth.of(piece)
            if currentWidth > 0 && currentWidth + 1 + pieceWidth <= width {
                current += " " + piece
                currentWidth += 1 + pieceWidth
                continue
            }
            if currentWidth > 0 {
                lines.append(current)
                current = ""
                currentWidth = 0
            }
            while pieceWidth > width {
                let head = TextWidth.truncate(piece, to: width, ellipsis: "")
                lines.append(head)
                piece = String(piece.dropFirst(head.count))
                pieceWidth = TextWidth.of(piece)
                if head.isEmpty { break }
            }
            current = piece
            currentWidth = pieceWidth
        }
        if currentWidth > 0 || lines.isEmpty { lines.append(current) }
        return lines
    }
}
