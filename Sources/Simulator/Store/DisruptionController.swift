import Foundation
import KubeModel

/// What the disruption controller does on a real cluster: keeps every PodDisruptionBudget's status (expected pods,
/// current and desired healthy, disruptions allowed) in step with the pods it selects.
enum DisruptionController {
    /// Recomputes PDB status when a pod or a PDB changed in this transaction.
    static func reconcile(_ tx: inout ObjectStoreTransaction) {
        let touched = Set(tx.events.compactMap { event -> String? in
            let type = event.object.type
            return type == .pods || type == .podDisruptionBudgets ? event.object.namespace : nil
        })
        reconcile(&tx, namespaces: touched)
    }

    /// Recomputes the status of every PDB in `namespaces`.
    static func reconcile(_ tx: inout ObjectStoreTransaction, namespaces touched: Set<String>) {
        guard !touched.isEmpty else { return }
        let now = Timestamps.rfc3339(Date())
        for namespace in touched.sorted() {
            let pdbs = tx.all(.podDisruptionBudgets, namespace: namespace)
            guard !pdbs.isEmpty else { continue }
            let pods = tx.all(.pods, namespace: namespace)
            for pdb in pdbs {
                let status = computeStatus(pdb.object, pods: pods, previous: pdb.object["status"], now: now)
                _ = try? tx.update(.podDisruptionBudgets, namespace: namespace, name: pdb.name) { object in
                    object["status"] = status
                }
            }
        }
    }

    static func selects(_ pdb: JSONValue, _ pod: JSONValue) -> Bool {
        guard let selector = pdb[["spec", "selector"]] else { return false }
        return LabelSelector(json: selector).matches(pod[["metadata", "labels"]]?.stringMap ?? [:])
    }

    /// What eviction looks at in a stored pod (`EvictionRule`, the rules of eviction.go).
    static func evictionFacts(pod: JSONValue) -> EvictionRule.PodFacts {
        EvictionRule.PodFacts(
            phase: pod[["status", "phase"]]?.stringValue,
            isReady: pod[["status", "conditions"]]?.arrayValue?.contains {
                $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True"
            } ?? false,
            isDeleting: pod[["metadata", "deletionTimestamp"]] != nil)
    }

    /// What eviction looks at in a stored PodDisruptionBudget; a budget the controller has not seen yet has
    /// observedGeneration 0, below any generation.
    static func evictionFacts(pdb: JSONValue, name: String) -> EvictionRule.BudgetFacts {
        let status = pdb["status"]
        return EvictionRule.BudgetFacts(
            name: name, unhealthyPodEvictionPolicy: pdb[["spec", "unhealthyPodEvictionPolicy"]]?.stringValue,
            generation: pdb[["metadata", "generation"]]?.intValue ?? 1, observedGeneration: status?["observedGeneration"]?.intValue ?? 0,
            disruptionsAllowed: status?["disruptionsAllowed"]?.intValue ?? 0, currentHealthy: status?["currentHealthy"]?.intValue ?? 0,
            desiredHealthy: status?["desiredHealthy"]?.intValue ?? 0)
    }

    static func isHealthy(_ pod: JSONValue) -> Bool {
        guard pod[["metadata", "deletionTimestamp"]] == nil, pod[["status", "phase"]]?.stringValue == "Running" else { return false }
        return pod[["status", "conditions"]]?.arrayValue?.contains {
            $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True"
        } ?? false
    }

    static func scaled(_ value: JSONValue, of total: Int, roundUp: Bool) -> Int {
        if let i = value.intValue { return i }
        if let s = value.stringValue, s.hasSuffix("%"), let p = Double(s.dropLast()) {
            let raw = Double(total) * p / 100
            return Int(roundUp ? raw.rounded(.up) : raw.rounded(.down))
        }
        return 0
    }

    static func computeStatus(_ pdb: JSONValue, pods: [StoredObject], previous: JSONValue?, now: String) -> JSONValue {
        let selected = pods.filter { selects(pdb, $0.object) }
        let expected = selected.count
        let healthy = selected.filter { isHealthy($0.object) }.count
        var desired = 0
        if let min = pdb[["spec", "minAvailable"]] {
            desired = scaled(min, of: expected, roundUp: true)
        } else if let max = pdb[["spec", "maxUnavailable"]] {
            desired = Swift.max(0, expected - scaled(max, of: expected, roundUp: true))
        }
        let allowed = Swift.max(0, healthy - desired)
        let generation = pdb[["metadata", "generation"]] ?? .int(1)
        let allowedNow = allowed > 0
        let previousCondition = previous?["conditions"]?.arrayValue?.first
        let transition = previousCondition?["status"]?.stringValue == (allowedNow ? "True" : "False")
            ? (previousCondition?["lastTransitionTime"] ?? .string(now)) : .string(now)
        return .object([
            ("observedGeneration", generation),
            ("disruptionsAllowed", .int(allowed)),
            ("currentHealthy", .int(healthy)),
            ("desiredHealthy", .int(desired)),
            ("expectedPods", .int(expected)),
            ("conditions", .array([.object([
                ("type", .string("DisruptionAllowed")), ("status", .string(allowedNow ? "True" : "False")),
                ("observedGeneration", generation), ("lastTransitionTime", transition),
                ("reason", .string(allowedNow ? "SufficientPods" : "InsufficientPods")), ("message", .string("")),
            ])])),
        ])
    }
}
