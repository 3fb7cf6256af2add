/// The node a command runs on, as executors see it: a validated name and, when known, its InternalIP.
///
/// Executors know nothing of Kubernetes objects; the caller extracts these two fields from the Node.
public struct NodeTarget: Sendable, Hashable {
    /// The node name, an RFC 1123 subdomain.
    public let name: String
    /// The node's InternalIP, when the node reports one.
    public let internalIP: String?
    /// The machine ID the node reports (`status.nodeInfo.machineID`), for the local executor's check.
    public let machineID: String?

    /// Validates the name (RFC 1123 subdomain), the address (IPv4 or IPv6) and the machine ID (hex digits).
    public init(name: String, internalIP: String? = nil, machineID: String? = nil) throws(ExecutorError) {
        guard HostValidation.isRFC1123Subdomain(name) else {
            throw ExecutorError(.invalidTarget, node: nil,
                                "\(ShellQuoting.displayQuote(name)) is not a valid node name (RFC 1123: lower-case letters, digits, '-' and '.')")
        }
        if let internalIP, !HostValidation.isIPAddress(internalIP) {
            throw ExecutorError(.invalidTarget, node: name,
                                "InternalIP \(ShellQuoting.displayQuote(internalIP)) is not an IPv4 or IPv6 address")
        }
        if let machineID, !Self.isMachineID(machineID) {
            throw ExecutorError(.invalidTarget, node: name,
                                "machine ID \(ShellQuoting.displayQuote(machineID)) is not 1-64 hex digits")
        }
        self.name = name
        self.internalIP = internalIP
        self.machineID = machineID
    }

    /// A machine ID as systemd writes it (32 lower-case hex digits); some systems use a UUID with dashes.
    public static func isMachineID(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy {
            (0x30...0x39).contains($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0) || $0 == UInt8(ascii: "-")
        }
    }

    /// This machine, for the local executor.
    public static let localhost = NodeTarget(uncheckedName: "localhost", internalIP: "127.0.0.1")

    private init(uncheckedName: String, internalIP: String?) {
        self.name = uncheckedName
        self.internalIP = internalIP
        self.machineID = nil
    }
}
