/// The bottom line of key hints, generated from the key map so it can never go stale.
public enum Footer {
    /// Draws as many hints as fit, in key-map order; help and quit are always kept at the end.
    public static func render(into grid: inout Grid, area: Rect, keyMap: KeyMap, glyphs: Glyphs) {
        guard area.height > 0 else { return }
        grid.fill(Rect(x: area.x, y: area.y, width: area.width, height: 1))
        let bindings = keyMap.visibleBindings
        let always = bindings.filter { $0.action == .help || $0.action == .quit }
        let optional = bindings.filter { $0.action != .help && $0.action != .quit }
        let separator = " \(glyphs.separator) "
        func spans(_ binding: KeyBinding) -> [Span] {
            [Span(binding.keyLabel, Style(.accent, bold: true)), Span(" " + binding.hint, Style(.dim))]
        }
        let reserved = always.reduce(0) { $0 + spans($1).width } + TextWidth.of(separator) * max(0, always.count - 1)
        var line: [Span] = [Span(" ")]
        for binding in optional {
            let piece = spans(binding)
            if line.width + piece.width + TextWidth.of(separator) + reserved > area.width { break }
            line += piece + [Span(separator, Style(.dim))]
        }
        for (index, binding) in always.enumerated() {
            line += spans(binding)
            if index < always.count - 1 { line.append(Span(separator, Style(.dim))) }
        }
        if line.last?.text == separator { line.removeLast() }
        grid.put(line, x: area.x, y: area.y, maxWidth: area.width)
    }
}
