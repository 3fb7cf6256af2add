/// An executor that adds something around another one (a log of its commands) and runs everything through it.
///
/// Code that needs what only one transport offers (the pod executor's sweep of leftover step pods) asks for
/// ``NodeExecutor/innermost`` instead of casting the executor it was handed, which may be a wrapper.
public protocol WrappingNodeExecutor: NodeExecutor {
    /// The executor this one runs its commands through.
    var wrapped: any NodeExecutor { get }
}

extension NodeExecutor {
    /// The executor under every wrapper: the one that really reaches the node.
    public var innermost: any NodeExecutor {
        guard let wrapper = self as? any WrappingNodeExecutor else { return self }
        return wrapper.wrapped.innermost
    }
}

extension WrappingNodeExecutor {
    /// A wrapper reaches nodes as the executor it wraps does.
    public var name: String { wrapped.name }
    public var reachesOneMachineOnly: Bool { wrapped.reachesOneMachineOnly }

    public func nodeDestination(for node: NodeTarget) async throws(ExecutorError) -> NodeDestination {
        try await wrapped.nodeDestination(for: node)
    }
}

extension Duration {
    /// Whole milliseconds, for logs and records.
    public var wholeMilliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
