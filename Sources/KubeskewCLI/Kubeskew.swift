import ArgumentParser

/// The `kubeskew` command and its subcommands.
public struct Kubeskew: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kubeskew",
        abstract: "Node version skew and risk for kubeadm clusters, and the node-upgrade procedure that fixes it.",
        subcommands: [DashboardCommand.self, DemoCommand.self, CheckCommand.self, PlanCommand.self, UpgradeCommand.self, HistoryCommand.self, SimCommand.self, SimExecCommand.self],
        // `kubeskew` alone opens the dashboard on the current kubeconfig context, as kubectl and k9s would.
        defaultSubcommand: DashboardCommand.self
    )

    public init() {}
}
