import TerminalText
/// A plain-text table that fits a width by dropping the lowest-priority columns, then truncating the last one.
struct TextTable {
    struct Column {
        let title: String
        /// Lower numbers are kept longer; 0 is never dropped.
        let priority: Int
        /// A column that may shrink (with `…`) down to this width before any column is dropped.
        var minWidth: Int? = nil
    }

    /// A cell: its text and an optional SGR colour code applied when colour is on.
    struct Cell {
        let text: String
        let color: String?
        init(_ text: String, color: String? = nil) {
            self.text = Self.printable(text)
            self.color = color
        }

        /// Cluster data can never drive the terminal: the one terminal sanitizer cleans every cell.
        static func printable(_ s: String) -> String {
            OutputSanitizer.field(s)
        }
    }

    let columns: [Column]
    let rows: [[Cell]]

    func render(width: Int, color: Bool) -> String {
        var keep = Array(columns.indices)
        func naturalWidth(_ c: Int) -> Int { max(columns[c].title.count, rows.map { $0[c].text.count }.max() ?? 0) }
        func widths(_ cols: [Int]) -> [Int] {
            var w = cols.map(naturalWidth)
            var excess = w.reduce(0, +) + 2 * max(0, w.count - 1) - width
            for (i, c) in cols.enumerated() where excess > 0 {
                if let minWidth = columns[c].minWidth, w[i] > minWidth {
                    let cut = min(excess, w[i] - minWidth)
                    w[i] -= cut
                    excess -= cut
                }
            }
            return w
        }
        func total(_ w: [Int]) -> Int { w.reduce(0, +) + 2 * max(0, w.count - 1) }
        // Drop columns (highest priority number first) until the fixed part fits with room for the last column.
        while total(widths(keep)) > width, let drop = keep.filter({ columns[$0].priority > 0 }).max(by: { columns[$0].priority < columns[$1].priority }) {
            keep.removeAll { $0 == drop }
        }
        var w = widths(keep)
        if let last = w.indices.last, total(w) > width {
            w[last] = max(columns[keep[last]].title.count, w[last] - (total(w) - width))
        }
        var out = ""
        func line(_ cells: [Cell], bold: Bool) {
            var parts: [String] = []
            for (i, c) in keep.enumerated() {
                var text = cells[c].text
                if text.count > w[i] { text = String(text.prefix(max(0, w[i] - 1))) + "…" }
                let padded = i == keep.count - 1 ? text : text + String(repeating: " ", count: w[i] - text.count)
                if color, let code = cells[c].color ?? (bold ? "1" : nil) {
                    parts.append("\u{1B}[\(code)m" + padded + "\u{1B}[0m")
                } else {
                    parts.append(padded)
                }
            }
            var l = parts.joined(separator: "  ")
            while l.hasSuffix(" ") { l.removeLast() }
            out += l + "\n"
        }
        line(columns.map { Cell($0.title) }, bold: true)
        for r in rows { line(r, bold: false) }
        return out
    }
}
