import Foundation
import SkewCore

/// Draws the fleet view: a header with the counts, one row per cluster, the cursor row's error, the keys.
public enum FleetView {
    static let context = 0, server = 1, controlPlane = 2, endOfLife = 3, cves = 4, current = 5, behind = 6, unsupported = 7, status = 8

    /// CONTEXT, API (the control plane's version) and STATUS stay on the narrowest screen; SERVER is cut first and
    /// dropped first (the cluster's header names it once opened), then CVES and END OF LIFE give way. From 100
    /// columns STATUS keeps its words (`✗ unreachable: connection refused`); below, it is cut, and the line above the
    /// footer says it whole for the cursor's row.
    static func columns(natural: [Int], available: Int) -> [TableColumn] {
        let statusWidth = status < natural.count ? natural[status] : 0
        return [
            TableColumn("CONTEXT", minWidth: 10, maxWidth: 40, priority: 100, shrinkPriority: 60),
            TableColumn("SERVER", minWidth: 12, maxWidth: 40, priority: 10, shrinkPriority: 1),
            TableColumn("API", minWidth: 8, maxWidth: 24, priority: 95, shrinkPriority: 95),
            TableColumn("END OF LIFE", minWidth: 15, maxWidth: 15, priority: 60),
            TableColumn("CVES", minWidth: 4, maxWidth: 6, priority: 55, alignRight: true),
            TableColumn("CURRENT", minWidth: 7, maxWidth: 7, priority: 80, alignRight: true),
            TableColumn("BEHIND", minWidth: 6, maxWidth: 6, priority: 80, alignRight: true),
            TableColumn("UNSUPPORTED", minWidth: 11, maxWidth: 11, priority: 80, alignRight: true),
            TableColumn("STATUS", minWidth: available >= 100 ? max(12, min(statusWidth, 34)) : 12, maxWidth: 60, priority: 90,
                        shrinkPriority: 40),
        ]
    }

    /// The server as the table writes it: without `https://`, which every row would repeat.
    static func serverText(_ server: String?) -> String {
        guard let server else { return "-" }
        let shown = server.hasPrefix("https://") ? String(server.dropFirst("https://".count)) : server
        return Sanitize.forScreen(shown)
    }

    public static func render(_ state: FleetState) -> Grid {
        var grid = Grid(width: state.width, height: state.height)
        render(state, into: &grid)
        return grid
    }

    public static func render(_ state: FleetState, into grid: inout Grid) {
        if TooSmallScreen.applies(width: state.width, height: state.height) {
            TooSmallScreen.render(into: &grid)
            return
        }
        let g = state.glyphs
        let layout = FleetLayout(width: state.width, height: state.height)
        renderHeader(state, into: &grid, area: layout.header)
        let cells = state.rows.map { self.cells($0, state: state) }
        var natural = Array(repeating: 0, count: status + 1)
        for row in cells { for (i, cell) in row.enumerated() { natural[i] = max(natural[i], cell.width) } }
        let gutter = 2
        let available = max(0, layout.tableHeader.width - gutter - 1)
        let columns = self.columns(natural: natural, available: available)
        let widths = TableFit.widths(columns, natural: natural, available: available)
        let table = TableView(columns: columns, widths: widths, glyphs: g)
        grid.put(String(repeating: " ", count: gutter), x: 0, y: layout.tableHeader.y, style: Style(.columnHeader, bold: true))
        table.renderHeader(into: &grid, x: gutter, y: layout.tableHeader.y, width: layout.tableHeader.width - gutter, sortedColumn: nil)
        let body = layout.body
        if state.rows.isEmpty {
            grid.put("  no context in the kubeconfig", x: body.x, y: body.y, maxWidth: body.width, style: Style(.dim))
        }
        let first = state.scrollTop
        let last = min(state.rows.count, first + body.height)
        if first < last {
            for position in first..<last {
                let y = body.y + position - first
                let isCursor = position == state.cursor
                grid.put(isCursor ? g.cursor : " ", x: body.x, y: y, style: Style(.accent, bold: true))
                table.renderRow(into: &grid, x: body.x + gutter, y: y, width: body.width - gutter, cells: cells[position], isCursor: false)
                if isCursor {
                    grid.restyle(Rect(x: body.x, y: y, width: body.width, height: 1)) { style in
                        var s = style
                        s.reverse = true
                        return s
                    }
                }
            }
        }
        renderDetail(state, into: &grid, area: layout.detail)
        renderFooter(state, into: &grid, area: layout.footer)
        switch state.overlay {
        case .none: break
        case .help: helpPanel(state).render(into: &grid, area: Rect(x: 0, y: layout.tableHeader.y, width: state.width,
                                                                    height: max(0, layout.footer.y - layout.tableHeader.y)), glyphs: g)
        case .reason(let context):
            if let row = state.rows.first(where: { $0.context == context }) {
                renderReason(row, into: &grid, area: Rect(x: 0, y: layout.body.y, width: state.width, height: layout.body.height), glyphs: g)
            }
        }
    }

    static func renderHeader(_ state: FleetState, into grid: inout Grid, area: Rect) {
        let g = state.glyphs
        let label = Style(.dim)
        let value = Style(.normal, bold: true)
        let n = state.rows.count
        var first: StyledLine = [Span(" kubeskew ", Style(.title, bold: true, reverse: true)), Span("  fleet  ", value),
                                 Span("\(n) cluster\(n == 1 ? "" : "s")", value)]
        let loading = state.rows.filter(\.isLoading).count
        let unreachable = state.rows.filter(\.isUnreachable).count
        let read = n - loading - unreachable
        first += [Span(": ", label), Span("\(read) read", read == n ? Style(.ok, bold: true) : value)]
        if unreachable > 0 { first += [Span(" \(g.separator) ", label), Span("\(unreachable) unreachable", Style(.danger, bold: true))] }
        if loading > 0 { first += [Span(" \(g.separator) ", label), Span("\(loading) loading\(g.ellipsis)", Style(.dim))] }
        grid.put(first, x: area.x, y: area.y, width: area.width, ellipsis: g.ellipsis)
        guard area.height > 1 else { return }
        var nodes: [String: Int] = ["current": 0, "behind": 0, "unsupported": 0]
        for row in state.rows {
            nodes["current", default: 0] += row.current ?? 0
            nodes["behind", default: 0] += row.behind ?? 0
            nodes["unsupported", default: 0] += row.unsupported ?? 0
        }
        let second: StyledLine = [
            Span(" nodes in the clusters read: ", label),
            Span("\(nodes["current"] ?? 0) current", VerdictStyle.style(SummaryBucket.current)), Span(" \(g.separator) ", label),
            Span("\(nodes["behind"] ?? 0) behind", (nodes["behind"] ?? 0) > 0 ? VerdictStyle.style(SummaryBucket.behind) : label), Span(" \(g.separator) ", label),
            Span("\(nodes["unsupported"] ?? 0) unsupported", (nodes["unsupported"] ?? 0) > 0 ? VerdictStyle.style(SummaryBucket.unsupported) : label),
        ]
        grid.put(second, x: area.x, y: area.y + 1, width: area.width, ellipsis: g.ellipsis)
    }

    static let spinnerUnicode = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
    static let spinnerASCII = ["|", "/", "-", "\\"]

    static func spinner(_ state: FleetState) -> String {
        let frames = state.glyphs == .unicode ? spinnerUnicode : spinnerASCII
        return frames[state.spinnerFrame % frames.count]
    }

    /// One row's cells; a column with nothing to say is `-` (not read) or blank (loading).
    static func cells(_ row: FleetRow, state: FleetState) -> [StyledLine] {
        let dash: StyledLine = [Span("-", Style(.dim))]
        func number(_ n: Int?, _ style: Style) -> StyledLine { n.map { [Span(String($0), $0 > 0 ? style : Style(.dim))] } ?? dash }
        var cells: [StyledLine] = Array(repeating: [], count: status + 1)
        cells[context] = [Span(Sanitize.forScreen(row.context), Style(.normal, bold: true))]
        cells[server] = [Span(serverText(row.server), Style(.dim))]
        switch row.status {
        case .loading:
            cells[status] = [Span(spinner(state) + " loading" + state.glyphs.ellipsis, Style(.dim))]
            return cells
        case .unreachable(let reason, _):
            cells[status] = [Span("\(state.glyphs.bad) unreachable: \(Sanitize.forScreen(reason))", Style(.danger, bold: true))]
        case .notJudged:
            cells[status] = [Span("\(state.glyphs.warn) not judged", Style(.warning, bold: true))]
        case .read(let verdict):
            let style: Style = switch verdict {
            case .current: VerdictStyle.style(SummaryBucket.current)
            case .behind: VerdictStyle.style(SummaryBucket.behind)
            case .unsupported: VerdictStyle.style(SummaryBucket.unsupported)
            }
            cells[status] = [Span(verdict.rawValue, style)]
        }
        cells[controlPlane] = row.controlPlane.map { [Span(Sanitize.forScreen($0), Style(.normal, bold: true))] } ?? dash
        cells[endOfLife] = row.endOfLife.map { [Span(Sanitize.forScreen($0) + (row.endOfLifePast ? " past" : ""),
                                                     row.endOfLifePast ? Style(.danger, bold: true) : .plain)] } ?? dash
        cells[cves] = number(row.cves, Style(.danger, bold: true))
        cells[current] = number(row.current, VerdictStyle.style(SummaryBucket.current))
        cells[behind] = number(row.behind, VerdictStyle.style(SummaryBucket.behind))
        cells[unsupported] = number(row.unsupported, VerdictStyle.style(SummaryBucket.unsupported))
        return cells
    }

    /// The cursor row's error in full, or what its row means.
    static func renderDetail(_ state: FleetState, into grid: inout Grid, area: Rect) {
        guard area.height > 0, let row = state.cursorRow else { return }
        let line: StyledLine
        switch row.status {
        case .unreachable(let reason, let detail):
            line = [Span(" \(Sanitize.forScreen(row.context)): ", Style(.danger, bold: true)),
                    Span("\(Sanitize.forScreen(reason)): \(Sanitize.forScreen(detail))", Style(.danger))]
        case .notJudged(let why):
            line = [Span(" \(Sanitize.forScreen(row.context)): ", Style(.warning, bold: true)), Span(Sanitize.forScreen(why), Style(.warning))]
        case .loading, .read:
            return
        }
        grid.put(line, x: area.x, y: area.y, width: area.width, ellipsis: state.glyphs.ellipsis)
    }

    static func renderFooter(_ state: FleetState, into grid: inout Grid, area: Rect) {
        guard area.height > 0 else { return }
        let g = state.glyphs
        if let flash = state.flash {
            grid.put([Span(" " + flash, Style(.accent, bold: true))], x: area.x, y: area.y, width: area.width, ellipsis: g.ellipsis)
            return
        }
        let keys: [(String, String)] = [("enter", "open"), ("j/k", "move"), ("r", "reload"), ("?", "help"), ("q", "quit")]
        var line: StyledLine = [Span(" ")]
        for (i, (key, hint)) in keys.enumerated() {
            if i > 0 { line.append(Span(" \(g.separator) ", Style(.dim))) }
            line += [Span(key, Style(.accent, bold: true)), Span(" " + hint)]
        }
        grid.put(line, x: area.x, y: area.y, width: area.width, ellipsis: g.ellipsis)
    }

    static func helpPanel(_ state: FleetState) -> TextPanel {
        let keys: [(String, String)] = [
            ("j/k ↑/↓", "move between clusters"), ("g/G", "first / last cluster"),
            ("enter", "open the cluster's live dashboard (an unreachable one: why it cannot be read)"),
            ("esc", "in a cluster's dashboard: back here (refused while a run is in progress there)"),
            (":ctx", "in a cluster's dashboard: switch to another context"),
            ("r", "read every cluster again"), ("?", "this help"), ("q", "quit"),
        ]
        var lines: [StyledLine] = [[Span("Keys", Style(.title, bold: true))]]
        for (key, text) in keys {
            lines.append([Span("  " + TextWidth.fit(key, to: 10), Style(.accent, bold: true)), Span(text)])
        }
        lines.append([])
        lines.append([Span("Each cluster is read at once, within --context-timeout; a row says why one could not be.", Style(.dim))])
        return TextPanel(title: "help", lines: lines)
    }

    /// The box `enter` opens on an unreachable cluster.
    static func renderReason(_ row: FleetRow, into grid: inout Grid, area: Rect, glyphs: Glyphs) {
        guard case .unreachable(let reason, let detail) = row.status else { return }
        let width = max(20, min(area.width - 6, 90))
        var lines = WordWrap.lines("\(Sanitize.forScreen(row.context)) could not be read: \(Sanitize.forScreen(reason)).", width: width)
        lines.append("")
        lines += WordWrap.lines(Sanitize.forScreen(detail), width: width)
        lines.append("")
        lines.append("r reads every cluster again · esc closes")
        let contentWidth = lines.map { TextWidth.of($0) }.max() ?? 0
        let box = area.centered(width: min(area.width, contentWidth + 4), height: min(area.height, lines.count + 2))
        let inner = Box.draw(into: &grid, box, title: "cannot open \(Sanitize.forScreen(row.context))", glyphs: glyphs,
                             style: Style(.danger, bold: true))
        for (i, line) in lines.enumerated() where i < inner.height {
            grid.put(" " + line, x: inner.x, y: inner.y + i, maxWidth: inner.width,
                     style: i == lines.count - 1 ? Style(.accent, bold: true) : .plain)
        }
    }
}
