/// Where each part of the dashboard goes at a terminal size; `update` and the view share it so scrolling agrees.
public struct ScreenLayout: Equatable, Sendable {
    public let header: Rect
    public let controlPlane: Rect
    public let controlPlaneColumns: Int
    public let tableHeader: Rect
    public let tableBody: Rect
    public let footer: Rect
    /// Everything between the header and the footer (where help and details are drawn).
    public let body: Rect

    public init(width: Int, height: Int, controlPlaneEntries: Int) {
        let columns = max(1, min(3, width / 40))
        controlPlaneColumns = columns
        let cpRows = 1 + (controlPlaneEntries + columns - 1) / columns
        let parts = Layout.vertical(Rect(x: 0, y: 0, width: width, height: height),
                                    [.length(2), .length(cpRows), .length(1), .fill(1), .length(1)])
        header = parts[0]
        controlPlane = parts[1]
        tableHeader = parts[2]
        tableBody = parts[3]
        footer = Rect(x: 0, y: max(0, height - 1), width: width, height: height > 0 ? 1 : 0)
        body = Rect(x: 0, y: parts[1].y, width: width, height: max(0, footer.y - parts[1].y))
    }
}
