import ArgumentParser
import Foundation
import KubeClient

/// `--config FILE` and `--no-config`: which configuration file the command reads (see `ConfigLocation`).
struct ConfigOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp(
        "Configuration file (else KUBESKEW_CONFIG, else $XDG_CONFIG_HOME/kubeskew/config.yaml, else ~/.config/kubeskew/config.yaml).",
        valueName: "FILE"), completion: .file(extensions: ["yaml", "yml"]))
    var configFile: String?

    @Flag(name: .customLong("no-config"), help: "Read no configuration file: flags and built-in defaults only.")
    var noConfig = false

    func validate() throws {
        if noConfig && configFile != nil { throw ValidationError("--config and --no-config exclude each other") }
    }

    func location(environment: [String: String] = ProcessInfo.processInfo.environment) -> ConfigLocation {
        ConfigLocation.resolve(flag: configFile, disabled: noConfig, environment: environment)
    }

    /// The settings for the context `cluster` selects, flags first; a file that cannot be used is an operator error
    /// naming its line and column.
    func settings(flags: [Setting: FlagValue], cluster: ClusterOptions, context explicit: String? = nil,
                  environment: [String: String] = ProcessInfo.processInfo.environment) throws -> EffectiveSettings {
        let file = try load(environment: environment)
        let context = explicit ?? ConfigContext.resolve(kubeconfig: cluster.kubeconfig, context: cluster.context, environment: environment).name
        return EffectiveSettings(flags: flags, file: file, context: context)
    }

    /// The file, parsed; nil when there is none.
    func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ConfigFile? {
        do { return try location(environment: environment).load(home: environment["HOME"] ?? NSHomeDirectory()) } catch {
            throw OperatorError(message: error.description)
        }
    }
}

/// The kubeconfig context whose section applies: `--context`, else the kubeconfig's current-context, as kubectl
/// resolves it. Read without credentials; a kubeconfig that cannot be read gives no context (the command that needs
/// the cluster says why, in its own words).
struct ConfigContext: Equatable {
    let name: String?
    /// How it was chosen, for `kubeskew config`.
    let how: String

    static func resolve(kubeconfig: String?, context: String?, environment: [String: String]) -> ConfigContext {
        if let context { return ConfigContext(name: context, how: "--context") }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let (paths, _) = KubeconfigMerger.kubeconfigPaths(explicitPath: kubeconfig, environment: environment, homeDirectory: home)
        let files = paths.filter { FileManager.default.fileExists(atPath: $0) }.compactMap { try? KubeconfigLoader.parseFile(at: $0) }
        if files.isEmpty { return ConfigContext(name: nil, how: "no kubeconfig (\(paths.joined(separator: ":")))") }
        guard let current = KubeconfigMerger.merge(files).currentContext, !current.isEmpty else {
            return ConfigContext(name: nil, how: "the kubeconfig has no current-context")
        }
        return ConfigContext(name: current, how: "the kubeconfig's current-context")
    }
}
