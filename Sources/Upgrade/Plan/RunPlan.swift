import NodeExec
import SkewCore

/// Something found before anything changes that may stop the drain; the operator must acknowledge it.
public struct Blocker: Sendable, Codable, Hashable {
    /// The kinds of drain blockers kubectl drain itself refuses or waits on.
    public enum Kind: String, Sendable, Codable {
        case pdbAllowsNoDisruption = "pdb-allows-no-disruption"
        case podWithoutController = "pod-without-controller"
        case emptyDirData = "emptydir-data"
        case podHasSeveralBudgets = "pod-has-several-budgets"
        /// The node's commands would go to this machine (127.0.0.0/8, ::1, localhost).
        case loopbackDestination = "destination-loopback"
        /// The node's commands would go to a host that is none of the node's own addresses.
        case foreignDestination = "destination-not-a-node-address"
        /// An API version the control-plane hop removes is still in use (the object is `group/version Kind`).
        case removedAPIInUse = "removed-api-in-use"
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
    /// The node was unschedulable when the plan was made (an operator cordoned it): the run leaves it cordoned,
    /// so the final uncordon is skipped.
    public var wasCordoned: Bool
    /// The addresses the node reported when it was planned (status.addresses), for the destination check.
    public var addresses: [PlannedAddress]
    /// The machine ID the node reported (status.nodeInfo.machineID), for the local executor's check.
    public var machineID: String?
    /// Where the executor runs this node's commands, resolved at preflight; nil in journals written before.
    public var destination: NodeDestination?
    /// The node was cordoned by this earlier kubeskew run (`CordonMark`) when planned: not the operator's cordon,
    /// so this run lifts it at the end.
    public var cordonedByEarlierRun: String?

    public init(node: String, internalIP: String?, from: KubeVersion, target: KubeVersion, hops: [Hop],
                packageManager: PackageManager, steps: [PlannedStep], blockers: [Blocker] = [], wasCordoned: Bool = false) {
        self.node = node
        self.internalIP = internalIP
        self.from = from
        self.target = target
        self.hops = hops
        self.packageManager = packageManager
        self.steps = steps
        self.blockers = blockers
        self.wasCordoned = wasCordoned
        self.addresses = []
        self.machineID = nil
        self.destination = nil
        self.cordonedByEarlierRun = nil
    }

    private enum CodingKeys: String, CodingKey {
        case node, internalIP, from, target, hops, packageManager, steps, blockers, wasCordoned, addresses, machineID, destination
        case cordonedByEarlierRun
    }

    // Journals written before `wasCordoned` existed load with it false.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        node = try c.decode(String.self, forKey: .node)
        internalIP = try c.decodeIfPresent(String.self, forKey: .internalIP)
        from = try c.decode(KubeVersion.self, forKey: .from)
        target = try c.decode(KubeVersion.self, forKey: .target)
        hops = try c.decode([Hop].self, forKey: .hops)
        packageManager = try c.decode(PackageManager.self, forKey: .packageManager)
        steps = try c.decode([PlannedStep].self, forKey: .steps)
        blockers = try c.decodeIfPresent([Blocker].self, forKey: .blockers) ?? []
        wasCordoned = try c.decodeIfPresent(Bool.self, forKey: .wasCordoned) ?? false
        addresses = try c.decodeIfPresent([PlannedAddress].self, forKey: .addresses) ?? []
        machineID = try c.decodeIfPresent(String.self, forKey: .machineID)
        destination = try c.decodeIfPresent(NodeDestination.self, forKey: .destination)
        cordonedByEarlierRun = try c.decodeIfPresent(String.self, forKey: .cordonedByEarlierRun)
    }

    /// The node as executors see it: name, InternalIP and machine ID, validated.
    public func nodeTarget() throws(ExecutorError) -> NodeTarget {
        try NodeTarget(name: node, internalIP: internalIP, machineID: machineID)
    }

    /// `step` as it will run on this node: `sudo` only where the node's executor uses it (not as root).
    public func displayLine(_ step: PlannedStep) -> String {
        step.displayLine(privilegePrefix: privilegePrefix(step))
    }

    /// What runs before a privileged command of `step`: `sudo` on this machine, and on the node only where the
    /// node's executor uses it (not as root).
    public func privilegePrefix(_ step: PlannedStep) -> [String] {
        step.location == .node ? (destination?.privilegePrefix ?? ["sudo"]) : ["sudo"]
    }

    /// Why the run skips this node's uncordon step, when it does.
    public var keptCordonedReason: String? {
        wasCordoned ? "\(node) was cordoned before the run; left cordoned" : nil
    }

    /// Step `index` as an operator names it: `step 4/7 install kubelet and kubectl 1.33.3` (not its id).
    public func stepTitle(_ index: Int) -> String {
        guard steps.indices.contains(index) else { return "step \(index + 1)" }
        return "step \(index + 1)/\(steps.count) \(steps[index].name)"
    }

    /// Why the run lifts a cordon it found, when an earlier kubeskew run made it.
    public var liftedCordonNote: String? {
        cordonedByEarlierRun.map { "cordoned by kubeskew run \($0), so lifted here" }
    }
}

/// One address a node reports: its type (InternalIP, ExternalIP, Hostname…) and the address.
public struct PlannedAddress: Sendable, Codable, Hashable {
    public let type: String
    public let address: String

    public init(type: String, address: String) {
        self.type = type
        self.address = address
    }
}

/// The package tools of a node, which choose the runbook.
public enum PackageManager: String, Sendable, Codable, Hashable, CaseIterable {
    case apt, dnf, dnf5, yum
}

/// A whole run: its id, when it was made, the node plans in the order they go, and what it belongs to.
public struct RunPlan: Sendable, Codable {
    public let id: String
    public let createdAt: String
    public let target: KubeVersion
    public let concurrency: Int
    public let nodes: [NodePlan]
    /// The cluster, kubeconfig, context and executor the run was planned with; nil in journals written before runs
    /// recorded them (such a run is never resumed).
    public let identity: RunIdentity?

    public init(id: String, createdAt: String, target: KubeVersion, concurrency: Int, nodes: [NodePlan],
                identity: RunIdentity? = nil) {
        self.id = id
        self.createdAt = createdAt
        self.target = target
        self.concurrency = concurrency
        self.nodes = nodes
        self.identity = identity
    }
}

extension NodePlan {
    /// Takes the facts found about the node (addresses, machine ID, resolved destination) from `other`, for a plan
    /// rebuilt from it.
    public mutating func carryFacts(of other: NodePlan) {
        addresses = other.addresses
        machineID = other.machineID
        destination = other.destination
        cordonedByEarlierRun = other.cordonedByEarlierRun
    }
}
