import ArgumentParser

/// The `kubeskew` command and its subcommands.
public struct Kubeskew: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kubeskew",
        abstract: "Node version skew and risk for kubeadm clusters, and the node-upgrade procedure that fixes it.",
        subcommands: [DemoCommand.self, DashboardCommand.self, CheckCommand.self, PlanCommand.self, UpgradeCommand.self, HistoryCommand.self, SimCommand.self, SimExecCommand.self]
    )

    public init() {}

    public mutating func run() async throws {
        print(Self.helpMessage())
    }
}
