/// Picks, from the last lines a failed command wrote to stderr, the one that says why it failed.
///
/// Tools end their errors with boilerplate: kubeadm adds "To see the stack trace of this error execute with --v=5 or
/// higher" after its `error …` line, dnf and apt add advice after their `Error:` / `E:` lines. The cause is the last
/// line that names an error; failing that, the last line that is not such a hint.
public enum FailureCause {
    /// Lines that never say why: hints the tools print after the cause.
    static let hints = [
        "to see the stack trace of this error execute with",
        "you can try to add --skip-broken",
        "(try to add '--skip-broken'",
    ]

    /// The line that says why, or nil when nothing was written.
    public static func line(in stderr: [String]) -> String? {
        let lines = stderr.map { $0.trimmingCharacters(in: .whitespaces) }.filter { line in
            !line.isEmpty && !hints.contains { line.lowercased().contains($0) }
        }
        return lines.last(where: namesAnError) ?? lines.last
    }

    static func namesAnError(_ line: String) -> Bool {
        let lower = line.lowercased()
        return lower.hasPrefix("error") || lower.hasPrefix("e: ") || lower.hasPrefix("[error") || lower.hasPrefix("fatal")
            || lower.contains(" error:") || lower.contains("error execution phase")
    }
}
