import KubeModel

/// Finds what would stop or hurt `kubectl drain` on a node, before anything changes — the same filters kubectl drain
/// applies (DaemonSet pods and mirror pods are ignored; pods without a controller and emptyDir data are not), and
/// for PodDisruptionBudgets the eviction subresource's own rules (`EvictionRule`, from eviction.go): a pod covered
/// by two budgets is refused outright, a budget with no disruption allowed blocks its Ready pods but lets go of the
/// ones eviction would let go of (not Ready, under `AlwaysAllow` or a budget that has its healthy pods).
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
            let covering = budgets.filter { $0.namespace == pod.namespace && $0.covers(pod) }
            switch EvictionRule.decide(pod: pod.evictionFacts, covering: covering.map(\.evictionFacts)) {
            case .severalBudgets(let names):
                out.append(Blocker(kind: .podHasSeveralBudgets, object: id,
                                   advice: "covered by \(names.count) PodDisruptionBudgets (\(names.joined(separator: ", "))): eviction refuses it with 500 "
                                       + "\"\(EvictionRule.severalBudgetsMessage)\" and the drain fails; "
                                       + "make the budgets' selectors disjoint or delete one of them"))
            case .noDisruptionAllowed(let name, _, _), .budgetNegative(let name):
                out.append(Blocker(kind: .pdbAllowsNoDisruption, object: "\(pod.namespace)/\(name)",
                                   advice: "PodDisruptionBudget \(name) allows no disruption of \(id): the drain will wait until its timeout; scale the workload up or relax the budget"))
            case .allowedIgnoringBudgets, .allowedWithoutBudget, .allowedUnhealthy, .allowedByBudget, .budgetNotObserved:
                // A budget whose status lags its spec answers 429 "still being processed": kubectl drain retries
                // it, and the disruption controller catches up on its own.
                break
            }
        }
        return out
    }
}
