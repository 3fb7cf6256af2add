/// A bordered frame with a title in its top edge.
public enum Box {
    /// Draws the border of `rect` (clearing its inside) and returns the inner rectangle.
    @discardableResult
    public static func draw(into grid: inout Grid, _ rect: Rect, title: String = "", footer: String = "",
                            glyphs: Glyphs, style: Style = Style(.border)) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        grid.fill(rect)
        let horizontal = String(repeating: glyphs.horizontal, count: rect.width - 2)
        grid.put(glyphs.topLeft + horizontal + glyphs.topRight, x: rect.x, y: rect.y, maxWidth: rect.width, style: style)
        grid.put(glyphs.bottomLeft + horizontal + glyphs.bottomRight, x: rect.x, y: rect.maxY - 1, maxWidth: rect.width,
                 style: style)
        for y in (rect.y + 1)..<(rect.maxY - 1) {
            grid.put(glyphs.vertical, x: rect.x, y: y, style: style)
            grid.put(glyphs.vertical, x: rect.maxX - 1, y: y, style: style)
        }
        if !title.isEmpty && rect.width > 6 {
            let text = " " + TextWidth.truncate(title, to: rect.width - 6, ellipsis: glyphs.ellipsis) + " "
            grid.put(text, x: rect.x + 2, y: rect.y, style: Style(.title, bold: true))
        }
        if !footer.isEmpty && rect.width > 6 {
            let text = " " + TextWidth.truncate(footer, to: rect.width - 6, ellipsis: glyphs.ellipsis) + " "
            grid.put(text, x: rect.maxX - 2 - TextWidth.of(text), y: rect.maxY - 1, style: Style(.dim))
        }
        return rect.inset(by: 1)
    }
}
