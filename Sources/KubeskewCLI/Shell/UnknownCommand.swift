/// A first argument that names no subcommand: `kubeskew chekc` would otherwise reach the dashboard (the default
/// subcommand), whose parser answers with the dashboard's usage, which does not tell the operator what went wrong.
struct UnknownCommand: Sendable, Equatable {
    /// A subcommand as `--help` lists it.
    struct Command: Sendable, Equatable {
        let name: String
        let abstract: String
    }

    /// The bare word that named no command.
    let word: String
    /// The command it is close to, if any.
    let suggestion: String?

    /// The unknown command at the head of `arguments`, or nil when the head is an option, a known name (`known`
    /// includes hidden subcommands and the parser's own `help`), or absent: those go to the parser as they are.
    static func find(in arguments: [String], known: Set<String>, suggestible: [String]) -> UnknownCommand? {
        // The dashboard (the default) takes no positional argument, so any other bare word here is a mistake.
        guard let first = arguments.first, !first.hasPrefix("-"), !known.contains(first) else { return nil }
        return UnknownCommand(word: first, suggestion: CommandSuggestion.closest(to: first, in: suggestible))
    }

    /// What stderr says: the word, the likely command, and every command, so the next try can be right.
    func message(program: String, commands: [Command], defaultCommand: String) -> String {
        var text = "\(program): unknown command \"\(word)\""
        if let suggestion { text += "; did you mean \"\(suggestion)\"?" }
        text += "\n\nCommands:\n"
        let labels = commands.map { $0.name == defaultCommand ? "\($0.name) (default)" : $0.name }
        let width = labels.map(\.count).max() ?? 0
        for (label, command) in zip(labels, commands) {
            text += "  " + label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + command.abstract + "\n"
        }
        text += "\nSee '\(program) --help'.\n"
        return text
    }
}
