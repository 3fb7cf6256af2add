/// POSIX shell quoting for the one string ssh sends to the remote shell.
///
/// ssh joins its arguments with spaces and hands the result to the remote login shell, so every argv element is
/// wrapped in single quotes (inside which a POSIX shell interprets nothing) and each embedded `'` becomes `'\''`.
public enum ShellQuoting {
    /// Quotes one argument so a POSIX shell reads it back unchanged, whatever it contains.
    public static func quote(_ argument: String) -> String {
        "'" + argument.replacingAll("'", with: #"'\''"#) + "'"
    }

    /// Joins an argv into one POSIX shell command line; fails on an empty argv or a NUL byte (argv cannot hold one).
    public static func commandLine(_ argv: [String]) throws(ExecutorError) -> String {
        guard let first = argv.first, !first.isEmpty else {
            throw ExecutorError(.invalidCommand, node: nil, "refusing to run an empty command")
        }
        if let bad = argv.first(where: { $0.utf8.contains(0) }) {
            throw ExecutorError(.invalidCommand, node: nil,
                                "refusing to run a command whose argument contains a NUL byte: \(displayQuote(bad))")
        }
        return argv.map(quote).joined(separator: " ")
    }

    /// Quotes an argument only when a shell would otherwise split or interpret it; for showing commands to people.
    public static func displayQuote(_ argument: String) -> String {
        let safe = !argument.isEmpty && argument.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9": true
            case "-", "_", ".", "/", ":", "=", "@", "%", "+", ",": true
            default: false
            }
        }
        return safe ? argument : quote(argument)
    }

    /// An argv as a person would type it, e.g. `kubeadm upgrade node` or `apt-get install -y 'kubeadm=1.33.3-*'`.
    public static func displayLine(_ argv: [String]) -> String {
        argv.map(displayQuote).joined(separator: " ")
    }
}

extension String {
    /// Replaces every occurrence of `target` without Foundation's locale-aware machinery.
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        result.reserveCapacity(utf8.count)
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
