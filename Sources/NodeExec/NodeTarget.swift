/// The node a command runs on, as executors see it: a validated name and, when known, its InternalIP.
///
/// Executors know nothing of Kubernetes objects; the caller extracts these two fields from the Node.
public struct NodeTarget: Sendable, Hashable {
    /// The node name, an RFC 1123 subdomain.
    public let name: String
    /// The node's InternalIP, when the node reports one.
    public let internalIP: String?

    /// Validates the name (RFC 1123 subdomain) and the address (IPv4 or IPv6).
    public init(name: String, internalIP: String? = nil) throws(ExecutorError) {
        guard HostValidation.isRFC1123Subdomain(name) else {
            throw ExecutorError(.invalidTarget, node: nil,
                                "\(ShellQuoting.displayQuote(name)) is not a valid node name (RFC 1123: lower-case letters, digits, '-' and '.')")
        }
        if let internalIP, !HostValidation.isIPAddress(internalIP) {
            throw ExecutorError(.invalidTarget, node: name,
                                "InternalIP \(ShellQuoting.displayQuote(internalIP)) is not an IPv4 or IPv6 address")
        }
        self.name = name
        self.internalIP = internalIP
    }

    /// This machine, for the local executor.
    public static let localhost = NodeTarget(uncheckedName: "localhost", internalIP: "127.0.0.1")

    private init(uncheckedName: String, internalIP: String?) {
        self.name = uncheckedName
        self.internalIP = internalIP
    }
}
