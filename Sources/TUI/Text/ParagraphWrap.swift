/// Lays out hand-written text at any width: lines that are hard-wrapped in the source join into paragraphs (a
/// blank line ends one) before wrapping, so a narrow screen gets filled lines instead of ragged one-word tails, and
/// indented `term   description` rows wrap with a hanging indent under their description.
public enum ParagraphWrap {
    /// The lines of `text` laid out in `width` columns.
    public static func lines(_ text: String, width: Int) -> [String] {
        var out: [String] = []
        var paragraph: [String] = []
        func flush() {
            guard !paragraph.isEmpty else { return }
            out += WordWrap.lines(paragraph.joined(separator: " "), width: max(10, width))
            paragraph = []
        }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if raw.allSatisfy({ $0 == " " }) {
                flush()
                out.append("")
            } else if raw.hasPrefix(" ") {
                flush()
                out += hanging(raw, width: width)
            } else {
                paragraph.append(raw)
            }
        }
        flush()
        return out
    }

    /// One indented row: `  term   description` wraps under the description, any other indented line under its
    /// first word.
    static func hanging(_ row: String, width: Int) -> [String] {
        // A row that fits keeps its own spacing (the verdict list is aligned by hand).
        guard TextWidth.of(row) > width else { return [row] }
        let indent = row.prefix { $0 == " " }.count
        let body = row.dropFirst(indent)
        var column = indent
        if let term = body.firstIndex(of: " "), body[term...].hasPrefix("  ") {
            let gap = body[term...].prefix { $0 == " " }.count
            column = indent + TextWidth.of(String(body[..<term])) + gap
        }
        // A description column too far right for the screen falls back to the row's own indent.
        if width - column < 20 { column = indent }
        let head = String(row.prefix(column))
        let rest = String(row.dropFirst(column))
        let pad = String(repeating: " ", count: column)
        return WordWrap.lines(rest, width: max(10, width - column)).enumerated().map { index, line in
            (index == 0 ? head : pad) + line
        }
    }
}
