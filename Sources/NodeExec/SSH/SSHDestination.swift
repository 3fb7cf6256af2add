/// Where and as whom ssh connects for one node, as resolved through `ssh -G`.
public struct SSHDestination: Sendable, Hashable {
    /// What goes on the ssh command line: the node name when it is an alias in the operator's ssh config, else an
    /// address or a host from `--ssh-host`.
    public let host: String
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
    }

    /// True when ssh logs in as root, so privileged commands need no sudo.
    public var isRoot: Bool { user == "root" }

    /// `user@host:port`, for messages.
    public var display: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return "\(user)@\(bracketed):\(port)"
    }
}
