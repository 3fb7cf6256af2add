import ArgumentParser
import KubeClient
import NodeExec
import Upgrade

/// How commands reach the nodes, shared by `upgrade` and the dashboard: the executor and its ssh / pod options.
struct ExecutorOptions: ParsableArguments {
    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case ssh, local, pod, simulated
    }

    @Option(name: .long, help: "How commands reach the nodes: ssh, local (this machine is the node), pod, simulated (kubeskew sim).")
    var executor: Kind = .ssh

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
    @Option(name: .long, help: ArgumentHelp("pod: namespace of the step pods (its Pod Security level must admit privileged pods).", valueName: "NS"))
    var podNamespace = "kube-system"
    @Option(name: .long, help: ArgumentHelp("pod: image of the step pods (needs nsenter).", valueName: "IMAGE"))
    var podImage = "docker.io/library/busybox:1.36"

    /// The executor and the options that decide where commands go, as a run records them: a resume with other
    /// options is refused. Paths are made absolute (a resume may start from another folder).
    var identity: ExecutorIdentity {
        var options: [String: String] = [:]
        switch executor {
        case .ssh:
            options["ssh-user"] = sshUser
            options["ssh-port"] = sshPort.map(String.init)
            options["ssh-identity"] = sshIdentity.map(ClusterOptions.absolute)
            options["ssh-host"] = sshHost
            options["ssh-config"] = sshConfig.map(ClusterOptions.absolute)
            if !sshOption.isEmpty { options["ssh-option"] = sshOption.joined(separator: " ") }
        case .pod:
            options["pod-namespace"] = podNamespace
            options["pod-image"] = podImage
        case .local, .simulated:
            break
        }
        return ExecutorIdentity(kind: executor.rawValue, options: options)
    }

    /// The executor these options describe; the client serves the pod and simulated executors.
    func make(_ client: KubeAPIClient) throws -> any NodeExecutor {
        switch executor {
        case .ssh:
            let settings = SSHSettings(user: sshUser, port: sshPort, identityFile: sshIdentity, hostTemplate: sshHost,
                                       options: sshOption, configFile: sshConfig)
            do { return try SSHExecutor(settings: settings) } catch { throw OperatorError(message: error.description) }
        case .local:
            return LocalExecutor()
        case .simulated:
            return RemoteSimulatedExecutor(client: client)
        case .pod:
            return PodExecutor(client: client, namespace: podNamespace, image: podImage)
        }
    }
}
