import Foundation
import KubeClient
import KubeModel
import NodeExec
import SkewCore
import Upgrade

/// What `upgrade --cluster` and the dashboard's cluster upgrade (`C`) do alike around each phase: plan from the
/// cluster as it is now, refuse a phase planned twice, get the phase's nodes ready to run, and check the control
/// plane after its phases. One place, so the headless run and the dashboard's cannot drift apart.
struct ClusterPhases {
    let client: KubeAPIClient
    private(set) var context: AssessmentContext
    let plannerOptions: Planner.Options
    let packageManagerOverride: PackageManager?
    let etcdBackup: Bool
    /// The removed-API table the hops are checked against (`--removed-apis`, else the embedded one).
    var removedAPIs: RemovedAPIs = .embedded()

    /// These phases with the target fixed at `target`. A run pins the version its first plan went to: `next-minor`
    /// planned again after the control plane's hop would name the minor after, and the run would go on through every
    /// release (it did: `upgrade --cluster --target next-minor --yes` took a v1.31 cluster to v1.37).
    func pinned(to target: KubeVersion) -> ClusterPhases {
        var pinned = self
        pinned.context.target = .version(target)
        return pinned
    }

    /// The plan from the cluster as it is now, with the drain blockers and the API versions its hops remove that
    /// are still in use.
    func currentPlan() async throws -> ClusterPlan {
        let (snapshot, _) = try await loadLiveSnapshot(client)
        let assessment = Assessor(context: context).assess(snapshot.facts())
        func planned(held: [String: String]) throws -> ClusterPlan {
            try ClusterPlanning.plan(snapshot: snapshot, assessment: assessment, context: context, planner: Planner(options: plannerOptions),
                                     packageManagerOverride: packageManagerOverride, etcdBackup: etcdBackup, held: held)
        }
        let drainPlan = try planned(held: [:])
        let blockers: [String: [Blocker]]
        do { blockers = try await ClusterPlanning.blockers(of: drainPlan, client: client) } catch let e as KubeClientError {
            throw OperatorError(message: "reading pods and PodDisruptionBudgets: \(e.description)")
        }
        let first = ClusterPlanning.attaching(blockers, to: drainPlan)
        // A worker whose drain cannot pass is left out (and said so) rather than failed on in the middle of the run.
        // Planned again without it: the nodes left are among the first plan's, whose blockers are read already.
        let undrainable = ClusterPlanning.undrainable(first, controlPlane: Set(snapshot.nodes.filter(\.isControlPlane).map(\.name)))
        let plan = undrainable.isEmpty ? first : ClusterPlanning.attaching(blockers, to: try planned(held: undrainable))
        guard let current = assessment.controlPlane.apiservers.min() else { return plan }
        let removals = await APIUsageScan(client: client, table: removedAPIs, current: current, target: plan.target,
                                          apiserverPods: snapshot.apiserverPods).run()
        return ClusterPlanning.attaching(removals, to: plan)
    }

    /// The phase's nodes as they will run: drains with the options of the blockers accepted, destinations resolved,
    /// preflight passed; throws with every reason otherwise. `accepted` says which blockers the operator accepted
    /// (nil: all, `--accept-blockers`); a blocker not among them stops the phase before anything runs.
    func ready(_ phase: ClusterPlan.Phase, accepted: ReviewedBlockers?, executor: any NodeExecutor) async throws -> [NodePlan] {
        if let accepted {
            let unseen = phase.nodes.flatMap { node in node.blockers.filter { !accepted.contains(node: node.node, $0) }.map { "\(node.node): \($0.kind.rawValue) \($0.object)" } }
            if !unseen.isEmpty {
                throw OperatorError(message: "blockers not reviewed before the run: " + unseen.joined(separator: "; ") + "; review the plan again")
            }
        }
        let destinations = await DestinationCheck.resolve(phase.acceptingBlockers().nodes, executor: executor)
        if !destinations.refused.isEmpty {
            throw OperatorError(message: destinations.refused.map { "\($0.node): \($0.reason)" }.joined(separator: "; "))
        }
        var problems: [String] = []
        for node in destinations.plans {
            let report = await Preflight.check(node, executor: executor)
            if !report.passed { problems.append("\(node.node): " + report.problems.joined(separator: "; ")) }
        }
        if !problems.isEmpty { throw OperatorError(message: "preflight: " + problems.joined(separator: "; ")) }
        return destinations.plans
    }

    /// After a control-plane phase: what on its nodes does not run kube-apiserver, kube-controller-manager and
    /// kube-scheduler at `version` (their static pods, read through the API, which answers); empty when all do.
    func controlPlaneBehind(_ version: KubeVersion, nodes: [String]) async throws -> [String] {
        let (snapshot, _) = try await loadLiveSnapshot(client)
        var behind: [String] = []
        for component in snapshot.components where ["kube-apiserver", "kube-controller-manager", "kube-scheduler"].contains(component.name) {
            guard let node = component.node, nodes.contains(node) else { continue }
            if KubeVersion.parse(component.version).map({ $0.samePrecedence(as: version) }) != true {
                behind.append("\(component.name) on \(node) runs \(component.version)")
            }
        }
        for node in nodes where !snapshot.components.contains(where: { $0.name == "kube-apiserver" && $0.node == node }) {
            behind.append("no kube-apiserver static pod seen on \(node)")
        }
        return behind
    }

    /// Stops a loop: the same phase planned twice in a row means the last one did not change the cluster as it should.
    struct RepeatGuard {
        private var previous: (kind: ClusterPlan.Phase.Kind, version: KubeVersion, nodes: [String])?

        mutating func check(_ phase: ClusterPlan.Phase) throws {
            let nodes = phase.nodes.map(\.node)
            if let previous, previous.kind == phase.kind, previous.version == phase.version, previous.nodes == nodes {
                throw OperatorError(message: "the cluster does not show the \(phase.kind.rawValue) phase to \(phase.version) done on "
                                    + "\(nodes.joined(separator: ", ")); see `kubeskew history` and the node's journal")
            }
            previous = (phase.kind, phase.version, nodes)
        }
    }
}

/// The drain blockers the operator acknowledged in a cluster plan review. A controller's pod (emptyDir data, a
/// budget) is known by node and kind, since the pod replaced between phases has a new name but is the same blocker;
/// a pod without a controller, which the drain deletes for good, and a destination are known by name too.
struct ReviewedBlockers: Sendable {
    private var keys: Set<String>

    /// None accepted: any blocker stops the phase.
    static let none = ReviewedBlockers(keys: [])

    private init(keys: Set<String>) { self.keys = keys }

    init(_ plan: ClusterPlan) {
        keys = Set(plan.phases.flatMap(\.nodes).flatMap { node in node.blockers.map { Self.key(node.node, $0) } })
    }

    func contains(node: String, _ blocker: Blocker) -> Bool { keys.contains(Self.key(node, blocker)) }

    private static func key(_ node: String, _ blocker: Blocker) -> String {
        switch blocker.kind {
        case .podWithoutController, .loopbackDestination, .foreignDestination, .removedAPIInUse: return "\(node)\u{0}\(blocker.kind.rawValue)\u{0}\(blocker.object)"
        case .pdbAllowsNoDisruption, .emptyDirData, .podHasSeveralBudgets: return "\(node)\u{0}\(blocker.kind.rawValue)"
        }
    }
}

extension ClusterPlan.Phase {
    /// This phase with every node's drain carrying the options its blockers need (`--accept-blockers`).
    func acceptingBlockers() -> ClusterPlan.Phase {
        ClusterPlan.Phase(kind: kind, version: version, nodes: nodes.map { $0.acceptingBlockers() }, oneAtATime: oneAtATime,
                          askFirst: askFirst, gates: gates)
    }
}
