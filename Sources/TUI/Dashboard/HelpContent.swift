/// The help overlay: every key binding from the key map, then the words of Assets/help/dashboard.txt, laid out in
/// paragraphs at the screen's width.
enum HelpContent {
    static func panel(_ state: DashboardState, scroll: Int, width: Int) -> TextPanel {
        var lines: [StyledLine] = [[Span("Keys", Style(.title, bold: true))]]
        let keyWidth = state.keyMap.bindings.map { TextWidth.of($0.keyLabel) }.max() ?? 8
        for binding in state.keyMap.bindings {
            let text = binding.description + (binding.dangerous ? "  (asks first)" : "")
            let wrapped = WordWrap.lines(text, width: max(10, width - keyWidth - 4))
            for (index, part) in wrapped.enumerated() {
                let key = index == 0 ? binding.keyLabel : ""
                var line: StyledLine = [Span("  " + TextWidth.fit(key, to: keyWidth + 2), Style(.accent, bold: true))]
                if binding.dangerous, let range = part.range(of: "(asks first)") {
                    line += [Span(String(part[..<range.lowerBound])), Span("(asks first)", Style(.warning))]
                } else {
                    line.append(Span(part))
                }
                lines.append(line)
            }
        }
        if state.options.readOnly {
            lines.append([Span("  read-only: cordon, uncordon, drain, upgrade and cluster upgrade are off", Style(.warning))])
        }
        lines.append([Span("  /  then type; enter keeps the filter, esc clears it", Style(.dim))])
        lines.append([])
        let text = EmbeddedHelp.files["dashboard.txt"] ?? ""
        for line in ParagraphWrap.lines(text, width: width) { lines.append(line.isEmpty ? [] : [Span(line)]) }
        while lines.last?.isEmpty == true || lines.last?.plainText == "" { lines.removeLast() }
        return TextPanel(title: "help", lines: lines, scroll: scroll)
    }
}
