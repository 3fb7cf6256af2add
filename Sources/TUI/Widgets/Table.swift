/// A table column: title, width bounds, and how long it survives when the screen is narrow.
public struct TableColumn: Equatable, Sendable {
    public var title: String
    /// The column shrinks no narrower than this (content is cut with `…`).
    public var minWidth: Int
    /// The column grows no wider than this.
    public var maxWidth: Int
    /// When the screen is too narrow, columns with the lowest priority are dropped first.
    public var priority: Int
    public var alignRight: Bool
    /// Shown only when the whole table fits at its natural width (wide-screen extras, never cut).
    public var wideOnly: Bool
    /// The width this column is counted at, at the least, when deciding whether the wide-only columns fit: room
    /// for what its content may become while the screen is watched (a cordon, a run's progress), so that content
    /// that changes does not make columns appear and vanish.
    public var reserve: Int
    /// The order in which columns are narrowed (lowest first), when it differs from `priority`: a long name may be
    /// cut before the badges, yet it is the last thing dropped.
    public var shrinkPriority: Int
    /// The last column takes whatever room the others leave, and is counted at a constant width while they are
    /// fitted: its content (badges that shrink, a run's progress) then never moves or resizes another column.
    public var fill: Bool

    public init(_ title: String, minWidth: Int, maxWidth: Int = 60, priority: Int, alignRight: Bool = false,
                wideOnly: Bool = false, reserve: Int = 0, shrinkPriority: Int? = nil, fill: Bool = false) {
        self.title = title
        self.minWidth = minWidth
        self.maxWidth = max(minWidth, maxWidth)
        self.priority = priority
        self.alignRight = alignRight
        self.wideOnly = wideOnly
        self.reserve = min(reserve, self.maxWidth)
        self.shrinkPriority = shrinkPriority ?? priority
        self.fill = fill
    }
}

/// Fits table columns to a width: drops wide-only columns (lowest priority first) until the natural widths fit
/// (the other columns counted at their reserve at the least), then the lowest-priority columns until the minimums
/// fit, then shrinks columns from the lowest shrink priority up, each to its minimum, until the whole table fits; a
/// fill column gets the room left over. Columns with a reserve are given it: their content changes while the screen
/// is watched (a cordon, a probed version), and a width that follows it would move the other columns.
public enum TableFit {
    /// Content longer than this is cut before shorter columns are touched.
    public static let comfortableWidth = 24

    /// Column widths (0 for a dropped column) for content whose natural widths are `natural`.
    public static func widths(_ columns: [TableColumn], natural: [Int], available: Int, gap: Int = 1) -> [Int] {
        let count = columns.count
        guard count > 0, available > 0 else { return Array(repeating: 0, count: count) }
        var active = Set(0..<count)
        func gaps() -> Int { max(0, active.count - 1) * gap }
        var widths = (0..<count).map { i -> Int in
            let column = columns[i]
            if column.fill { return min(max(comfortableWidth, column.minWidth), column.maxWidth) }
            let wanted = max(TextWidth.of(column.title), i < natural.count ? natural[i] : 0, column.reserve)
            return min(max(wanted, column.minWidth), column.maxWidth)
        }
        let counted = (0..<count).map { columns[$0].wideOnly ? widths[$0] : max(widths[$0], columns[$0].reserve) }
        while active.reduce(0, { $0 + counted[$1] }) + gaps() > available,
              let victim = active.filter({ columns[$0].wideOnly }).min(by: { columns[$0].priority < columns[$1].priority }) {
            active.remove(victim)
        }
        while active.count > 1 && active.reduce(0, { $0 + columns[$1].minWidth }) + gaps() > available {
            // Lowest priority goes first; among equals the rightmost.
            let victim = active.min { a, b in
                columns[a].priority != columns[b].priority ? columns[a].priority < columns[b].priority : a > b
            }
            if let victim { active.remove(victim) }
        }
        for i in 0..<count where !active.contains(i) { widths[i] = 0 }
        var excess = active.reduce(0) { $0 + widths[$1] } + gaps() - available
        // First cut only unusually long content down to a comfortable width, then shrink the least important
        // columns first, each down to its minimum, so short names stay whole longest.
        let byPriority = active.sorted { columns[$0].shrinkPriority < columns[$1].shrinkPriority }
        for floor in [{ (i: Int) in max(columns[i].minWidth, comfortableWidth) }, { (i: Int) in columns[i].minWidth }] {
            for i in byPriority where excess > 0 {
                let give = min(excess, widths[i] - floor(i))
                if give > 0 {
                    widths[i] -= give
                    excess -= give
                }
            }
        }
        if excess > 0, let only = active.first, active.count == 1 {
            widths[only] = available
        }
        if excess < 0, let fill = active.first(where: { columns[$0].fill }) {
            widths[fill] -= excess
        }
        return widths
    }
}

/// Draws a table: a header row, then a window of rows, with the cursor row in reverse video.
public struct TableView: Sendable {
    public var columns: [TableColumn]
    public var widths: [Int]
    public var gap: Int
    public var glyphs: Glyphs

    public init(columns: [TableColumn], widths: [Int], gap: Int = 1, glyphs: Glyphs) {
        self.columns = columns
        self.widths = widths
        self.gap = gap
        self.glyphs = glyphs
    }

    /// The header row, with `sortedColumn`'s title marked by the sort arrow.
    public func renderHeader(into grid: inout Grid, x: Int, y: Int, width: Int, sortedColumn: Int?) {
        let style = Style(.columnHeader, bold: true)
        grid.put(String(repeating: " ", count: max(0, width)), x: x, y: y, style: style)
        var column = x
        for (index, title) in columns.map(\.title).enumerated() where widths[index] > 0 {
            let label = index == sortedColumn ? title + glyphs.sortArrow : title
            grid.put([Span(label, style)], x: column, y: y, width: widths[index], ellipsis: glyphs.ellipsis,
                     alignRight: columns[index].alignRight, padStyle: style)
            column += widths[index] + gap
        }
    }

    /// One row: `cells[i]` is drawn into column i (cut with `…` when too wide).
    public func renderRow(into grid: inout Grid, x: Int, y: Int, width: Int, cells: [StyledLine], isCursor: Bool) {
        var column = x
        for index in columns.indices where widths[index] > 0 {
            if column >= x + width { break }
            let cell = index < cells.count ? cells[index] : []
            let w = min(widths[index], x + width - column)
            grid.put(cell, x: column, y: y, width: w, ellipsis: glyphs.ellipsis, alignRight: columns[index].alignRight)
            column += widths[index] + gap
        }
        if isCursor {
            grid.restyle(Rect(x: x, y: y, width: width, height: 1)) { style in
                var s = style
                s.reverse = true
                return s
            }
        }
    }
}
