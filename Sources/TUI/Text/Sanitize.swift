/// Makes text from the cluster or from child processes safe to draw: no escape sequences, no control characters.
public enum Sanitize {
    /// `text` with ANSI/VT escape sequences removed and other control characters replaced by `�`.
    public static func forScreen(_ text: String) -> String {
        // Most names and versions are printable ASCII: nothing to do.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let scalar = pending ?? iterator.next() {
            pending = nil
            switch scalar.value {
            case 0x1B:
                pending = skipEscape(&iterator)
            case 0x9B:
                pending = skipCSIBody(&iterator)
            case 0x09:
                result.unicodeScalars.append(" ")
            case 0x00..<0x20, 0x7F, 0x80..<0xA0:
                result.unicodeScalars.append("\u{FFFD}")
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Consumes an escape sequence after ESC; returns a scalar read too far, if any.
    private static func skipEscape(_ iterator: inout String.UnicodeScalarView.Iterator) -> Unicode.Scalar? {
        guard let next = iterator.next() else { return nil }
        switch next {
        case "[":
            return skipCSIBody(&iterator)
        case "]", "P", "X", "^", "_":
            // OSC/DCS/SOS/PM/APC: up to BEL or ESC \.
            while let s = iterator.next() {
                if s.value == 0x07 { return nil }
                if s.value == 0x1B {
                    let after = iterator.next()
                    return after == "\\" ? nil : after
                }
            }
            return nil
        default:
            return nil
        }
    }

    /// Consumes parameter and intermediate bytes up to a CSI final byte.
    private static func skipCSIBody(_ iterator: inout String.UnicodeScalarView.Iterator) -> Unicode.Scalar? {
        while let s = iterator.next() {
            if (0x40...0x7E).contains(s.value) { return nil }
            if !(0x20...0x3F).contains(s.value) { return s }
        }
        return nil
    }
}
