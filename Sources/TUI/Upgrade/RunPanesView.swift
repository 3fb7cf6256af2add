import Foundation

/// Where the run's panes go: below the node table, or over the whole body in full screen.
public enum RunLayout {
    /// Splits the table body between the table, the events line and the panes while a run is shown.
    public static func split(tableBody: Rect, run: RunView?) -> (table: Rect, events: Rect?, panes: Rect?) {
        guard let run, !run.fullScreen else { return (tableBody, nil, nil) }
        let paneHeight = max(min(tableBody.height, 7), tableBody.height * 3 / 5)
        let eventsHeight = tableBody.height - paneHeight >= 3 ? 1 : 0
        let parts = Layout.vertical(tableBody, [.fill(1), .length(eventsHeight), .length(paneHeight)])
        return (parts[0], eventsHeight > 0 ? parts[1] : nil, parts[2])
    }

    /// Output lines visible in one pane of `area` when `count` panes share it (for paging).
    static func outputHeight(area: Rect, count: Int) -> Int {
        max(1, area.height / max(1, count) - 1)
    }
}

/// Draws the panes of a run: per node a title line, the steps with their states on the left, the output on the right.
public enum RunPanesView {
    public static func render(_ run: RunView, into grid: inout Grid, area: Rect, glyphs: Glyphs, now: Date) {
        guard area.height > 0 else { return }
        grid.fill(area)
        let shown = run.fullScreen ? [run.focused] : Array(run.shownPanes.prefix(max(1, area.height / 4)))
        let heights = Layout.vertical(area, shown.map { _ in Constraint.fill(1) })
        for (slot, index) in shown.enumerated() where index < run.panes.count {
            renderPane(run.panes[index], run: run, focused: index == run.focused, into: &grid, area: heights[slot], glyphs: glyphs, now: now)
        }
    }

    static func renderPane(_ pane: RunPane, run: RunView, focused: Bool, into grid: inout Grid, area: Rect, glyphs: Glyphs, now: Date) {
        guard area.height > 0 else { return }
        let (done, total) = pane.progress
        let h = glyphs.horizontal
        var title = pane.action.map { "\(h)\(h) \(pane.node) \(h) \($0.name) \(statusWord(pane.status)) " }
            ?? "\(h)\(h) \(pane.node) \(h) \(done)/\(total) \(statusWord(pane.status)) "
        if !pane.follow { title += "\(glyphs.horizontal) scrolled (G follows) " }
        let titleStyle = pane.status == .failed || pane.status == .aborted ? Style(.danger, bold: true)
            : focused ? Style(.title, bold: true) : Style(.border)
        grid.put(title + String(repeating: glyphs.horizontal, count: max(0, area.width - TextWidth.of(title))),
                 x: area.x, y: area.y, maxWidth: area.width, style: titleStyle)
        let body = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
        guard body.height > 0 else { return }
        let stepsWidth = min(44, max(30, body.width * 9 / 20))
        let columns = Layout.horizontal(body, [.length(stepsWidth), .length(1), .fill(1)])
        renderSteps(pane, into: &grid, area: columns[0], glyphs: glyphs, now: now)
        for y in columns[1].y..<columns[1].maxY { grid.put(glyphs.vertical, x: columns[1].x, y: y, style: Style(.border)) }
        renderOutput(pane, into: &grid, area: columns[2])
    }

    static func statusWord(_ status: PaneNodeStatus) -> String {
        switch status {
        case .pending: return "queued"
        case .running: return "running"
        case .done: return "done"
        case .failed: return "FAILED"
        case .aborted: return "ABORTED"
        case .refused: return "REFUSED"
        }
    }

    static func renderSteps(_ pane: RunPane, into grid: inout Grid, area: Rect, glyphs: Glyphs, now: Date) {
        guard area.height > 0 else { return }
        // Keep the step that matters (running or failed) in view when the list is longer than the pane.
        let anchor = pane.currentStep ?? max(0, pane.progress.done - 1)
        let first = max(0, min(anchor - area.height / 2, pane.steps.count - area.height))
        for row in 0..<min(area.height, pane.steps.count - first) {
            let index = first + row
            let step = pane.steps[index]
            let (glyph, glyphStyle, suffix) = describe(step.state, glyphs: glyphs, now: now)
            let place = step.location == "node" ? "node" : "cp"
            let number = String(index + 1)
            let nameWidth = max(4, area.width - 11 - number.count - TextWidth.of(suffix))
            let line: StyledLine = [
                Span(" \(glyph) ", glyphStyle), Span(number + " ", Style(.dim)),
                Span(TextWidth.fit(step.name, to: nameWidth, ellipsis: glyphs.ellipsis) + " ", isRunning(step) ? Style(.normal, bold: true) : .plain),
                Span(suffix, glyphStyle), Span(" " + TextWidth.fit(place, to: 4), Style(.dim)),
            ]
            grid.put(line, x: area.x, y: area.y + row, width: area.width, ellipsis: glyphs.ellipsis)
        }
    }

    static func isRunning(_ step: PaneStep) -> Bool {
        if case .running = step.state { return true }
        return false
    }

    /// The glyph, its style, and the words after the name (`12s`, `exit 1`, `skipped`).
    static func describe(_ state: PaneStepState, glyphs: Glyphs, now: Date) -> (String, Style, String) {
        switch state {
        case .pending: return (glyphs == .unicode ? "·" : ".", Style(.dim), "")
        case .running(let since):
            let seconds = max(0, Int(now.timeIntervalSince(since)))
            return (glyphs == .unicode ? "⟳" : "~", Style(.accent, bold: true), seconds >= 60 ? "\(seconds / 60)m\(seconds % 60)s" : "\(seconds)s")
        case .done: return (glyphs.ok, Style(.ok, bold: true), "")
        case .skipped: return (glyphs == .unicode ? "↷" : "-", Style(.dim), "skipped")
        case .failed(let exit, _): return (glyphs.bad, Style(.danger, bold: true), Sanitize.forScreen(exit ?? "failed"))
        }
    }

    static func renderOutput(_ pane: RunPane, into grid: inout Grid, area: Rect) {
        guard area.height > 0, area.width > 1 else { return }
        var rows = area.height
        // The reason a step failed stays in view under the output, wrapped to at most three lines.
        var failureLines: [String] = []
        if let failed = pane.failedStep, let message = failed.message {
            failureLines = Array(WordWrap.lines(Sanitize.forScreen(message), width: max(10, area.width - 2)).prefix(min(3, max(1, area.height / 2))))
            rows -= failureLines.count
        }
        let first = pane.firstVisibleLine(height: rows)
        let lines = pane.lines
        for row in 0..<max(0, min(rows, lines.count - first)) {
            let text = lines[lines.startIndex + first + row]
            let style: Style = text.hasPrefix("$ ") ? Style(.accent, bold: true)
                : pane.action != nil && pane.status == .done && first + row == lines.count - 1 ? Style(.ok, bold: true) : .plain
            grid.put(" " + text, x: area.x, y: area.y + row, maxWidth: area.width, style: style)
        }
        for (index, line) in failureLines.enumerated() {
            grid.put(" " + line, x: area.x, y: area.maxY - failureLines.count + index, maxWidth: area.width, style: Style(.danger, bold: true))
        }
    }
}
