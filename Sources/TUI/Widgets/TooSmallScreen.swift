/// The screen shown when the terminal is smaller than the dashboard needs.
public enum TooSmallScreen {
    public static let minimumWidth = 60
    public static let minimumHeight = 15

    /// True when a `width`×`height` terminal is too small for the dashboard.
    public static func applies(width: Int, height: Int) -> Bool {
        width < minimumWidth || height < minimumHeight
    }

    /// Draws the message centred in the grid.
    public static func render(into grid: inout Grid) {
        let lines = [
            "terminal too small: \(grid.width)×\(grid.height)",
            "kubeskew needs at least \(minimumWidth)×\(minimumHeight)",
            "enlarge the window, or press q to quit",
        ]
        let top = max(0, (grid.height - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            let x = max(0, (grid.width - TextWidth.of(line)) / 2)
            grid.put(line, x: x, y: top + index, style: index == 0 ? Style(.warning, bold: true) : .plain)
        }
    }
}
