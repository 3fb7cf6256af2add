import Foundation

/// Builds `meta.k8s.io/v1` Table responses: the server-side printing `kubectl get` asks for.
enum TableBuilder {
    static func columns(for type: ResourceType) -> JSONValue {
        switch type {
        case .nodes: return TableColumns.nodes
        case .pods: return TableColumns.pods
        case .podDisruptionBudgets: return TableColumns.podDisruptionBudgets
        case .namespaces: return TableColumns.namespaces
        case .secrets: return TableColumns.secrets
        case .ingresses: return TableColumns.ingresses
        case .endpoints: return TableColumns.endpoints
        case .leases: return TableColumns.leases
        default: return TableColumns.standard
        }
    }

    /// A Table of `objects`; `includeColumns` false writes `"columnDefinitions":null` (watch events after the first).
    static func table(_ type: ResourceType, _ objects: [StoredObject], resourceVersion: Int, continueToken: String? = nil,
                      remaining: Int? = nil, includeColumns: Bool = true, now: Date = Date()) -> JSONValue {
        var metadata: [(String, JSONValue)] = [("resourceVersion", .string(String(resourceVersion)))]
        if let continueToken { metadata.append(("continue", .string(continueToken))) }
        if let remaining { metadata.append(("remainingItemCount", .int(remaining))) }
        let rows: [JSONValue] = objects.map { object in
            .object([("cells", .array(cells(type, object.object, now: now).map { .string($0) })),
                     ("object", .object([("kind", .string("PartialObjectMetadata")), ("apiVersion", .string("meta.k8s.io/v1")),
                                         ("metadata", object.object["metadata"] ?? .object([]))]))])
        }
        return .object([("kind", .string("Table")), ("apiVersion", .string("meta.k8s.io/v1")), ("metadata", .object(metadata)),
                        ("columnDefinitions", includeColumns ? columns(for: type) : .null), ("rows", .array(rows))])
    }

    static func age(_ object: JSONValue, now: Date) -> String {
        guard let text = object[["metadata", "creationTimestamp"]]?.stringValue, let created = Timestamps.parse(text) else {
            return "<unknown>"
        }
        return Timestamps.humanDuration(now.timeIntervalSince(created))
    }

    static func cells(_ type: ResourceType, _ object: JSONValue, now: Date) -> [String] {
        let name = object[["metadata", "name"]]?.stringValue ?? ""
        switch type {
        case .nodes: return nodeCells(object, name: name, now: now)
        case .pods: return podCells(object, name: name, now: now)
        case .podDisruptionBudgets:
            func show(_ v: JSONValue?) -> String { v?.intValue.map(String.init) ?? v?.stringValue ?? "N/A" }
            return [name, show(object[["spec", "minAvailable"]]), show(object[["spec", "maxUnavailable"]]),
                    String(object[["status", "disruptionsAllowed"]]?.intValue ?? 0), age(object, now: now)]
        case .namespaces:
            return [name, object[["status", "phase"]]?.stringValue ?? "Active", age(object, now: now)]
        case .secrets: return secretCells(object, name: name, age: age(object, now: now))
        case .ingresses: return ingressCells(object, name: name, age: age(object, now: now))
        case .endpoints: return endpointsCells(object, name: name, age: age(object, now: now))
        case .leases: return [name, object[["spec", "holderIdentity"]]?.stringValue ?? "", age(object, now: now)]
        default:
            return [name, age(object, now: now)]
        }
    }

    /// The node printer of kubernetes/pkg/printers/internalversion.
    static func nodeCells(_ node: JSONValue, name: String, now: Date) -> [String] {
        var status: [String] = []
        let conditions = node[["status", "conditions"]]?.arrayValue ?? []
        if let ready = conditions.first(where: { $0["type"]?.stringValue == "Ready" }) {
            status.append(ready["status"]?.stringValue == "True" ? "Ready" : "NotReady")
        } else {
            status.append("Unknown")
        }
        if node[["spec", "unschedulable"]]?.boolValue == true { status.append("SchedulingDisabled") }
        let labels = node[["metadata", "labels"]]?.stringMap ?? [:]
        var roles = Set<String>()
        for (key, value) in labels {
            if key.hasPrefix("node-role.kubernetes.io/") {
                let role = String(key.dropFirst("node-role.kubernetes.io/".count))
                if !role.isEmpty { roles.insert(role) }
            } else if key == "kubernetes.io/role", !value.isEmpty {
                roles.insert(value)
            }
        }
        let addresses = node[["status", "addresses"]]?.arrayValue ?? []
        func address(_ type: String) -> String {
            addresses.first { $0["type"]?.stringValue == type }?["address"]?.stringValue ?? "<none>"
        }
        let info = node[["status", "nodeInfo"]]
        let kernel = info?["kernelVersion"]?.stringValue ?? ""
        let arch = info?["architecture"]?.stringValue ?? ""
        return [name, status.joined(separator: ","), roles.isEmpty ? "<none>" : roles.sorted().joined(separator: ","),
                age(node, now: now), info?["kubeletVersion"]?.stringValue ?? "",
                address("InternalIP"), address("ExternalIP"),
                (info?["osImage"]?.stringValue).flatMap { $0.isEmpty ? nil : $0 } ?? "<unknown>",
                kernel.isEmpty ? "<unknown>" : (arch.isEmpty ? kernel : "\(kernel) (\(arch))"),
                (info?["containerRuntimeVersion"]?.stringValue).flatMap { $0.isEmpty ? nil : $0 } ?? "<unknown>"]
    }

    /// The pod printer, for the common cases (running, pending, terminating).
    static func podCells(_ pod: JSONValue, name: String, now: Date) -> [String] {
        let containers = pod[["spec", "containers"]]?.arrayValue ?? []
        let statuses = pod[["status", "containerStatuses"]]?.arrayValue ?? []
        let ready = statuses.filter { $0["ready"]?.boolValue == true }.count
        let restarts = statuses.reduce(0) { $0 + ($1["restartCount"]?.intValue ?? 0) }
        var phase = pod[["status", "reason"]]?.stringValue ?? pod[["status", "phase"]]?.stringValue ?? "Unknown"
        if pod[["metadata", "deletionTimestamp"]] != nil { phase = "Terminating" }
        let ip = pod[["status", "podIP"]]?.stringValue ?? "<none>"
        let node = pod[["spec", "nodeName"]]?.stringValue ?? "<none>"
        let nominated = pod[["status", "nominatedNodeName"]]?.stringValue ?? "<none>"
        return [name, "\(ready)/\(containers.count)", phase, String(restarts), age(pod, now: now), ip, node, nominated, "<none>"]
    }

    /// The bookmark of a Table watch: a Table with one zero-valued row.
    static func bookmark(_ type: ResourceType, resourceVersion: Int) -> JSONValue {
        let zeroCells: [JSONValue]
        switch type {
        case .nodes: zeroCells = ["", "Unknown", "<none>", "<unknown>", "", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"].map { .string($0) }
        default: zeroCells = (0..<((columns(for: type).arrayValue ?? []).count)).map { $0 == 0 ? .string("") : .string("<unknown>") }
        }
        return .object([("kind", .string("Table")), ("apiVersion", .string("meta.k8s.io/v1")),
                        ("metadata", .object([("resourceVersion", .string(String(resourceVersion)))])),
                        ("columnDefinitions", .null),
                        ("rows", .array([.object([("cells", .array(zeroCells)), ("object", .object([
                            ("kind", .string("PartialObjectMetadata")), ("apiVersion", .string("meta.k8s.io/v1")),
                            ("metadata", .object([("resourceVersion", .string(String(resourceVersion)))])),
                        ]))])]))])
    }
}
