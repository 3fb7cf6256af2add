import Foundation

/// `kubectl skew <TAB>`: since v1.26 kubectl asks a plugin for completions by running `kubectl_complete-skew` with
/// the words typed after `skew`, the last one being the word to complete (empty after a space), and reads one
/// candidate per line, then a `:N` line (cobra's ShellCompDirective; 4 = no file completion). Installed as a link to
/// kubeskew, which answers from the same sources as its own completions: subcommands, contexts, nodes.
public enum KubectlPluginCompletion {
    /// The name kubectl looks for on PATH.
    public static let executableName = "kubectl_complete-skew"

    /// cobra's ShellCompDirectiveNoFileComp.
    static let noFiles = ":4"

    /// The lines to print for `words` (the last is the one being completed).
    public static func lines(_ words: [String], subcommands: [String], environment: [String: String] = ProcessInfo.processInfo.environment) async -> [String] {
        let current = words.last ?? ""
        let before = Array(words.dropLast())
        let previous = before.last
        var candidates: [String]
        if previous == "--context" {
            candidates = ShellCompletion.contextNames(kubeconfig: ShellCompletion.value(of: "--kubeconfig", in: before), environment: environment)
        } else if previous == "--kubeconfig" || current.hasPrefix("-") {
            // A file, or a flag: left to the shell (files), or to `kubectl skew --help` (flags).
            return previous == "--kubeconfig" ? [":0"] : [noFiles]
        } else if let command = firstCommand(before), ["plan", "upgrade"].contains(command) {
            let typed = Set(before)
            candidates = await ShellCompletion.nodeNames(kubeconfig: ShellCompletion.value(of: "--kubeconfig", in: before),
                                                         context: ShellCompletion.value(of: "--context", in: before))
                .filter { !typed.contains($0) }
        } else if firstCommand(before) == nil {
            candidates = subcommands.sorted()
        } else {
            candidates = []
        }
        return candidates.filter { $0.hasPrefix(current) } + [noFiles]
    }

    /// The subcommand among `words`: the first word that is neither a flag nor a flag's value.
    static func firstCommand(_ words: [String]) -> String? {
        var skipNext = false
        for word in words {
            if skipNext { skipNext = false; continue }
            if word.hasPrefix("-") {
                skipNext = !word.contains("=") && ["--kubeconfig", "--context", "-n", "--namespace"].contains(word)
                continue
            }
            return word
        }
        return nil
    }
}
