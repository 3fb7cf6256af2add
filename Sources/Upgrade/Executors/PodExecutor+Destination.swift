import NodeExec

extension PodExecutor {
    /// No network host: a privileged pod the scheduler pins to the node by name.
    public func nodeDestination(for node: NodeTarget) async throws(ExecutorError) -> NodeDestination {
        NodeDestination(address: "privileged pod on \(node.name) (namespace \(namespace), image \(image))", source: "--executor pod",
                        sudo: false)  // the pod runs its commands as root, through nsenter
    }
}
