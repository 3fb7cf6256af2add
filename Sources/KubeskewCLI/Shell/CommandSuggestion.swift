/// The subcommand an operator most likely meant by a word kubeskew does not know (`chekc` → `check`).
///
/// Pure: the caller hands in the command names, so the same rule serves `kubeskew` and `kubectl skew`.
enum CommandSuggestion {
    /// The closest of `commands` to `word`: within two edits (a swap of neighbours is one edit, the commonest typo),
    /// or one the word begins (`hist` → `history`). Nil when none is close: a suggestion that is far off misleads.
    /// Ties go to the fewest edits, then to the order of `commands` (the order `--help` lists them in).
    static func closest(to word: String, in commands: [String]) -> String? {
        let typed = word.lowercased()
        guard !typed.isEmpty else { return nil }
        let scored = commands.enumerated().compactMap { index, name -> (distance: Int, index: Int, name: String)? in
            let distance = editDistance(typed, name.lowercased())
            guard distance <= 2 || name.lowercased().hasPrefix(typed) else { return nil }
            return (distance, index, name)
        }
        return scored.min { ($0.distance, $0.index) < ($1.distance, $1.index) }?.name
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of adjacent characters.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
