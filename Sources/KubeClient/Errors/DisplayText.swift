import TerminalText

/// Makes text from servers and child processes safe to show on a terminal, on one line.
public enum DisplayText {
    /// Removes terminal escape sequences, bidirectional formatting and control characters through the one terminal
    /// sanitizer (line breaks and tabs become spaces first, other controls are dropped), collapses runs of spaces,
    /// and cuts the result to `limit` characters.
    public static func sanitize(_ text: String, limit: Int = 500) -> String {
        let flat = String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar == "\n" || scalar == "\t" || scalar == "\r" ? " " : scalar
        }))
        let clean = OutputSanitizer(maxScalars: Int.max, keepsStyle: false).sanitize(flat).text
        var out = ""
        out.reserveCapacity(min(clean.utf8.count, limit))
        var lastWasSpace = false
        for character in clean {
            if character == " " {
                if lastWasSpace { continue }
                lastWasSpace = true
            } else {
                lastWasSpace = false
            }
            out.append(character)
            if out.count >= limit {
                return out + "…"
            }
        }
        while out.last == " " { out.removeLast() }
        return out
    }
}
