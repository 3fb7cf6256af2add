/// What may name a run: the id becomes a folder under the journal, so it is checked before any path is built from it.
public enum RunID {
    /// Letters, digits, `.`, `_` and `-`, starting with a letter or digit, at most 128 characters: kubeskew's own ids
    /// (`20261125T151242Z-b6f417`) pass, and nothing with a `/`, a leading dot (`..`) or a leading dash does.
    public static func isValid(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, id.unicodeScalars.count <= 128, isAlphanumeric(first) else { return false }
        return id.unicodeScalars.allSatisfy { isAlphanumeric($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    // ASCII only: a look-alike letter from another script would pass `Character.isLetter` and name another folder.
    private static func isAlphanumeric(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
    }
}
