/// Scrolling the help and details panels with the table's keys (k9s and less habits): j/k and the arrows one line,
/// PgDn/PgUp (ctrl-f/ctrl-b) a page, g/G and Home/End the top and the bottom.
extension DashboardState {
    /// The new first line of a panel of `lineCount` lines after `key`, or nil when `key` does not scroll.
    func scrolled(_ scroll: Int, by key: Key, lineCount: Int) -> Int? {
        let visible = max(1, overlayVisibleRows)
        let last = max(0, lineCount - visible)
        let page = max(1, visible - 1)
        // What is on screen may be less than `scroll` (the panel clamps it): move from there.
        let from = min(scroll, last)
        switch key {
        case .char("j"), .down: return min(last, from + 1)
        case .char("k"), .up: return max(0, from - 1)
        case .pageDown, .ctrl("f"), .char(" "): return min(last, from + page)
        case .pageUp, .ctrl("b"): return max(0, from - page)
        case .char("g"), .home: return 0
        case .char("G"), .end: return last
        default: return nil
        }
    }

    /// The rows a help or details panel shows (its box takes two).
    var overlayVisibleRows: Int {
        ScreenLayout(width: width, height: height, controlPlaneEntries: controlPlaneEntryCount).body.height - 2
    }

    /// The panel width the help and details are laid out at.
    var overlayTextWidth: Int {
        ScreenLayout(width: width, height: height, controlPlaneEntries: controlPlaneEntryCount).body.width - 4
    }
}
