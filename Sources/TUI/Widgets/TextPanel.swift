/// A bordered, scrollable panel of styled lines (details and help).
public struct TextPanel: Equatable, Sendable {
    public var title: String
    public var lines: [StyledLine]
    public var scroll: Int

    public init(title: String, lines: [StyledLine], scroll: Int = 0) {
        self.title = title
        self.lines = lines
        self.scroll = scroll
    }

    /// The first line shown, kept so that the last page is full.
    public func clampedScroll(visibleRows: Int) -> Int {
        max(0, min(scroll, lines.count - max(1, visibleRows)))
    }

    /// Draws the panel into `area`.
    public func render(into grid: inout Grid, area: Rect, glyphs: Glyphs) {
        let visible = max(0, area.height - 2)
        let first = clampedScroll(visibleRows: visible)
        let last = min(lines.count, first + visible)
        let position = lines.count > visible ? "\(first + 1)-\(last) of \(lines.count)  j/k PgDn G scroll · esc close"
                                              : "esc close"
        let inner = Box.draw(into: &grid, area, title: title, footer: position, glyphs: glyphs)
        guard inner.height > 0 else { return }
        for row in 0..<min(inner.height, last - first) {
            grid.put([Span(" ")] + lines[first + row], x: inner.x, y: inner.y + row, width: inner.width,
                     ellipsis: glyphs.ellipsis)
        }
    }
}
