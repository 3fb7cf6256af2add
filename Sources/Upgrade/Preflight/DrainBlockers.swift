import KubeModel

/// Finds what would stop or hurt `kubectl drain` on a node, before anything changes — the same filters kubectl drain
/// applies (DaemonSet pods and mirror pods are ignored; pods without a controller, emptyDir data and
/// PodDisruptionBudgets that allow no disruption are not).
public enum DrainBlockers {
    public static func find(podsOnNode pods: [Pod], budgets: [PodDisruptionBudget]) -> [Blocker] {
        var out: [Blocker] = []
        for pod in pods where !pod.isMirror && pod.controller?.kind != "DaemonSet" {
            if pod.status?.phase == "Succeeded" || pod.status?.phase == "Failed" { continue }
            let id = "\(pod.namespace)/\(pod.name)"
            if pod.controller == nil {
                out.append(Blocker(kind: .podWithoutController, object: id,
                                   advice: "no controller will recreate it after the drain deletes it; move it first or drain with --force"))
            }
            if pod.hasEmptyDir {
                out.append(Blocker(kind: .emptyDirData, object: id,
                                   advice: "its emptyDir data is lost when it is evicted; drain needs --delete-emptydir-data"))
            }
            for pdb in budgets where pdb.namespace == pod.namespace && pdb.covers(pod) && pdb.blocksEviction {
                out.append(Blocker(kind: .pdbAllowsNoDisruption, object: "\(pdb.namespace)/\(pdb.name)",
                                   advice: "PodDisruptionBudget \(pdb.name) allows no disruption of \(id): the drain will wait until its timeout; scale the workload up or relax the budget"))
            }
        }
        return out
    }
}
