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

    public init(address: String, source: String, connectsTo: String? = nil) {
        self.address = address
        self.source = source
        self.connectsTo = connectsTo
    }

    /// `address (from: source)`, as the review and `kubeskew plan` print it.
    public var display: String { "\(address) (from: \(source))" }
}
