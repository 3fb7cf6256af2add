/// Where and as whom ssh connects for one node, as resolved through `ssh -G`.
public struct SSHDestination: Sendable, Hashable {
    /// What goes on the ssh command line: the node name when it is an alias in the operator's ssh config, else an
    /// address or a host from `--ssh-host`.
    public let host: String
    /// The host ssh connects to once its config applied (`ssh -G`'s `hostname`: an alias's HostName, else `host`).
    public let hostname: String
    /// How the host was chosen.
    public let origin: Origin
    /// The remote user ssh will log in as.
    public let user: String
    /// The port ssh will connect to.
    public let port: Int

    /// How a node's ssh host was chosen.
    public enum Origin: String, Sendable, Hashable {
        /// The node name matched a Host block of the ssh config.
        case sshAlias
        /// Rendered from `--ssh-host`.
        case hostTemplate
        /// The node's InternalIP.
        case internalIP

        /// Where the host came from, in the words of the plan review.
        public var label: String {
            switch self {
            case .sshAlias: return "ssh config alias"
            case .hostTemplate: return "--ssh-host template"
            case .internalIP: return "InternalIP"
            }
        }
    }

    /// Creates a destination; `hostname` defaults to `host` (no HostName of an ssh config applies).
    public init(host: String, hostname: String? = nil, origin: Origin, user: String, port: Int) {
        self.host = host
        self.hostname = hostname ?? host
        self.origin = origin
        self.user = user
        self.port = port
    }

    /// True when ssh logs in as root, so privileged commands need no sudo.
    public var isRoot: Bool { user == "root" }

    /// `user@host:port`, for messages.
    public var display: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return "\(user)@\(bracketed):\(port)"
    }

    /// `user@hostname:port`: the machine ssh really reaches, an alias resolved.
    public var resolvedDisplay: String {
        let bracketed = hostname.contains(":") ? "[\(hostname)]" : hostname
        return "\(user)@\(bracketed):\(port)"
    }

    /// The destination as the plan review and the journal show it.
    public var nodeDestination: NodeDestination {
        let source = origin == .sshAlias && hostname != host ? "\(origin.label) \(host)" : origin.label
        return NodeDestination(address: resolvedDisplay, source: source, connectsTo: hostname)
    }
}
