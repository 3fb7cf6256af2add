import ArgumentParser
import Upgrade

/// How nodes are planned: package manager and drain options, shared by `plan` and `upgrade`.
struct PlanningOptions: ParsableArguments {
    @Option(name: .long, help: "Package manager of the nodes, when their OS image does not tell (apt, dnf, dnf5, yum).")
    var packageManager: PackageManager?

    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp("Drain options (repeatable; default --ignore-daemonsets).", valueName: "OPTION"))
    var drainOption: [String] = []

    @Option(name: .long, help: ArgumentHelp("Give up a drain after this many seconds (kubectl drain --timeout).", valueName: "SECONDS"))
    var drainTimeout: Int?

    /// The planner's options: kubectl as the steps run it, the drain options given (else the default) and timeout.
    func plannerOptions(kubectl: [String]) throws -> Planner.Options {
        try Planner.Options(kubectl: kubectl, drainOptions: drainOption.isEmpty ? Planner.defaultDrainOptions : drainOption,
                            drainTimeoutSeconds: drainTimeout)
    }

    func validate() throws {
        if let drainTimeout, drainTimeout < 1 { throw ValidationError("--drain-timeout must be at least 1 second") }
    }
}

extension PackageManager: ExpressibleByArgument {}
