/// `kubectl skew ARGS` runs `kubectl-skew ARGS` (kubectl hands a plugin every argument after its name, untouched).
/// kubectl users put kubectl's global flags anywhere, before the subcommand too (`kubectl skew --context prod
/// check`), where kubeskew's parser would not take them; this moves them after the subcommand and maps `-n`.
public enum KubectlPluginArguments {
    /// The name kubeskew is installed under as a kubectl plugin.
    public static let executableName = "kubectl-skew"

    /// The subcommands that run commands through an executor, where `-n` names the step pods' namespace.
    static let podNamespaceCommands: Set<String> = ["dashboard", "check", "plan", "upgrade"]

    /// kubectl's global flags kubeskew does not take: each picks part of a context, which kubeskew takes whole.
    static let refusedGlobalFlags: Set<String> = [
        "--as", "--as-group", "--as-uid", "--cache-dir", "--certificate-authority", "--client-certificate",
        "--client-key", "--cluster", "--disable-compression", "--insecure-skip-tls-verify", "--match-server-version",
        "--password", "--profile", "--profile-output", "--request-timeout", "-s", "--server", "--tls-server-name",
        "--token", "--user", "--username", "--warnings-as-errors",
    ]

    /// Arguments kubeskew's own machinery passes (shell completion, help dumps): left exactly as they are.
    static let internalFirstArguments: Set<String> = ["---completion", "--generate-completion-script", "--experimental-dump-help"]

    /// A kubectl-style flag kubeskew cannot honour, or one without its value.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// `kubectl-skew` arguments → `kubeskew` arguments: the subcommand first (when one is named), then its own
    /// arguments in their order, then `--kubeconfig`, `--context` and (where it applies) `--pod-namespace` as given.
    /// `-n` is dropped for subcommands that create nothing in a namespace, as kubectl ignores it for nodes.
    public static func translate(_ arguments: [String], subcommands: Set<String>) throws(Refusal) -> [String] {
        if let first = arguments.first, internalFirstArguments.contains(first) { return arguments }
        var rest: [String] = []
        var moved: [String] = []
        var namespace: String?
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            if word == "--" {
                rest.append(contentsOf: arguments[(index - 1)...])
                break
            }
            let (name, inlineValue) = split(word)
            switch name {
            case "--kubeconfig", "--context":
                moved += ["\(name)=\(try value(inlineValue, for: name, from: arguments, at: &index))"]
            case "-n", "--namespace":
                namespace = try value(inlineValue, for: name, from: arguments, at: &index)
            default:
                if word.hasPrefix("-n"), !word.hasPrefix("--"), word.count > 2 {
                    namespace = String(word.dropFirst(2))  // kubectl's -nkube-system
                } else if refusedGlobalFlags.contains(name) {
                    throw Refusal(message: """
                        kubectl skew: \(name) is a kubectl flag kubeskew does not take: kubeskew connects with a \
                        kubeconfig context as a whole (its cluster, user and credentials). Pick one with --context \
                        NAME (kubectl config get-contexts lists them) or --kubeconfig FILE.
                        """)
                } else {
                    rest.append(word)
                }
            }
        }
        if let namespace, namespace.isEmpty {
            throw Refusal(message: "kubectl skew: -n/--namespace needs a namespace name")
        }
        // The subcommand is the first word left when it names one; else the dashboard runs, as for `kubeskew`.
        let subcommand = rest.first.flatMap { subcommands.contains($0) ? $0 : nil }
        if let namespace, podNamespaceCommands.contains(subcommand ?? "dashboard") {
            moved += ["--pod-namespace=\(namespace)"]
        }
        guard let dashDash = rest.firstIndex(of: "--") else { return rest + moved }
        // Options go before a `--`, after which every word is an argument.
        return Array(rest[..<dashDash]) + moved + Array(rest[dashDash...])
    }

    /// `--context=prod` → ("--context", "prod"); `--context` → ("--context", nil).
    static func split(_ word: String) -> (String, String?) {
        guard word.hasPrefix("-"), let equals = word.firstIndex(of: "=") else { return (word, nil) }
        return (String(word[..<equals]), String(word[word.index(after: equals)...]))
    }

    /// The flag's value: the one after `=`, else the next word (a word starting with `-` is the next flag).
    static func value(_ inline: String?, for name: String, from arguments: [String], at index: inout Int) throws(Refusal) -> String {
        if let inline { return inline }
        guard index < arguments.count, !arguments[index].hasPrefix("-") || arguments[index] == "-" else {
            throw Refusal(message: "kubectl skew: \(name) needs a value (\(name) NAME or \(name)=NAME)")
        }
        defer { index += 1 }
        return arguments[index]
    }
}
