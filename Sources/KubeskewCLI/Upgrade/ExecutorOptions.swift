import ArgumentParser
import KubeClient
import NodeExec
import Upgrade

/// How commands reach the nodes, shared by `upgrade` and the dashboard: the executor and its ssh / pod options.
struct ExecutorOptions: ParsableArguments {
    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case ssh, local, pod, simulated
    }

    // Optional where a default exists: `upgrade --resume` must tell a flag given from a default (see `restoring`).
    @Option(name: .long, help: "How commands reach the nodes: ssh (default), local (this machine is the node), pod, simulated (kubeskew sim).")
    var executor: Kind?

    @Option(name: .long, help: "ssh: remote user (no sudo when root).")
    var sshUser: String?
    @Option(name: .long, help: "ssh: port.")
    var sshPort: Int?
    @Option(name: .long, help: ArgumentHelp("ssh: private key file.", valueName: "FILE"))
    var sshIdentity: String?
    @Option(name: .long, help: ArgumentHelp("ssh: host template for nodes that are no ssh alias: {name}, {ip}.", valueName: "TEMPLATE"))
    var sshHost: String?
    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp("ssh: extra -o option (repeatable).", valueName: "KEY=VALUE"))
    var sshOption: [String] = []
    @Option(name: .long, help: ArgumentHelp("ssh: config file instead of ~/.ssh/config.", valueName: "FILE"))
    var sshConfig: String?
    @Option(name: .long, help: ArgumentHelp("pod: namespace of the step pods (its Pod Security level must admit privileged pods; default kube-system).", valueName: "NS"))
    var podNamespace: String?
    @Option(name: .long, help: ArgumentHelp("pod: image of the step pods (needs nsenter; default \(Self.defaultPodImage)).", valueName: "IMAGE"))
    var podImage: String?

    static let defaultPodImage = "docker.io/library/busybox:1.36"
    var kind: Kind { executor ?? .ssh }
    var stepPodNamespace: String { podNamespace ?? "kube-system" }
    var stepPodImage: String { podImage ?? Self.defaultPodImage }

    /// The executor and the options that decide where commands go, as a run records them: a resume with other
    /// options is refused. Paths are made absolute (a resume may start from another folder).
    var identity: ExecutorIdentity {
        var options: [String: String] = [:]
        switch kind {
        case .ssh:
            options["ssh-user"] = sshUser
            options["ssh-port"] = sshPort.map(String.init)
            options["ssh-identity"] = sshIdentity.map(ClusterOptions.absolute)
            options["ssh-host"] = sshHost
            options["ssh-config"] = sshConfig.map(ClusterOptions.absolute)
            // One per line: an option's value may hold spaces (ProxyCommand=ssh -W %h:%p bastion).
            if !sshOption.isEmpty { options["ssh-option"] = sshOption.joined(separator: "\n") }
        case .pod:
            options["pod-namespace"] = stepPodNamespace
            options["pod-image"] = stepPodImage
        case .local, .simulated:
            break
        }
        return ExecutorIdentity(kind: kind.rawValue, options: options)
    }

    /// The executor these options describe; the client serves the pod and simulated executors.
    func make(_ client: KubeAPIClient) throws -> any NodeExecutor {
        LoggedExecutor(try makeUnlogged(client))
    }

    private func makeUnlogged(_ client: KubeAPIClient) throws -> any NodeExecutor {
        switch kind {
        case .ssh:
            let settings = SSHSettings(user: sshUser, port: sshPort, identityFile: sshIdentity, hostTemplate: sshHost,
                                       options: sshOption, configFile: sshConfig)
            do { return try SSHExecutor(settings: settings) } catch { throw OperatorError(message: error.description) }
        case .local:
            return LocalExecutor()
        case .simulated:
            return RemoteSimulatedExecutor(client: client)
        case .pod:
            return PodExecutor(client: client, namespace: stepPodNamespace, image: stepPodImage)
        }
    }
}

extension ExecutorOptions {
    /// These options with what was not given on the command line taken from a run's recorded executor (`upgrade
    /// --resume`), and a notice for every flag given that differs from the record. Another executor kind keeps the
    /// flags as given: the resume check then refuses the run with the reason.
    func restoring(_ recorded: ExecutorIdentity) -> (options: ExecutorOptions, notices: [String]) {
        guard let recordedKind = Kind(rawValue: recorded.kind) else { return (self, []) }
        if let executor, executor != recordedKind {
            return (self, ["--executor \(executor.rawValue) given; run recorded --executor \(recordedKind.rawValue)"])
        }
        var restored = self
        restored.executor = recordedKind
        var notices: [String] = []
        func take<T: Equatable>(_ field: WritableKeyPath<ExecutorOptions, T?>, _ key: String, _ parse: (String) -> T?,
                                normalized: (T) -> T = { $0 }, shown: (T) -> String = { "\($0)" }) {
            let recordedValue = recorded.options[key].flatMap(parse)
            if let given = restored[keyPath: field] {
                if normalized(given) != recordedValue {
                    notices.append("--\(key) \(shown(given)) overrides the run's \(recordedValue.map(shown) ?? "default")")
                }
            } else {
                restored[keyPath: field] = recordedValue
            }
        }
        take(\.sshUser, "ssh-user", { $0 })
        take(\.sshPort, "ssh-port", { Int($0) })
        take(\.sshIdentity, "ssh-identity", { $0 }, normalized: ClusterOptions.absolute)
        take(\.sshHost, "ssh-host", { $0 })
        take(\.sshConfig, "ssh-config", { $0 }, normalized: ClusterOptions.absolute)
        take(\.podNamespace, "pod-namespace", { $0 })
        take(\.podImage, "pod-image", { $0 })
        let recordedOptions = recorded.options["ssh-option"].map { $0.split(separator: "\n").map(String.init) } ?? []
        if sshOption.isEmpty {
            restored.sshOption = recordedOptions
        } else if sshOption != recordedOptions {
            notices.append("--ssh-option \(sshOption.joined(separator: ", ")) overrides the run's \(recordedOptions.isEmpty ? "none" : recordedOptions.joined(separator: ", "))")
        }
        return (restored, notices)
    }
}
