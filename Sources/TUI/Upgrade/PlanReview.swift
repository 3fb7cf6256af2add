/// The plan review shown before an upgrade runs: per node the target, the hops, every command with where it runs,
/// and the drain blockers, each of which the operator must acknowledge before the run can be confirmed.
public struct PlanReview: Equatable, Sendable {
    /// One node's plan, as the screen shows it.
    public struct Node: Equatable, Sendable {
        public var name: String
        public var from: String
        public var target: String
        /// The versions of each pass (`v1.30.14`, `v1.31.10`, …): kubeadm moves one minor at a time.
        public var hops: [String]
        public var packageManager: String
        public var commands: [Command]
        public var blockers: [Blocker]
        /// Where the node's commands go and where that came from: `root@10.0.0.5:22 (from: InternalIP)`,
        /// `simulated node shell of node01 (from: …)`; nil when not resolved.
        public var destination: String?
        /// Lines shown before this node: in a cluster review, the phase it opens and what must hold before it.
        public var section: [String]

        public init(name: String, from: String, target: String, hops: [String], packageManager: String,
                    commands: [Command], blockers: [Blocker], destination: String? = nil, section: [String] = []) {
            self.name = Sanitize.forScreen(name)
            self.from = Sanitize.forScreen(from)
            self.target = Sanitize.forScreen(target)
            self.hops = hops.map(Sanitize.forScreen)
            self.packageManager = Sanitize.forScreen(packageManager)
            self.commands = commands
            self.blockers = blockers
            self.destination = destination.map(Sanitize.forScreen)
            self.section = section.map(Sanitize.forScreen)
        }
    }

    /// One step: where it runs and the exact command line.
    public struct Command: Equatable, Sendable {
        public var hop: Int
        public var name: String
        /// `node` or `control-plane`.
        public var location: String
        public var line: String
        /// False for a check kubeskew makes itself (waiting for the node through the API): shown without `$`.
        public var isShellCommand: Bool

        public init(hop: Int, name: String, location: String, line: String, isShellCommand: Bool = true) {
            self.hop = hop
            self.name = Sanitize.forScreen(name)
            self.location = Sanitize.forScreen(location)
            self.line = Sanitize.forScreen(line)
            self.isShellCommand = isShellCommand
        }
    }

    /// Something that may stop the drain, with what to do about it.
    public struct Blocker: Equatable, Sendable {
        public var kind: String
        public var object: String
        public var advice: String

        public init(kind: String, object: String, advice: String) {
            self.kind = Sanitize.forScreen(kind)
            self.object = Sanitize.forScreen(object)
            self.advice = Sanitize.forScreen(advice)
        }
    }

    /// A node that was asked for but will not be upgraded, and why.
    public struct Refusal: Equatable, Sendable {
        public var node: String
        public var reason: String

        public init(node: String, reason: String) {
            self.node = Sanitize.forScreen(node)
            self.reason = Sanitize.forScreen(reason)
        }
    }

    public var target: String
    public var nodes: [Node]
    public var refused: [Refusal]
    /// Set for a whole-cluster review (`C`): the lines above the phases (the hops, what the target fixes) and the
    /// number of phases. Confirming it starts the cluster run, not a run of these nodes.
    public var cluster: Cluster?

    /// What a whole-cluster review adds.
    public struct Cluster: Equatable, Sendable {
        public var header: [String]
        public var phases: Int

        public init(header: [String], phases: Int) {
            self.header = header.map(Sanitize.forScreen)
            self.phases = phases
        }
    }
    /// Indexes (into `blockerList`) of the blockers acknowledged so far.
    public private(set) var acknowledged: Set<Int> = []
    /// The blocker under the cursor.
    public private(set) var selected = 0
    /// First line of the review on screen.
    public var scroll = 0

    public init(target: String, nodes: [Node], refused: [Refusal] = [], cluster: Cluster? = nil) {
        self.target = Sanitize.forScreen(target)
        self.nodes = nodes
        self.refused = refused
        self.cluster = cluster
    }

    /// What confirming asks the upgrade side for: the cluster run, or a run of these nodes.
    public var startRequest: UpgradeRequest { cluster == nil ? .start(nodes: nodes.map(\.name)) : .startCluster }

    /// What confirming starts, in words.
    public var startWords: String {
        if let cluster { return "cluster upgrade to \(target) (\(cluster.phases) phase\(cluster.phases == 1 ? "" : "s"))" }
        return "upgrade of \(DashboardState.list(nodes.map(\.name)))"
    }

    /// Every blocker in screen order, with its node.
    public var blockerList: [(node: String, blocker: Blocker)] {
        nodes.flatMap { node in node.blockers.map { (node.name, $0) } }
    }

    /// True when there is something to run and every blocker has been acknowledged.
    public var canConfirm: Bool { !nodes.isEmpty && acknowledged.count == blockerList.count }

    /// Blockers still waiting for an acknowledgement.
    public var unacknowledgedCount: Int { blockerList.count - acknowledged.count }

    /// Moves the blocker cursor by `delta` (clamped).
    public mutating func select(by delta: Int) {
        let count = blockerList.count
        guard count > 0 else { return }
        selected = max(0, min(count - 1, selected + delta))
    }

    /// Acknowledges (or takes back) the blocker under the cursor, then moves to the next unacknowledged one.
    /// Whether the blocker under the cursor is acknowledged already.
    public var isSelectedAcknowledged: Bool { acknowledged.contains(selected) }

    public mutating func toggleSelected() {
        guard selected < blockerList.count else { return }
        if acknowledged.contains(selected) {
            acknowledged.remove(selected)
        } else {
            acknowledged.insert(selected)
            if let next = blockerList.indices.first(where: { $0 > selected && !acknowledged.contains($0) }) {
                selected = next
            }
        }
    }
}

/// Where the review stands: being prepared (the cluster is read, preflight runs) or ready to be read.
public enum PlanReviewState: Equatable, Sendable {
    case preparing(nodes: [String])
    case ready(PlanReview)
    case failed(String)
}
