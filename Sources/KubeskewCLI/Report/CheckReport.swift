import Foundation
import KubeModel
import SkewCore

/// The result of `check` in the two forms it is printed in: a table for people and JSON for machines.
struct CheckReport {
    let snapshot: ClusterSnapshot
    let assessment: ClusterAssessment
    let context: AssessmentContext
    /// What the hop to the target removes that is still in use; nil without a minor hop or without a live cluster.
    var apiRemovals: APIRemovalReport? = nil
    /// The date of the removed-API table the findings come from.
    var removedAPIsTakenOn: CalendarDate? = nil

    /// Role shown for a node: its `node-role.kubernetes.io/*` labels, else `worker`.
    static func role(_ node: Node?) -> String {
        guard let node else { return "?" }
        if node.isControlPlane { return "control-plane" }
        return node.roles.first ?? "worker"
    }

    /// The node objects by name, for roles and conditions next to the verdicts.
    var nodesByName: [String: Node] {
        Dictionary(snapshot.nodes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
