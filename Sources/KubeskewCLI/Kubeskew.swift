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
        """,
        version: KubeskewVersion.text(),
        subcommands: [DashboardCommand.self, DemoCommand.self, CheckCommand.self, ApisCommand.self, PlanCommand.self, UpgradeCommand.self,
                      HistoryCommand.self, VersionCommand.self, SimCommand.self, SimExecCommand.self],
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
        await main(rest)
    }
}
