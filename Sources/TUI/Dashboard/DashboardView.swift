import Foundation
import SkewCore

/// Draws the dashboard state into a grid. Pure: the same state gives the same grid.
public enum DashboardView {
    public static func render(_ state: DashboardState) -> Grid {
        var grid = Grid(width: state.width, height: state.height)
        render(state, into: &grid)
        return grid
    }

    /// Draws into an existing grid of the state's size (the runtime reuses its buffer).
    public static func render(_ state: DashboardState, into grid: inout Grid) {
        if TooSmallScreen.applies(width: state.width, height: state.height) {
            TooSmallScreen.render(into: &grid)
            if case .confirm(let dialog) = state.overlay {
                dialog.render(into: &grid, area: grid.bounds, glyphs: state.options.glyphs)
            }
            return
        }
        let layout = ScreenLayout(width: state.width, height: state.height,
                                  controlPlaneEntries: state.controlPlaneEntryCount)
        renderHeader(state, into: &grid, area: layout.header)
        switch state.overlay {
        case .help(let scroll):
            HelpContent.panel(state, scroll: scroll, width: layout.body.width - 4)
                .render(into: &grid, area: layout.body, glyphs: state.options.glyphs)
        case .details(let name, let scroll):
            DetailsContent.panel(state, node: name, scroll: scroll, width: layout.body.width - 4)
                .render(into: &grid, area: layout.body, glyphs: state.options.glyphs)
        case .none, .confirm, .drain, .target, .contexts:
            if let review = state.upgrade.review {
                PlanReviewScreen.render(review, preview: state.upgrade.preview, readOnly: state.options.readOnly, into: &grid,
                                        area: layout.body, glyphs: state.options.glyphs)
            } else if let run = state.upgrade.run, run.fullScreen {
                RunPanesView.render(run, into: &grid, area: layout.body, glyphs: state.options.glyphs, now: state.now)
            } else {
                let split = RunLayout.split(tableBody: layout.tableBody, run: state.upgrade.run)
                renderControlPlane(state, into: &grid, area: layout.controlPlane, columns: layout.controlPlaneColumns)
                renderTable(state, into: &grid, header: layout.tableHeader, body: split.table)
                if let run = state.upgrade.run, let events = split.events {
                    UpgradeChrome.renderEvents(state, since: run.openedAt, into: &grid, area: events)
                }
                if let run = state.upgrade.run, let panes = split.panes {
                    RunPanesView.render(run, into: &grid, area: panes, glyphs: state.options.glyphs, now: state.now)
                }
            }
            if state.overlay == .none, state.upgrade.review == nil {
                UpgradeChrome.renderFailure(state, into: &grid, area: layout.body)
            }
        }
        renderFooter(state, into: &grid, area: layout.footer)
        if case .confirm(let dialog) = state.overlay {
            dialog.render(into: &grid, area: layout.body, glyphs: state.options.glyphs)
        }
        if case .drain(let dialog) = state.overlay {
            dialog.render(into: &grid, area: layout.body, glyphs: state.options.glyphs)
        }
        if case .contexts(let picker) = state.overlay {
            picker.render(into: &grid, area: layout.body, glyphs: state.options.glyphs)
        }
        if case .target(let dialog) = state.overlay {
            dialog.render(into: &grid, area: layout.body, glyphs: state.options.glyphs)
        }
    }

    // MARK: header

    static func renderHeader(_ state: DashboardState, into grid: inout Grid, area: Rect) {
        let g = state.options.glyphs
        let label = Style(.dim)
        let value = Style(.normal, bold: true)
        var first: StyledLine = [Span(" kubeskew ", Style(.title, bold: true, reverse: true))]
        if let data = state.data {
            let snapshot = data.snapshot
            let cp = data.assessment.controlPlane
            if let context = snapshot.context {
                first += [Span("  ctx ", label), Span(Sanitize.forScreen(context), value)]
            }
            first += [Span("  API ", label), Span(apiText(cp.apiservers), cp.verdict == .supported ? value : Style(.danger, bold: true))]
            first += [Span("  kubeadm ", label), Span(cp.kubeadmClusterVersion?.description ?? "?", value)]
            first += [Span("  target ", label), Span(data.assessment.target?.description ?? "none", value)]
            if let server = snapshot.server {
                first += [Span("  ", label), Span(Sanitize.forScreen(server), Style(.dim))]
            }
        }
        grid.put(first, x: area.x, y: area.y, width: area.width, ellipsis: g.ellipsis)
        guard area.height > 1 else { return }

        var left: StyledLine = [Span(" ")]
        if let data = state.data {
            let counts = data.assessment.counts
            left.append(Span("\(state.rows.count) node\(state.rows.count == 1 ? "" : "s"): ", value))
            var parts: [StyledLine] = []
            for bucket in SummaryBucket.allCases {
                let n = counts[bucket] ?? 0
                if n == 0 && (bucket == .unknown || bucket == .unsupported) { continue }
                parts.append([Span("\(n) \(bucket.rawValue)", n == 0 ? Style(.dim) : VerdictStyle.style(bucket))])
            }
            for (index, part) in parts.enumerated() {
                if index > 0 { left.append(Span(" \(g.separator) ", Style(.dim))) }
                left += part
            }
            if !state.marks.isEmpty { left += [Span("   \(g.mark) \(state.marks.count) marked", Style(.accent, bold: true))] }
            left += UpgradeChrome.headerSpans(state)
            if !state.filter.isEmpty {
                left += [Span("   filter ", label), Span("\"\(state.filter)\"", Style(.accent, bold: true)),
                         Span(" \(state.order.count) shown", label)]
            }
            left += [Span("   sort ", label), Span(state.sort.rawValue, value)]
            if state.order.count > 0 {
                left += [Span("   \(state.cursor + 1)/\(state.order.count)", label)]
            }
        } else {
            left.append(Span("waiting for the cluster\(g.ellipsis)", Style(.dim)))
        }
        // The watch state keeps at most half the line, so the counts stay readable when the reason is long.
        let right = watchSpans(state)
        let rightWidth = min(right.width, area.width / 2)
        grid.put(left, x: area.x, y: area.y + 1, width: max(0, area.width - rightWidth - 2), ellipsis: g.ellipsis)
        grid.put(right, x: area.x + max(0, area.width - rightWidth - 1), y: area.y + 1, width: rightWidth,
                 ellipsis: g.ellipsis)
    }

    /// Every API server instance: `v1.35.2×3` when they agree, else each version.
    static func apiText(_ versions: [KubeVersion]) -> String {
        guard let first = versions.first else { return "?" }
        if versions.allSatisfy({ $0 == first }) { return versions.count > 1 ? "\(first)×\(versions.count)" : "\(first)" }
        return versions.map(\.description).joined(separator: ",")
    }

    static func watchSpans(_ state: DashboardState) -> StyledLine {
        switch state.watch {
        case .connecting:
            return [Span("connecting\(state.options.glyphs.ellipsis)", Style(.dim))]
        case .live:
            return [Span("\(state.options.glyphs.live) live", Style(.ok, bold: true))]
        case .stale(let since, let reason):
            return [Span("stale since \(clock(since, state.options.timeZone)) (\(Sanitize.forScreen(reason)))",
                         Style(.danger, bold: true))]
        case .offline(let source):
            return [Span("offline: \(Sanitize.forScreen(source))", Style(.dim))]
        }
    }

    /// HH:MM:SS in the given zone.
    static func clock(_ date: Date, _ zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.hour, .minute, .second], from: date)
        func two(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(c.hour)):\(two(c.minute)):\(two(c.second))"
    }

    // MARK: control plane

    static func renderControlPlane(_ state: DashboardState, into grid: inout Grid, area: Rect, columns: Int) {
        guard area.height > 0 else { return }
        let g = state.options.glyphs
        let title = "\(g.horizontal)\(g.horizontal) control plane "
        grid.put(title + String(repeating: g.horizontal, count: max(0, area.width - TextWidth.of(title))),
                 x: area.x, y: area.y, maxWidth: area.width, style: Style(.border))
        // A risk of the whole cluster is said here once, not on every node's row.
        let start = TextWidth.of(title) + 2 * TextWidth.of(g.horizontal)
        let room = area.width - start - 4
        // An unfinished control plane comes before anything else: no worker may pass it.
        if room > 0, let pending = state.data?.assessment.controlPlane.pendingUpgrade,
           var headline = ControlPlaneSummary.pendingHeadline(pending, glyphs: g) {
            // What that upgrade would break is said before it (the details list the APIs and who uses them).
            if let removed = state.data?.apiRemovals?.removedCount, removed > 0 {
                headline = [Span("\(removed) removed API\(removed == 1 ? "" : "s") in use", Style(.danger, bold: true)),
                            Span(" \(g.separator) ", Style(.dim))] + headline
            }
            grid.put([Span(" ")] + headline + [Span(" ")], x: area.x + start, y: area.y, width: min(room, headline.width) + 2,
                     ellipsis: g.ellipsis)
        } else if room > 0, let risks = state.data?.assessment.controlPlane.risks,
           let headline = ClusterRiskSummary.headline(risks, removedAPIs: state.data?.apiRemovals?.removedCount ?? 0, width: room, glyphs: g) {
            grid.put([Span(" ")] + headline + [Span(" ")], x: area.x + start, y: area.y, width: min(room, headline.width) + 2,
                     ellipsis: g.ellipsis)
        }
        let entries = ControlPlaneSummary.entries(state.data)
        let cellWidth = area.width / max(1, columns)
        for (index, entry) in entries.enumerated() {
            let row = index / columns
            let column = index % columns
            let y = area.y + 1 + row
            guard y < area.maxY else { break }
            let line: StyledLine = [
                Span(" " + TextWidth.fit(entry.label, to: 19), Style(.dim)),
                Span(TextWidth.fit(entry.versions, to: 9, ellipsis: g.ellipsis) + " ", Style(.normal, bold: true)),
                Span(entry.verdict, entry.style),
            ]
            grid.put(line, x: area.x + column * cellWidth, y: y, width: cellWidth - 1, ellipsis: g.ellipsis)
        }
    }

    // MARK: node table

    static func renderTable(_ state: DashboardState, into grid: inout Grid, header: Rect, body: Rect) {
        let g = state.options.glyphs
        let gutter = 3
        let natural = NodeTableColumns.natural(state.naturalWidths, progressWidth: UpgradeChrome.widestProgress(state))
        let columns = NodeTableColumns.columns(natural: natural)
        let widths = TableFit.widths(columns, natural: natural, available: max(0, header.width - gutter - 1))
        let table = TableView(columns: columns, widths: widths, glyphs: g)
        let sorted: Int
        switch state.sort {
        case .name: sorted = NodeTableColumns.name
        case .verdict: sorted = NodeTableColumns.skew
        case .kubelet: sorted = NodeTableColumns.kubelet
        case .role: sorted = NodeTableColumns.role
        }
        grid.put(String(repeating: " ", count: gutter), x: header.x, y: header.y, style: Style(.columnHeader, bold: true))
        table.renderHeader(into: &grid, x: header.x + gutter, y: header.y, width: header.width - gutter, sortedColumn: sorted)

        guard state.data != nil else { return }
        if state.order.isEmpty {
            let message = state.filter.isEmpty ? "no nodes" : "no node matches \"\(state.filter)\" (esc clears the filter)"
            grid.put("  " + message, x: body.x, y: body.y, maxWidth: body.width, style: Style(.dim))
            return
        }
        let first = state.scrollTop
        let last = min(state.order.count, first + body.height)
        guard first < last else { return }
        for position in first..<last {
            let row = state.rows[state.order[position]]
            let y = body.y + position - first
            let isCursor = position == state.cursor
            let marked = state.marks.contains(row.name)
            grid.put(isCursor ? g.cursor : " ", x: body.x, y: y, style: Style(.accent, bold: true))
            grid.put(marked ? g.mark : " ", x: body.x + 1, y: y, style: Style(.accent, bold: true))
            var cells = NodeTableColumns.cells(row)
            if state.upgrade.run != nil, let risk = cells.indices.last {
                cells[risk] = UpgradeChrome.progressCell(state, node: row.name, risks: cells[risk])
            }
            if let hold = state.hold(on: row.name), let risk = cells.indices.last {
                // Another kubeskew works on it: said first, where this dashboard's own progress would be.
                cells[risk] = [Span("being upgraded by \(hold.who)", Style(.warning, bold: true))] + (cells[risk].isEmpty ? [] : [Span(" ")] + cells[risk])
            }
            table.renderRow(into: &grid, x: body.x + gutter, y: y, width: body.width - gutter,
                            cells: cells, isCursor: false)
            if isCursor {
                grid.restyle(Rect(x: body.x, y: y, width: body.width, height: 1)) { style in
                    var s = style
                    s.reverse = true
                    return s
                }
            }
        }
    }

    // MARK: footer

    static func renderFooter(_ state: DashboardState, into grid: inout Grid, area: Rect) {
        guard area.height > 0 else { return }
        let g = state.options.glyphs
        grid.fill(area)
        if let prompt = state.prompt {
            let line: StyledLine = [Span(" :", Style(.accent, bold: true)), Span(prompt, Style(.normal, bold: true)),
                                    Span("_", Style(.accent, bold: true)),
                                    Span("   ctx [NAME] switch cluster \(g.separator) q quit \(g.separator) enter run \(g.separator) esc cancel", Style(.dim))]
            grid.put(line, x: area.x, y: area.y, width: area.width, ellipsis: g.ellipsis)
        } else if state.isEditingFilter {
            let line: StyledLine = [Span(" /", Style(.accent, bold: true)), Span(state.filter, Style(.normal, bold: true)),
                                    Span("_", Style(.accent, bold: true)),
                                    Span("   enter keep \(g.separator) esc clear", Style(.dim))]
            grid.put(line, x: area.x, y: area.y, width: area.width, ellipsis: g.ellipsis)
        } else if state.flash == nil, UpgradeChrome.renderFooter(state, into: &grid, area: area) {
            return
        } else if let flash = state.flash {
            grid.put([Span(" " + flash, Style(.accent, bold: true))], x: area.x, y: area.y, width: area.width,
                     ellipsis: g.ellipsis)
        } else {
            Footer.render(into: &grid, area: area, keyMap: state.keyMap, glyphs: g)
        }
    }
}
