import SkewCore

/// The whole cluster's upgrade in the official order (control-plane-upgrade.md §1): per minor hop, the control-plane
/// nodes one at a time, the first with `kubeadm upgrade apply`, then the workers; then the next hop. Workers a hop
/// would leave outside the skew policy go first.
public struct ClusterPlan: Sendable, Codable, Hashable {
    /// One stage of the sequence: its nodes run, and all of them end, before the next stage starts.
    public struct Phase: Sendable, Codable, Hashable {
        /// What a phase is for.
        public enum Kind: String, Sendable, Codable, Hashable {
            /// Control-plane nodes still at the previous version of an upgrade already applied (`kubeadm upgrade node`).
            case finishControlPlane = "finish-control-plane"
            /// Workers the next control-plane hop would leave too far behind: they move to the current version first.
            case catchUp = "catch-up"
            case controlPlane = "control-plane"
            case workers
        }

        public let kind: Kind
        /// The version this phase brings its nodes to.
        public let version: KubeVersion
        /// One plan per node, in the order they run.
        public let nodes: [NodePlan]
        /// Control-plane nodes are upgraded one at a time, whatever the concurrency setting.
        public let oneAtATime: Bool
        /// The run asks before this phase starts (the control-plane `apply` of every hop after the first).
        public let askFirst: Bool
        /// What must hold when the phase starts, in words.
        public let gates: [String]

        public init(kind: Kind, version: KubeVersion, nodes: [NodePlan], oneAtATime: Bool, askFirst: Bool, gates: [String]) {
            self.kind = kind
            self.version = version
            self.nodes = nodes
            self.oneAtATime = oneAtATime
            self.askFirst = askFirst
            self.gates = gates
        }
    }

    /// A node the plan leaves alone, and why (managed, no path, already there).
    public struct Excluded: Sendable, Codable, Hashable {
        public let node: String
        public let reason: String
    }

    /// The control plane's version as the plan starts (kubeadm-config's, else the newest kube-apiserver).
    public let from: KubeVersion
    public let target: KubeVersion
    /// The control plane's hops, one minor at a time.
    public let hops: [KubeVersion]
    public let phases: [Phase]
    public let excluded: [Excluded]
    /// What reaching the target fixes (CVEs closed, end of life left behind), in words.
    public let fixes: [String]
    /// What the operator should know that blocks nothing: API versions still in use that the target only
    /// deprecates, and what could not be checked.
    public var notes: [String] = []

    public init(from: KubeVersion, target: KubeVersion, hops: [KubeVersion], phases: [Phase], excluded: [Excluded], fixes: [String]) {
        self.from = from
        self.target = target
        self.hops = hops
        self.phases = phases
        self.excluded = excluded
        self.fixes = fixes
    }
}
