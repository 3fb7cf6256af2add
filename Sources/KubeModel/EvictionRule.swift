/// What the API server's eviction subresource answers for one pod, by the rules of kubernetes/kubernetes
/// `pkg/registry/core/pod/storage/eviction.go` (`EvictionREST.Create`, `canIgnorePDB`, `checkAndDecrement`). Drain
/// preflight and the simulator's eviction both decide with it, so what preflight predicts is what eviction does.
public enum EvictionRule {
    /// The facts of a pod eviction looks at.
    public struct PodFacts: Sendable, Equatable {
        public var phase: String?
        /// The pod's `Ready` condition is `True` (`podutil.IsPodReady`).
        public var isReady: Bool
        /// `metadata.deletionTimestamp` is set.
        public var isDeleting: Bool

        public init(phase: String?, isReady: Bool, isDeleting: Bool = false) {
            self.phase = phase
            self.isReady = isReady
            self.isDeleting = isDeleting
        }
    }

    /// The facts of a PodDisruptionBudget eviction looks at.
    public struct BudgetFacts: Sendable, Equatable {
        public var name: String
        /// `spec.unhealthyPodEvictionPolicy`: `AlwaysAllow`, `IfHealthyBudget`, or nil (which acts as IfHealthyBudget).
        public var unhealthyPodEvictionPolicy: String?
        public var generation: Int
        public var observedGeneration: Int
        public var disruptionsAllowed: Int
        public var currentHealthy: Int
        public var desiredHealthy: Int

        public init(name: String, unhealthyPodEvictionPolicy: String? = nil, generation: Int = 0, observedGeneration: Int = 0,
                    disruptionsAllowed: Int, currentHealthy: Int, desiredHealthy: Int) {
            self.name = name
            self.unhealthyPodEvictionPolicy = unhealthyPodEvictionPolicy
            self.generation = generation
            self.observedGeneration = observedGeneration
            self.disruptionsAllowed = disruptionsAllowed
            self.currentHealthy = currentHealthy
            self.desiredHealthy = desiredHealthy
        }
    }

    /// The answer, with the HTTP status eviction gives.
    public enum Decision: Sendable, Equatable {
        /// Deleted without looking at budgets: Succeeded, Failed or Pending, or already being deleted.
        case allowedIgnoringBudgets
        /// No budget covers the pod.
        case allowedWithoutBudget
        /// The pod is not Ready and its budget lets it go without counting it (AlwaysAllow, or the budget already
        /// has its desired healthy pods).
        case allowedUnhealthy(budget: String)
        /// The budget allows a disruption now.
        case allowedByBudget(budget: String)
        /// 500: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."
        case severalBudgets([String])
        /// 429: the budget's status is older than its spec; eviction says to retry.
        case budgetNotObserved(budget: String)
        /// 403: "pdb disruptions allowed is negative".
        case budgetNegative(budget: String)
        /// 429: "Cannot evict pod as it would violate the pod's disruption budget."
        case noDisruptionAllowed(budget: String, desiredHealthy: Int, currentHealthy: Int)

        public var isAllowed: Bool {
            switch self {
            case .allowedIgnoringBudgets, .allowedWithoutBudget, .allowedUnhealthy, .allowedByBudget: return true
            default: return false
            }
        }
    }

    /// eviction.go's message for a pod with several budgets, word for word.
    public static let severalBudgetsMessage = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."

    /// The decision for `pod`, given the budgets whose selector covers it (same namespace).
    public static func decide(pod: PodFacts, covering budgets: [BudgetFacts]) -> Decision {
        // canIgnorePDB
        if ["Succeeded", "Failed", "Pending"].contains(pod.phase ?? "") || pod.isDeleting { return .allowedIgnoringBudgets }
        if budgets.count > 1 { return .severalBudgets(budgets.map(\.name)) }
        guard let pdb = budgets.first else { return .allowedWithoutBudget }
        if !pod.isReady {
            if pdb.unhealthyPodEvictionPolicy == "AlwaysAllow" { return .allowedUnhealthy(budget: pdb.name) }
            // The default (nil) and IfHealthyBudget.
            if pdb.currentHealthy >= pdb.desiredHealthy && pdb.desiredHealthy > 0 { return .allowedUnhealthy(budget: pdb.name) }
        }
        // checkAndDecrement
        if pdb.observedGeneration < pdb.generation { return .budgetNotObserved(budget: pdb.name) }
        if pdb.disruptionsAllowed < 0 { return .budgetNegative(budget: pdb.name) }
        if pdb.disruptionsAllowed == 0 {
            return .noDisruptionAllowed(budget: pdb.name, desiredHealthy: pdb.desiredHealthy, currentHealthy: pdb.currentHealthy)
        }
        return .allowedByBudget(budget: pdb.name)
    }
}

extension Pod {
    /// What eviction looks at in this pod.
    public var evictionFacts: EvictionRule.PodFacts {
        EvictionRule.PodFacts(phase: status?.phase, isReady: status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false,
                              isDeleting: metadata.deletionTimestamp != nil)
    }
}

extension PodDisruptionBudget {
    /// What eviction looks at in this budget.
    public var evictionFacts: EvictionRule.BudgetFacts {
        EvictionRule.BudgetFacts(
            name: name, unhealthyPodEvictionPolicy: spec?.unhealthyPodEvictionPolicy, generation: metadata.generation ?? 0,
            observedGeneration: status?.observedGeneration ?? 0, disruptionsAllowed: status?.disruptionsAllowed ?? 0,
            currentHealthy: status?.currentHealthy ?? 0, desiredHealthy: status?.desiredHealthy ?? 0)
    }
}
