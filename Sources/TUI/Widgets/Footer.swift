/// The bottom line of key hints, generated from the key map so it can never go stale.
public enum Footer {
    /// Which hints a narrow footer keeps, most important first: help and quit must always be findable, upgrade is
    /// what kubeskew is for, and marking chooses what it acts on. Actions not listed come after these.
    static let priority: [DashboardAction] = [
        .help, .quit, .back, .upgrade, .toggleMark, .markBehind, .details, .upgradeCluster, .plan, .filter, .drain, .cordon, .uncordon,
        .cycleSort, .clearMarks,
    ]

    /// Draws the hints that fit, chosen by `priority` and shown in key-map order with help and quit at the end.
    public static func render(into grid: inout Grid, area: Rect, keyMap: KeyMap, glyphs: Glyphs) {
        guard area.height > 0 else { return }
        grid.fill(Rect(x: area.x, y: area.y, width: area.width, height: 1))
        let separator = " \(glyphs.separator) "
        let chosen = chosenBindings(keyMap.visibleBindings, width: area.width, separatorWidth: TextWidth.of(separator))
        var line: [Span] = [Span(" ")]
        for (index, binding) in chosen.enumerated() {
            if index > 0 { line.append(Span(separator, Style(.dim))) }
            line += spans(binding)
        }
        grid.put(line, x: area.x, y: area.y, maxWidth: area.width)
    }

    /// The bindings whose hints fit in `width`, taken in priority order, returned in display order.
    static func chosenBindings(_ bindings: [KeyBinding], width: Int, separatorWidth: Int) -> [KeyBinding] {
        func rank(_ binding: KeyBinding) -> Int { priority.firstIndex(of: binding.action) ?? priority.count }
        var used = 1
        var kept = Set<Int>()
        for index in bindings.indices.sorted(by: { (rank(bindings[$0]), $0) < (rank(bindings[$1]), $1) }) {
            let cost = spans(bindings[index]).width + (kept.isEmpty ? 0 : separatorWidth)
            if used + cost > width { continue }
            used += cost
            kept.insert(index)
        }
        let last: Set<DashboardAction> = [.help, .quit]
        let shown = bindings.indices.filter { kept.contains($0) }.map { bindings[$0] }
        return shown.filter { !last.contains($0.action) } + shown.filter { last.contains($0.action) }
    }

    static func spans(_ binding: KeyBinding) -> [Span] {
        [Span(binding.keyLabel, Style(.accent, bold: true)), Span(" " + binding.hint, Style(.dim))]
    }
}
