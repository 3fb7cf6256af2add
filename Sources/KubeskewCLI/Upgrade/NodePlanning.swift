import Foundation
import KubeClient
import KubeModel
import SkewCore
import Upgrade

/// Builds the plans for the nodes an operator named, from a snapshot of the cluster: refuses unknown, managed and
/// unplannable nodes with the reason, and never touches a node that was not named.
struct NodePlanning {
    let snapshot: ClusterSnapshot
    let assessment: ClusterAssessment
    let planner: Planner
    let packageManagerOverride: PackageManager?

    /// A node that will not be planned, and why.
    struct Refusal: Sendable {
        let node: String
        let reason: String
        /// The node is at the target already: nothing to do, which is success, not a refusal, for `upgrade` and `plan`.
        var alreadyCurrent = false
    }

    func plans(for names: [String]) -> (plans: [NodePlan], refused: [Refusal]) {
        var plans: [NodePlan] = []
        var refused: [Refusal] = []
        let nodes = Dictionary(snapshot.nodes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var seen = Set<String>()
        for name in names where seen.insert(name).inserted {
            guard let node = nodes[name], let a = assessment.nodes.first(where: { $0.name == name }) else {
                refused.append(Refusal(node: name, reason: "no node named \(DisplaySafe.quote(name)) in the cluster"))
                continue
            }
            if a.hops.isEmpty && a.pathProblem == nil {
                refused.append(Refusal(node: name, reason: "already at the target \(assessment.target?.description ?? "")",
                                       alreadyCurrent: true))
                continue
            }
            guard let manager = packageManagerOverride ?? PackageManagerGuess.from(osImage: node.nodeInfo?.osImage) else {
                refused.append(Refusal(node: name, reason: "cannot tell the package manager from its OS image \(DisplaySafe.quote(node.nodeInfo?.osImage ?? "?")); pass --package-manager apt|dnf|dnf5|yum"))
                continue
            }
            do {
                // A node already unschedulable was cordoned by an operator, and the run leaves it so; unless the
                // cordon carries kubeskew's mark (an earlier run cordoned it and stopped): that one is lifted.
                let earlierRun = CordonMark.run(of: node)
                var plan = try planner.plan(node: a, internalIP: node.internalIP, packageManager: manager,
                                            wasCordoned: node.isUnschedulable && earlierRun == nil)
                plan.cordonedByEarlierRun = earlierRun
                // What the destination check compares with: the node's own addresses and machine ID.
                plan.addresses = node.addresses.map { PlannedAddress(type: $0.type, address: $0.address) }
                plan.machineID = node.nodeInfo?.machineID
                plans.append(plan)
            } catch {
                refused.append(Refusal(node: name, reason: "\(error)".replacingOccurrences(of: "\(name): ", with: "")))
            }
        }
        return (plans, refused)
    }

    /// Adds the drain blockers of each plan's node (pods on it, PodDisruptionBudgets), read from the live cluster.
    static func withBlockers(_ plans: [NodePlan], client: KubeAPIClient) async throws -> [NodePlan] {
        let budgets = try await client.listPDBs()
        var out: [NodePlan] = []
        for var plan in plans {
            let pods = try await client.listPods(nodeName: plan.node)
            plan.blockers = DrainBlockers.find(podsOnNode: pods, budgets: budgets)
            out.append(plan)
        }
        return out
    }
}

/// How a plan is printed for people: per node, per hop, every command with where it runs, then the blockers.
enum PlanPrinter {
    /// `blockersAccepted`: the plans are the accepted ones (`upgrade --accept-blockers`), whose drains already
    /// carry the options the blockers need.
    static func text(_ plans: [NodePlan], refused: [NodePlanning.Refusal], blockersAccepted: Bool = false) -> String {
        var out = ""
        for plan in plans {
            let passes = plan.hops.count == 1 ? "1 pass" : "\(plan.hops.count) passes: " + plan.hops.map(\.version.description).joined(separator: " → ")
            out += "\(plan.node)  \(plan.from) → \(plan.target)  (\(plan.packageManager.rawValue), \(passes))\n"
            if let destination = plan.destination { out += "  node commands go to \(destination.display)\n" }
            var number = 0
            for (h, hop) in plan.hops.enumerated() {
                if plan.hops.count > 1 || hop.changesMinor {
                    out += "  pass \(h + 1): \(hop.version)" + (hop.changesMinor ? " — new minor: repository v\(hop.repositoryMinor), drain required" : "") + "\n"
                }
                for step in plan.steps where step.hop == h + 1 {
                    number += 1
                    let place = step.location == .node ? "[node]         " : "[control-plane]"
                    var line = "  \(String(number).leftPad(2)). \(place) \(plan.displayLine(step))"
                    if step.kind == .uncordon, let reason = plan.keptCordonedReason { line += "   (skipped: \(reason))" }
                    if step.kind == .uncordon, let note = plan.liftedCordonNote { line += "   (\(note))" }
                    out += line + "\n"
                }
            }
            if !plan.blockers.isEmpty {
                out += blockersAccepted ? "  blockers (acknowledged with --accept-blockers; the drain above is the one that runs):\n"
                    : "  blockers (acknowledge before anything runs):\n"
                for b in plan.blockers { out += "    ! \(b.kind.rawValue) \(b.object): \(b.advice)\n" }
                if !blockersAccepted {
                    // What acknowledging changes, exactly as it would run.
                    let accepted = plan.acceptingBlockers()
                    for (step, acceptedStep) in zip(plan.steps, accepted.steps) where step != acceptedStep {
                        out += "  with --accept-blockers, \(step.name) runs: \(accepted.displayLine(acceptedStep))\n"
                    }
                }
            }
            out += "\n"
        }
        for r in refused { out += "\(r.node)  \(r.alreadyCurrent ? "nothing to do" : "not planned"): \(r.reason)\n" }
        return out
    }
}

extension String {
    func leftPad(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
