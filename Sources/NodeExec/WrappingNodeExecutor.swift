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
