import TerminalText

/// Makes text from the cluster or from child processes safe to draw: no escape sequences, no control characters.
public enum Sanitize {
    /// `text` with ANSI/VT escape sequences removed (by the shared ``EscapeSequenceScanner``), tabs turned into
    /// spaces and other control characters replaced by `�`, so that a hidden control still shows that it was there.
    public static func forScreen(_ text: String) -> String {
        // Most names and versions are printable ASCII: nothing to do.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var result = String.UnicodeScalarView()
        var scanner = EscapeSequenceScanner()
        for scalar in text.unicodeScalars {
            switch scanner.consume(scalar) {
            case .text(let shown): result.append(shown)
            case .control(let control): result.append(control == "\t" ? " " : "\u{FFFD}")
            case .controlSequence, nil: break
            }
        }
        return String(result)
    }
}
