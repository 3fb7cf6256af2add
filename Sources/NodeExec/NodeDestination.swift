/// Where an executor runs a node's commands, resolved before anything runs: the plan review shows it, the journal
/// keeps it, and a resumed run is refused when it resolves differently.
public struct NodeDestination: Sendable, Codable, Hashable {
    /// What the commands reach: `user@host:port`, "simulated node shell of node01", "privileged pod on node01 …".
    public var address: String
    /// Where the address came from: "ssh config alias node01", "InternalIP", "--ssh-host template", "--executor pod"…
    public var source: String
    /// The host a network connection goes to (ssh's resolved HostName), checked against the node's own addresses;
    /// nil when no host is chosen from cluster data (pod, simulated, local).
    public var connectsTo: String?
    /// Whether privileged commands get `sudo` there: false when the executor reaches the node as root (ssh as root,
    /// kubeskew itself run as root), so that what is shown and journaled is what runs; nil (not recorded) shows it.
    public var sudo: Bool?

    public init(address: String, source: String, connectsTo: String? = nil, sudo: Bool? = nil) {
        self.address = address
        self.source = source
        self.connectsTo = connectsTo
        self.sudo = sudo
    }

    /// The words a privileged command starts with there, as shown and journaled.
    public var privilegePrefix: [String] { sudo == false ? [] : ["sudo"] }

    /// `address (from: source)`, as the review and `kubeskew plan` print it.
    public var display: String { "\(address) (from: \(source))" }
}
