/// Every pod on one node, in every namespace, read when its details open: the snapshot keeps only the kube-system
/// pods that carry versions (listing every pod of a 5,000-node cluster each refresh would cost more than the nodes),
/// so the pods of one node are listed on demand, by `spec.nodeName`.
public struct NodePods: Equatable, Sendable {
    /// One pod, with what would hold up its drain.
    public struct Pod: Equatable, Sendable {
        public var namespace: String
        public var name: String
        public var phase: String
        /// Why a drain would stop or hurt on this pod (a PodDisruptionBudget that allows no disruption, no
        /// controller, emptyDir data); nil when it would be evicted like any other.
        public var blocksDrain: String?
        /// A DaemonSet or mirror pod: a drain leaves it where it is.
        public var staysOnDrain: Bool

        public init(namespace: String, name: String, phase: String, blocksDrain: String? = nil, staysOnDrain: Bool = false) {
            self.namespace = namespace
            self.name = name
            self.phase = phase
            self.blocksDrain = blocksDrain
            self.staysOnDrain = staysOnDrain
        }
    }

    public var node: String
    public var pods: [Pod]
    /// Why the pods could not be read (then the panel shows the kube-system pods the snapshot has).
    public var problem: String?

    public init(node: String, pods: [Pod], problem: String? = nil) {
        self.node = node
        self.pods = pods
        self.problem = problem
    }
}
