import ArgumentParser
import Foundation

/// The `kubeskew` command and its subcommands.
public struct Kubeskew: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kubeskew",
        abstract: "Node version skew and risk for kubeadm clusters, and the node-upgrade procedure that fixes it.",
        discussion: """
        Also runs as a kubectl plugin: installed as kubectl-skew, `kubectl skew ARGS` is `kubeskew ARGS`, with \
        kubectl's --kubeconfig, --context and -n/--namespace (the step pods' namespace) accepted anywhere.

        Settings not given as flags (executor, ssh, drain, concurrency, probing, read-only, target, colour) come \
        from $XDG_CONFIG_HOME/kubeskew/config.yaml (else ~/.config/kubeskew/config.yaml), per kubeconfig context.

        Examples:
          kubeskew                  # the dashboard on the current context
          kubeskew check -o json    # a report for CI
          kubeskew config           # every setting in force, and its source
        """,
        version: KubeskewVersion.text(),
        subcommands: [DashboardCommand.self, DemoCommand.self, CheckCommand.self, ApisCommand.self, PlanCommand.self, UpgradeCommand.self,
                      HistoryCommand.self, ConfigCommand.self, VersionCommand.self, SimCommand.self, SimExecCommand.self],
        // `kubeskew` alone opens the dashboard on the current kubeconfig context, as kubectl and k9s would.
        defaultSubcommand: DashboardCommand.self
    )

    public init() {}

    /// Runs the command line; as `kubectl-skew` (a kubectl plugin), kubectl's global flags are mapped first.
    public static func entry(arguments: [String] = CommandLine.arguments) async {
        let name = arguments.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "kubeskew"
        var rest = Array(arguments.dropFirst())
        if name == KubectlPluginCompletion.executableName {
            let names = configuration.subcommands.compactMap { $0.configuration.commandName }
            for line in await KubectlPluginCompletion.lines(rest, subcommands: names) { print(line) }
            return
        }
        if name == KubectlPluginArguments.executableName {
            let names = Set(configuration.subcommands.compactMap { $0.configuration.commandName })
            do { rest = try KubectlPluginArguments.translate(rest, subcommands: names) } catch {
                FileHandle.standardError.write(Data("Error: \(error.message)\n".utf8))
                Foundation.exit(ExitCode.validationFailure.rawValue)
            }
        }
        if let unknown = UnknownCommand.find(in: rest, known: knownCommandNames, suggestible: listedCommands.map(\.name)) {
            let program = name == KubectlPluginArguments.executableName ? "kubectl skew" : "kubeskew"
            let defaultName = configuration.defaultSubcommand?.configuration.commandName ?? ""
            Output.err(unknown.message(program: program, commands: listedCommands, defaultCommand: defaultName))
            // The status swift-argument-parser gives every other usage error.
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        await main(rest)
    }

    /// Every name the parser takes as a first word: subcommands (hidden ones too), their aliases, and `help`.
    static var knownCommandNames: Set<String> {
        var names: Set<String> = ["help"]
        for command in configuration.subcommands {
            if let name = command.configuration.commandName { names.insert(name) }
            names.formUnion(command.configuration.aliases)
        }
        return names
    }

    /// The subcommands `--help` lists, in its order: the ones a mistyped word is matched against.
    static var listedCommands: [UnknownCommand.Command] {
        configuration.subcommands.filter { $0.configuration.shouldDisplay }.compactMap { command in
            command.configuration.commandName.map { UnknownCommand.Command(name: $0, abstract: command.configuration.abstract) }
        }
    }
}
