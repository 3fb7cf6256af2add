import SkewCore

/// Something found before anything changes that may stop the drain; the operator must acknowledge it.
public struct Blocker: Sendable, Codable, Hashable {
    /// The kinds of drain blockers kubectl drain itself refuses or waits on.
    public enum Kind: String, Sendable, Codable {
        case pdbAllowsNoDisruption = "pdb-allows-no-disruption"
        case podWithoutController = "pod-without-controller"
        case emptyDirData = "emptydir-data"
    }

    public let kind: Kind
    /// `namespace/name` of the pod or PDB.
    public let object: String
    /// What it means and what to do about it.
    public let advice: String

    public init(kind: Kind, object: String, advice: String) {
        self.kind = kind
        self.object = object
        self.advice = advice
    }
}

/// Everything kubeskew will do to one node, in order.
public struct NodePlan: Sendable, Codable, Hashable {
    public let node: String
    public let internalIP: String?
    public let from: KubeVersion
    public let target: KubeVersion
    public let hops: [Hop]
    public let packageManager: PackageManager
    public let steps: [PlannedStep]
    public var blockers: [Blocker]

    public init(node: String, internalIP: String?, from: KubeVersion, target: KubeVersion, hops: [Hop],
                packageManager: PackageManager, steps: [PlannedStep], blockers: [Blocker] = []) {
        self.node = node
        self.internalIP = internalIP
        self.from = from
        self.target = target
        self.hops = hops
        self.packageManager = packageManager
        self.steps = steps
        self.blockers = blockers
    }
}

/// The package tools of a node, which choose the runbook.
public enum PackageManager: String, Sendable, Codable, Hashable, CaseIterable {
    case apt, dnf, dnf5, yum
}

/// A whole run: its id, when it was made, and the node plans in the order they go.
public struct RunPlan: Sendable, Codable {
    public let id: String
    public let createdAt: String
    public let target: KubeVersion
    public let concurrency: Int
    public let nodes: [NodePlan]

    public init(id: String, createdAt: String, target: KubeVersion, concurrency: Int, nodes: [NodePlan]) {
        self.id = id
        self.createdAt = createdAt
        self.target = target
        self.concurrency = concurrency
        self.nodes = nodes
    }
}
