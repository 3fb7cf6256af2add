import ArgumentParser
import Foundation

/// `kubeskew config`: the effective value of every setting for a context, and where each came from.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the effective settings for a context and where each comes from (flag, configuration file, default).",
        discussion: """
        The configuration file is --config FILE, else KUBESKEW_CONFIG, else $XDG_CONFIG_HOME/kubeskew/config.yaml, \
        else ~/.config/kubeskew/config.yaml. Its `defaults:` section applies to every context, `contexts.NAME:` to \
        the context in use (--context, else the kubeconfig's current-context); a flag overrides both. The file is \
        only read, never written, and holds no credentials. Give the same flags as to another command to see what \
        it would use.

        Examples:
          kubeskew config                         # the current context
          kubeskew config --context prod -o json  # another context, for scripts
          kubeskew config --path                  # which file is read
          kubeskew config --concurrency 3         # a flag wins over the file
        """
    )

    @Flag(name: .long, help: "Print only the path of the configuration file that is read.")
    var path = false

    @Option(name: .shortAndLong, help: "Output format: table or json.")
    var output: CheckCommand.OutputFormat = .table

    @OptionGroup(title: "Configuration file") var config: ConfigOptions
    @OptionGroup(title: "Cluster (which context's section applies)") var cluster: ClusterOptions

    // The flags the other commands take for these settings, so that `config` shows what they would use.
    @OptionGroup(title: "Settings as flags (as the other commands take them)") var executors: ExecutorOptions
    @OptionGroup(title: "Planning") var planning: PlanningOptions
    @OptionGroup(title: "kubeadm probes") var probing: ProbeOptions
    @Option(name: .long, help: "Nodes upgraded at once.")
    var concurrency: Int?
    @Flag(name: .long, inversion: .prefixedNo, help: "Read-only: no action that changes the cluster.")
    var readOnly: Bool?
    @Flag(name: .long, inversion: .prefixedNo, help: "Colour on a terminal, or none.")
    var color: Bool?
    @Option(name: .long, help: ArgumentHelp("The version to reach: vX.Y.Z, latest-patch or next-minor.", valueName: "T"))
    var target: String?

    func validate() throws {
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if let target, !SettingValue.accepts(.target, target) {
            throw ValidationError("--target must be vX.Y.Z, latest-patch or next-minor")
        }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let location = config.location(environment: environment)
        if path {
            Output.out((location.path ?? "none (--no-config)") + "\n")
            return
        }
        do {
            let file = try config.load(environment: environment)
            let context = ConfigContext.resolve(kubeconfig: cluster.kubeconfig, context: cluster.context, environment: environment)
            let settings = EffectiveSettings(flags: flagValues, file: file, context: context.name)
            let report = ConfigReport(location: location, file: file, context: context, settings: settings)
            Output.out(output == .json ? try report.json() : report.table())
        } catch let e as OperatorError {
            Output.err("kubeskew config: \(e.message)\n")
            throw ExitCode(e.status)
        }
    }

    private var flagValues: [Setting: FlagValue] {
        var flags = executors.flagValues.adding(planning.flagValues).adding(probing.flagValues)
        flags.given(.concurrency, concurrency.map(SettingValue.number))
        flags.given(.readOnly, readOnly)
        flags.given(.color, color.map { .text($0 ? "auto" : "never") }, flag: color == false ? "--no-color" : "--color")
        flags.given(.target, target.map(SettingValue.text))
        return flags
    }
}

extension SettingValue {
    /// Whether `setting` takes `text` (a flag's value checked as the file's would be).
    static func accepts(_ setting: Setting, _ text: String) -> Bool {
        if case .success = setting.value(of: text) { true } else { false }
    }
}
