import Foundation

/// The guided upgrade's pieces of the dashboard's frame: header progress, table progress, footer hints while the
/// panes have the keys, and the failure notice that stays until acknowledged.
enum UpgradeChrome {
    /// `run 1/3 nodes ⟳` for the header's second line.
    static func headerSpans(_ state: DashboardState) -> StyledLine {
        guard let run = state.upgrade.run else { return [] }
        if run.kind == .actions { return actionSpans(run) }
        let (done, total) = run.nodeProgress
        let phase: (String, Style)
        switch run.phase {
        case .running: phase = ("running", Style(.accent, bold: true))
        case .pausing: phase = ("pausing", Style(.warning, bold: true))
        case .paused: phase = ("paused (P goes on)", Style(.warning, bold: true))
        case .aborting: phase = ("aborting", Style(.danger, bold: true))
        case .finished: phase = (done == total ? "finished" : "over", done == total ? Style(.ok, bold: true) : Style(.danger, bold: true))
        }
        let failed = run.panes.filter { $0.status == .failed || $0.status == .aborted }.count
        var spans: StyledLine = [Span("   run ", Style(.dim)), Span("\(done)/\(total) nodes ", Style(.normal, bold: true)),
                                 Span(phase.0, phase.1)]
        if failed > 0 { spans.append(Span(" \(failed) failed", Style(.danger, bold: true))) }
        return spans
    }

    /// `actions 1 running · 2 done · 1 failed` when only single actions' panes are shown.
    static func actionSpans(_ run: RunView) -> StyledLine {
        let count = { (status: PaneNodeStatus) in run.panes.filter { $0.status == status }.count }
        var spans: StyledLine = [Span("   actions ", Style(.dim))]
        let parts: [(Int, String, Style)] = [
            (count(.running), "running", Style(.accent, bold: true)), (count(.pending), "queued", Style(.dim)),
            (count(.done), "done", Style(.ok, bold: true)), (count(.failed), "failed", Style(.danger, bold: true)),
        ]
        for (n, word, style) in parts where n > 0 {
            if spans.count > 1 { spans.append(Span(" · ", Style(.dim))) }
            spans.append(Span("\(n) \(word)", style))
        }
        return spans
    }

    /// `events 17:21:03 node01 cordoned · 17:21:40 node01 kubelet v1.33.3 …`: what the cluster did since the run
    /// began, newest first.
    static func renderEvents(_ state: DashboardState, since: Date, into grid: inout Grid, area: Rect) {
        grid.fill(area)
        let g = state.options.glyphs
        var line: StyledLine = [Span(" events ", Style(.title, bold: true))]
        let events = state.clusterEvents.newest(since: since)
        if events.isEmpty {
            line.append(Span("no node changed since \(DashboardView.clock(since, state.options.timeZone))", Style(.dim)))
        }
        var used = TextWidth.of(" events ")
        for (index, event) in events.enumerated() {
            let time = DashboardView.clock(event.at, state.options.timeZone)
            let text = "\(event.node) \(event.change)"
            let width = TextWidth.of(time) + 1 + TextWidth.of(text) + (index > 0 ? 3 : 0)
            if used + width > area.width { break }
            if index > 0 { line.append(Span(" \(g.separator) ", Style(.dim))) }
            line += [Span(time + " ", Style(.dim)), Span(text, event.isWarning ? Style(.danger, bold: true) : Style(.normal, bold: true))]
            used += width
        }
        grid.put(line, x: area.x, y: area.y, width: area.width, ellipsis: g.ellipsis)
    }

    /// The widest progress text the table shows in front of a node's risks (0 without a run): once per frame, over
    /// the run's panes, not the table's rows.
    static func widestProgress(_ state: DashboardState) -> Int {
        state.upgrade.run?.widestProgressText(glyphs: state.options.glyphs) ?? 0
    }

    /// The risk cell of a node in the run, with its progress in front.
    static func progressCell(_ state: DashboardState, node: String, risks: StyledLine) -> StyledLine {
        guard let run = state.upgrade.run, let progress = run.progressText(for: node, glyphs: state.options.glyphs) else { return risks }
        return [Span(progress.text, progress.style)] + (risks.isEmpty ? [] : [Span(" ")] + risks)
    }

    /// The pane keys, when the panes have them or a review is open; false when the normal footer applies.
    static func renderFooter(_ state: DashboardState, into grid: inout Grid, area: Rect) -> Bool {
        let readOnly = state.options.readOnly
        var hints: [(String, String)]
        if case .ready? = state.upgrade.review, state.upgrade.preview {
            hints = readOnly ? [("j/k", "blocker"), ("esc", "close")] : [("U", "upgrade these"), ("j/k", "blocker"), ("esc", "close")]
        } else if case .ready(let review)? = state.upgrade.review {
            hints = review.canConfirm ? [("y", "start"), ("j/k", "blocker"), ("space", "acknowledge"), ("esc", "cancel")]
                : [("j/k", "blocker"), ("space", "acknowledge"), ("esc", "cancel")]
        } else if state.upgrade.review != nil {
            hints = [("esc", "cancel")]
        } else if let run = state.upgrade.run, run.keysOnPanes {
            hints = [("tab", "pane"), ("f", run.fullScreen ? "split" : "full"), ("pgup/pgdn g/G", "scroll"),
                     ("s", run.panes.indices.contains(run.focused) && run.panes[run.focused].follow ? "unfollow" : "follow")]
            let focusedAction = run.panes.indices.contains(run.focused) ? run.panes[run.focused].action : nil
            if !readOnly && (run.kind == .actions || focusedAction != nil) {
                if run.hasActionInFlight { hints.append(("A", "stop")) }
                hints.append(("u", "uncordon"))
            } else if !readOnly {
                if !run.unacknowledgedFailures.isEmpty { hints.append(("enter", "acknowledge")) }
                if run.isActive || state.upgrade.clusterRunActive { hints.append(("A", "abort")) }
                hints += [("R", "retry"), ("S", "skip"), ("u", "uncordon")]
                if run.upgradeIsActive || run.phase == .paused { hints.append(("P", run.phase == .paused ? "go on" : "pause")) }
            }
            hints.append(("esc", "table"))
        } else {
            return false
        }
        var line: StyledLine = [Span(" ")]
        for (index, hint) in hints.enumerated() {
            if index > 0 { line.append(Span(" \(state.options.glyphs.separator) ", Style(.dim))) }
            line += [Span(hint.0, Style(.accent, bold: true)), Span(" " + hint.1, Style(.dim))]
        }
        grid.fill(area)
        grid.put(line, x: area.x, y: area.y, width: area.width, ellipsis: state.options.glyphs.ellipsis)
        return true
    }

    /// A failed node's notice, centred in `area`, until the operator acknowledges it.
    static func renderFailure(_ state: DashboardState, into grid: inout Grid, area: Rect) {
        guard let run = state.upgrade.run, let node = run.unacknowledgedFailures.first,
              let pane = run.panes.first(where: { $0.node == node }), let failed = pane.failedStep else { return }
        let g = state.options.glyphs
        let step = pane.steps[failed.index]
        let cordoned = run.nodeStates.first { $0.hasPrefix(node + ":") }?.contains("left cordoned") == true
        var message = ["\(step.name) failed (\(failed.exitStatus ?? "no exit status")), step \(failed.index + 1)/\(pane.steps.count)"]
        message += WordWrap.lines(Sanitize.forScreen(failed.message ?? ""), width: max(20, min(area.width - 8, 90)))
        message.append(cordoned ? "\(node) is left cordoned." : "\(node) was not cordoned by the run.")
        let isDrain = step.name.hasPrefix("drain")
        if isDrain && !state.options.readOnly {
            // The way on after a blocked drain, by keyboard: drain it by hand with the options it needs, then retry.
            message.append("r drains it with options (disable eviction bypasses a budget); R then retries the step.")
        }
        let keys = state.options.readOnly ? "enter acknowledge"
            : isDrain ? "enter acknowledge · R retry · u uncordon · esc then r drain" : "enter acknowledge · R retry · S skip · u uncordon"
        let width = min(area.width, max(TextWidth.of(keys), message.map { TextWidth.of($0) }.max() ?? 0) + 4)
        let box = area.centered(width: width, height: min(area.height, message.count + 3))
        let inner = Box.draw(into: &grid, box, title: "\(g.bad) \(node) failed", glyphs: g, style: Style(.danger, bold: true))
        for (index, line) in message.enumerated() where index < inner.height - 1 {
            grid.put(" " + line, x: inner.x, y: inner.y + index, maxWidth: inner.width, style: index == 0 ? Style(.danger, bold: true) : .plain)
        }
        if inner.height > 0 {
            grid.put(" " + keys, x: inner.x, y: inner.maxY - 1, maxWidth: inner.width, style: Style(.accent, bold: true))
        }
    }
}
