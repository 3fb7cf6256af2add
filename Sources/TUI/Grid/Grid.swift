/// An in-memory screen: every view renders into one, the terminal backend flushes the cells that changed,
/// and tests compare its text.
public struct Grid: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: fill, count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Fills `rect` (clipped to the grid) with `cell`.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX {
                self[x, y] = cell
            }
        }
    }

    /// Sets the style of every cell in `rect`, keeping the text (used for the cursor row).
    public mutating func restyle(_ rect: Rect, _ transform: (Style) -> Style) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX {
                self[x, y].style = transform(self[x, y].style)
            }
        }
    }

    /// Writes `text` at (x, y) without passing `maxWidth` columns or the grid's edge; returns the columns used.
    /// Control characters become `�`; a wide character that does not fit whole becomes a space.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, maxWidth: Int = Int.max, style: Style = .plain) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, maxWidth == Int.max ? width : x + max(0, maxWidth))
        var column = x
        for character in text {
            if column >= limit { break }
            var symbol = character
            var w: Int
            if let ascii = character.asciiValue, ascii >= 0x20, ascii < 0x7F {
                w = 1
            } else if character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                symbol = "\u{FFFD}"
                w = 1
            } else {
                w = TextWidth.of(character)
            }
            if w == 0 {
                // A lone combining mark: attach nothing, draw nothing.
                continue
            }
            if column < 0 {
                column += w
                continue
            }
            if column + w > limit {
                setCell(Cell(" ", style: style), at: column, y)
                column += 1
                break
            }
            setCell(Cell(symbol, style: style), at: column, y)
            if w == 2 {
                setCell(Cell(" ", style: style, isContinuation: true), at: column + 1, y)
            }
            column += w
        }
        return max(0, column - x)
    }

    /// Writes spans one after another; returns the columns used.
    @discardableResult
    public mutating func put(_ spans: [Span], x: Int, y: Int, maxWidth: Int = Int.max) -> Int {
        var used = 0
        for span in spans {
            let remaining = maxWidth == Int.max ? Int.max : maxWidth - used
            if remaining <= 0 { break }
            used += put(span.text, x: x + used, y: y, maxWidth: remaining, style: span.style)
        }
        return used
    }

    /// Writes spans cut to `width` columns (ending in `ellipsis` when cut) and padded with blanks in `padStyle`.
    public mutating func put(_ spans: [Span], x: Int, y: Int, width: Int, ellipsis: String, alignRight: Bool = false,
                             padStyle: Style = .plain) {
        guard width > 0 else { return }
        let total = spans.width
        if total <= width {
            let pad = width - total
            let start = alignRight ? x + pad : x
            if alignRight { put(String(repeating: " ", count: pad), x: x, y: y, style: padStyle) }
            put(spans, x: start, y: y, maxWidth: total)
            if !alignRight && pad > 0 { put(String(repeating: " ", count: pad), x: x + total, y: y, style: padStyle) }
            return
        }
        let ellipsisWidth = TextWidth.of(ellipsis)
        let budget = max(0, width - ellipsisWidth)
        var used = 0
        var lastStyle = spans.first?.style ?? padStyle
        for span in spans where used < budget {
            let cut = TextWidth.truncate(span.text, to: budget - used, ellipsis: "")
            let written = TextWidth.of(span.text) <= budget - used ? span.text : cut
            used += put(written, x: x + used, y: y, maxWidth: budget - used, style: span.style)
            lastStyle = span.style
        }
        used += put(ellipsis, x: x + used, y: y, maxWidth: width - used, style: lastStyle)
        if used < width { put(String(repeating: " ", count: width - used), x: x + used, y: y, style: padStyle) }
    }

    /// The text of each row, trailing blanks trimmed (what tests compare).
    public func lines() -> [String] {
        (0..<height).map { line($0) }
    }

    /// The text of row `y`, trailing blanks trimmed.
    public func line(_ y: Int) -> String {
        var text = ""
        for x in 0..<width {
            let cell = self[x, y]
            if cell.isContinuation { continue }
            text.append(cell.symbol)
        }
        while text.last == " " { text.removeLast() }
        return text
    }

    /// The whole screen as text, one line per row.
    public var text: String { lines().joined(separator: "\n") }

    /// Writes one cell and repairs wide characters it cuts in half.
    private mutating func setCell(_ cell: Cell, at x: Int, _ y: Int) {
        guard x >= 0, x < width else { return }
        let old = self[x, y]
        if old.isContinuation && !cell.isContinuation && x > 0 {
            self[x - 1, y] = Cell(" ", style: self[x - 1, y].style)
        }
        if !old.isContinuation && x + 1 < width && self[x + 1, y].isContinuation && TextWidth.of(cell.symbol) < 2 {
            self[x + 1, y] = Cell(" ", style: self[x + 1, y].style)
        }
        self[x, y] = cell
    }
}
