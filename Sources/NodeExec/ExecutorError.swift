/// Why a command could not be run on a node, with a message an operator can act on.
///
/// A command that ran and exited non-zero is not an error: it is an ``ExecutionResult``. These errors mean the
/// command never ran, or ran without the privileges it needed.
public struct ExecutorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of failure, for callers that react differently to each.
    public enum Kind: String, Sendable, Hashable {
        case invalidCommand
        case invalidTarget
        case launchFailed
        case sshConfiguration
        case hostKeyVerificationFailed
        case authenticationFailed
        case connectionRefused
        case connectionTimedOut
        case hostUnresolvable
        case hostUnreachable
        case connectionClosed
        /// The connection went away while the command ran: it may have finished, stopped half-way or not started.
        case connectionLost
        case sudoPasswordRequired
        case sudoNotPermitted
        case sudoMissing
    }

    /// What went wrong.
    public let kind: Kind
    /// The node concerned, when there is one.
    public let node: String?
    /// The full message, prefixed with the node name, ready for the screen or a log.
    public let message: String

    /// Builds an error; `detail` is prefixed with `node: ` when a node is given.
    public init(_ kind: Kind, node: String?, _ detail: String) {
        self.kind = kind
        self.node = node
        self.message = node.map { "\($0): \(detail)" } ?? detail
    }

    /// The same error, attributed to a node.
    public func attributed(to node: String) -> ExecutorError {
        guard self.node == nil else { return self }
        return ExecutorError(kind, node: node, message)
    }

    public var description: String { message }
}
