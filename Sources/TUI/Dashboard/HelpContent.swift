/// The help overlay: every key binding from the key map, then the words of Assets/help/dashboard.txt.
enum HelpContent {
    static func panel(_ state: DashboardState, scroll: Int, width: Int) -> TextPanel {
        var lines: [StyledLine] = [[Span("Keys", Style(.title, bold: true))]]
        let keyWidth = state.keyMap.bindings.map { TextWidth.of($0.keyLabel) }.max() ?? 8
        for binding in state.keyMap.bindings {
            var line: StyledLine = [Span("  " + TextWidth.fit(binding.keyLabel, to: keyWidth + 2), Style(.accent, bold: true)),
                                    Span(binding.description)]
            if binding.dangerous { line.append(Span("  (asks first)", Style(.warning))) }
            lines.append(line)
        }
        if state.options.readOnly {
            lines.append([Span("  read-only: cordon, uncordon, drain and upgrade are off", Style(.warning))])
        }
        lines.append([Span("  /  then type; enter keeps the filter, esc clears it", Style(.dim))])
        lines.append([])
        let text = EmbeddedHelp.files["dashboard.txt"] ?? ""
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let raw = String(paragraph)
            let indent = String(raw.prefix { $0 == " " })
            for wrapped in WordWrap.lines(String(raw.dropFirst(indent.count)), width: max(10, width - indent.count)) {
                lines.append([Span(indent + wrapped)])
            }
        }
        while lines.last?.isEmpty == true || lines.last?.plainText == "" { lines.removeLast() }
        return TextPanel(title: "help", lines: lines, scroll: scroll)
    }
}
