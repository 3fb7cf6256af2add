import Foundation

/// What the ReplicaSet controller and the scheduler do on a real cluster, as far as a drain needs: a pod of a
/// ReplicaSet that is evicted or deleted is replaced at once by a new pod from the same template, bound to a
/// schedulable node. Without it a PodDisruptionBudget such as `minAvailable: 2` over three pods blocks every drain
/// after the first, which no real cluster does.
///
/// The replacement lands on a Ready node that is not cordoned and whose NoSchedule/NoExecute taints the pod
/// tolerates, the one with the fewest pods of the same ReplicaSet (then by name). With no such node it stays Pending,
/// unscheduled; nothing schedules it later (the simulator has no scheduler loop).
enum ReplicaSetController {
    static func reconcile(_ tx: inout ObjectStoreTransaction) {
        let gone = tx.events.filter { $0.kind == .deleted && $0.object.type == .pods }.map(\.object.object)
        for pod in gone where owner(of: pod)?["kind"]?.stringValue == "ReplicaSet" {
            _ = try? tx.create(.pods, replacement(for: pod, tx: tx))
        }
    }

    static func owner(of pod: JSONValue) -> JSONValue? {
        pod[["metadata", "ownerReferences"]]?.arrayValue?.first { $0["controller"]?.boolValue == true }
    }

    /// A new pod from `pod`'s template: a new name and uid, on the node the scheduler would pick.
    static func replacement(for pod: JSONValue, tx: ObjectStoreTransaction) -> JSONValue {
        let namespace = pod[["metadata", "namespace"]]?.stringValue ?? "default"
        let ownerName = owner(of: pod)?["name"]?.stringValue ?? "replicaset"
        var fresh = pod
        fresh.set(["metadata", "name"], .string("\(ownerName)-\(suffix())"))
        fresh.set(["metadata", "uid"], .string(UUID().uuidString.lowercased()))
        fresh.set(["metadata", "resourceVersion"], nil)
        fresh.set(["metadata", "creationTimestamp"], nil)
        fresh.set(["metadata", "deletionTimestamp"], nil)
        fresh.set(["metadata", "deletionGracePeriodSeconds"], nil)
        let now = Timestamps.rfc3339(Date())
        let siblings = tx.all(.pods, namespace: namespace).filter { owner(of: $0.object)?["name"]?.stringValue == ownerName }
        let nodes = tx.all(.nodes).map(\.object)
        guard let node = pickNode(for: pod, siblings: siblings.map(\.object), nodes: nodes) else {
            fresh.set(["spec", "nodeName"], nil)
            fresh["status"] = .object([
                ("phase", .string("Pending")),
                ("conditions", .array([.object([
                    ("type", .string("PodScheduled")), ("status", .string("False")), ("lastProbeTime", .null),
                    ("lastTransitionTime", .string(now)), ("reason", .string("Unschedulable")),
                    ("message", .string("0/\(nodes.count) nodes are available: no node is schedulable.")),
                ])])),
                ("qosClass", pod[["status", "qosClass"]] ?? .string("BestEffort")),
            ])
            return fresh
        }
        let nodeName = node[["metadata", "name"]]?.stringValue ?? ""
        let hostIP = node[["status", "addresses"]]?.arrayValue?.first { $0["type"]?.stringValue == "InternalIP" }?["address"]?.stringValue ?? ""
        fresh.set(["spec", "nodeName"], .string(nodeName))
        var status = pod["status"] ?? .object([])
        status["hostIP"] = .string(hostIP)
        if hostIP.isEmpty { status["hostIPs"] = nil } else { status["hostIPs"] = .array([.object([("ip", .string(hostIP))])]) }
        if pod[["spec", "hostNetwork"]]?.boolValue != true {
            let podIP = "10.244.\(Int.random(in: 1...254)).\(Int.random(in: 2...254))"
            status["podIP"] = .string(podIP)
            status["podIPs"] = .array([.object([("ip", .string(podIP))])])
        } else {
            status["podIP"] = .string(hostIP)
            status["podIPs"] = .array([.object([("ip", .string(hostIP))])])
        }
        status["startTime"] = .string(now)
        if let conditions = status["conditions"]?.arrayValue {
            status["conditions"] = .array(conditions.map { condition in
                var c = condition
                c["lastTransitionTime"] = .string(now)
                return c
            })
        }
        fresh["status"] = status
        return fresh
    }

    /// The node the scheduler would bind a pod like `pod` to, or nil when none may take it.
    static func pickNode(for pod: JSONValue, siblings: [JSONValue], nodes: [JSONValue]) -> JSONValue? {
        let tolerations = pod[["spec", "tolerations"]]?.arrayValue ?? []
        let candidates = nodes.filter { node in
            guard node[["spec", "unschedulable"]]?.boolValue != true else { return false }
            let ready = node[["status", "conditions"]]?.arrayValue?.contains {
                $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True"
            } ?? false
            guard ready else { return false }
            let taints = node[["spec", "taints"]]?.arrayValue ?? []
            return taints.allSatisfy { taint in
                let effect = taint["effect"]?.stringValue
                guard effect == "NoSchedule" || effect == "NoExecute" else { return true }
                return tolerations.contains { tolerates($0, taint) }
            }
        }
        func load(_ node: JSONValue) -> Int {
            let name = node[["metadata", "name"]]?.stringValue
            return siblings.filter { $0[["spec", "nodeName"]]?.stringValue == name }.count
        }
        return candidates.min { a, b in
            let (la, lb) = (load(a), load(b))
            if la != lb { return la < lb }
            return (a[["metadata", "name"]]?.stringValue ?? "") < (b[["metadata", "name"]]?.stringValue ?? "")
        }
    }

    /// The toleration rule of the scheduler's TaintToleration plugin.
    static func tolerates(_ toleration: JSONValue, _ taint: JSONValue) -> Bool {
        if let effect = toleration["effect"]?.stringValue, !effect.isEmpty, effect != taint["effect"]?.stringValue { return false }
        let key = toleration["key"]?.stringValue ?? ""
        if toleration["operator"]?.stringValue == "Exists" { return key.isEmpty || key == taint["key"]?.stringValue }
        return key == taint["key"]?.stringValue && (toleration["value"]?.stringValue ?? "") == (taint["value"]?.stringValue ?? "")
    }

    /// The five characters Kubernetes appends to generated names (k8s.io/apimachinery/pkg/util/rand: no vowels, no
    /// confusable digits).
    static func suffix() -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet.randomElement()! })
    }
}
