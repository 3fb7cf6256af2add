/// A PodDisruptionBudget (policy/v1), reduced to what a drain needs to know.
public struct PodDisruptionBudget: Sendable, Codable, Equatable {
    public var metadata: ObjectMeta
    public var spec: PodDisruptionBudgetSpec?
    public var status: PodDisruptionBudgetStatus?

    public init(metadata: ObjectMeta, spec: PodDisruptionBudgetSpec? = nil, status: PodDisruptionBudgetStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    public var name: String { metadata.name }
    public var namespace: String { metadata.namespace ?? "default" }

    /// True when the budget covers `pod`: same namespace and the selector matches its labels.
    /// An empty selector matches every pod of the namespace (policy/v1 semantics).
    public func covers(_ pod: Pod) -> Bool {
        guard pod.namespace == namespace else { return false }
        return spec?.selector?.matches(pod.labels) ?? false
    }

    /// True when the disruption controller says no pod may be evicted now (a Ready pod; for the whole rule, with
    /// pods that are not Ready and pods under several budgets, see `EvictionRule`).
    public var blocksEviction: Bool { (status?.disruptionsAllowed ?? 0) <= 0 }
}

/// `spec` of a PodDisruptionBudget.
public struct PodDisruptionBudgetSpec: Sendable, Codable, Equatable {
    public var minAvailable: IntOrString?
    public var maxUnavailable: IntOrString?
    public var selector: LabelSelector?
    /// `AlwaysAllow` or `IfHealthyBudget` (the default when unset): may a pod that is not Ready be evicted when the
    /// budget allows no disruption.
    public var unhealthyPodEvictionPolicy: String?

    public init(minAvailable: IntOrString? = nil, maxUnavailable: IntOrString? = nil, selector: LabelSelector? = nil,
                unhealthyPodEvictionPolicy: String? = nil) {
        self.minAvailable = minAvailable
        self.maxUnavailable = maxUnavailable
        self.selector = selector
        self.unhealthyPodEvictionPolicy = unhealthyPodEvictionPolicy
    }
}

/// `status` of a PodDisruptionBudget, as the disruption controller writes it.
public struct PodDisruptionBudgetStatus: Sendable, Codable, Equatable {
    public var observedGeneration: Int?
    public var disruptionsAllowed: Int?
    public var currentHealthy: Int?
    public var desiredHealthy: Int?
    public var expectedPods: Int?

    public init(disruptionsAllowed: Int? = nil, currentHealthy: Int? = nil, desiredHealthy: Int? = nil, expectedPods: Int? = nil) {
        self.disruptionsAllowed = disruptionsAllowed
        self.currentHealthy = currentHealthy
        self.desiredHealthy = desiredHealthy
        self.expectedPods = expectedPods
    }
}

/// A value that is either an integer or a string such as `"50%"`.
public enum IntOrString: Sendable, Codable, Equatable {
    case int(Int)
    case string(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        }
    }
}

/// A label selector (`matchLabels` and `matchExpressions`).
public struct LabelSelector: Sendable, Codable, Equatable {
    public var matchLabels: [String: String]?
    public var matchExpressions: [Requirement]?

    public init(matchLabels: [String: String]? = nil, matchExpressions: [Requirement]? = nil) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }

    /// One `matchExpressions` entry.
    public struct Requirement: Sendable, Codable, Equatable {
        public var key: String
        public var `operator`: String
        public var values: [String]?

        public init(key: String, operator: String, values: [String]? = nil) {
            self.key = key
            self.operator = `operator`
            self.values = values
        }
    }

    /// Whether `labels` satisfy every term; an unknown operator matches nothing (fail closed).
    public func matches(_ labels: [String: String]) -> Bool {
        for (key, value) in matchLabels ?? [:] where labels[key] != value { return false }
        for requirement in matchExpressions ?? [] {
            let values = requirement.values ?? []
            switch requirement.operator {
            case "In": guard let v = labels[requirement.key], values.contains(v) else { return false }
            case "NotIn": if let v = labels[requirement.key], values.contains(v) { return false }
            case "Exists": if labels[requirement.key] == nil { return false }
            case "DoesNotExist": if labels[requirement.key] != nil { return false }
            default: return false
            }
        }
        return true
    }
}
