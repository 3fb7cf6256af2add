import Foundation
import SkewCore
@testable import Upgrade

/// Plans made by the real Planner from the shipped runbooks (what the product runs), for engine tests.
enum ShippedPlans {
    static func v(_ s: String) -> KubeVersion { KubeVersion.parse(s)! }

    /// A patch upgrade v1.33.2 → v1.33.3 of `nodes` with the apt runbook.
    static func plan(_ nodes: [String], concurrency: Int = 1, manager: PackageManager = .apt,
                     id: String = "20261125T150000Z-\(UUID().uuidString.prefix(6).lowercased())") throws -> RunPlan {
        let planner = Planner()
        let plans = try nodes.enumerated().map { i, node in
            try planner.plan(name: node, internalIP: "127.0.1.\(i + 1)", from: v("v1.33.2"), target: v("v1.33.3"),
                             hops: [Hop(version: v("v1.33.3"), changesMinor: false)], packageManager: manager)
        }
        return RunPlan(id: id, createdAt: "2026-11-25T15:00:00Z", target: v("v1.33.3"), concurrency: concurrency, nodes: plans)
    }

    /// The drain step's command line of `node` in `plan` (what the executor is asked to run).
    static func drainLine(_ plan: RunPlan, _ node: String) -> String {
        let step = plan.nodes.first { $0.node == node }!.steps.first { $0.kind == .drain }!
        guard case let .commands(argvs, _) = step.action else { return "" }
        return argvs[0].joined(separator: " ")
    }

    /// The first command line of a step kind of `node`.
    static func firstLine(_ plan: RunPlan, _ node: String, _ kind: PlannedStep.Kind) -> String {
        let step = plan.nodes.first { $0.node == node }!.steps.first { $0.kind == kind }!
        guard case let .commands(argvs, _) = step.action else { return "" }
        return argvs[0].joined(separator: " ")
    }
}

