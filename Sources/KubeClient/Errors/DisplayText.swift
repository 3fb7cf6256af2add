/// Makes text from servers and child processes safe to show on a terminal.
public enum DisplayText {
    /// Removes terminal escape sequences and control characters (keeping none of them; newlines and tabs
    /// become spaces), collapses runs of spaces, and cuts the result to `limit` characters.
    public static func sanitize(_ text: String, limit: Int = 500) -> String {
        var out = ""
        out.reserveCapacity(min(text.count, limit))
        var scalars = text.unicodeScalars.makeIterator()
        var lastWasSpace = false
        while let scalar = scalars.next() {
            if scalar == "\u{1B}" {
                skipEscapeSequence(&scalars)
                continue
            }
            var character = scalar
            if scalar == "\n" || scalar == "\t" || scalar == "\r" { character = " " }
            if character.value < 0x20 || (0x7F...0x9F).contains(character.value) { continue }
            if character == " " {
                if lastWasSpace { continue }
                lastWasSpace = true
            } else {
                lastWasSpace = false
            }
            out.unicodeScalars.append(character)
            if out.count >= limit {
                return out + "…"
            }
        }
        return out.trimmingTrailingSpaces()
    }

    /// Skips the rest of an ESC sequence: CSI (`ESC [ ... final`), OSC (`ESC ] ... BEL|ST`) or a two-byte one.
    private static func skipEscapeSequence(_ scalars: inout String.UnicodeScalarView.Iterator) {
        guard let introducer = scalars.next() else { return }
        switch introducer {
        case "[":
            while let s = scalars.next(), !(0x40...0x7E).contains(s.value) {}
        case "]", "P", "X", "^", "_":
            var previous: Unicode.Scalar?
            while let s = scalars.next() {
                if s == "\u{07}" || (previous == "\u{1B}" && s == "\\") { break }
                previous = s
            }
        default:
            break
        }
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
