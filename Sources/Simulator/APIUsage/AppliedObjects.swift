import Foundation

/// Objects made by client-side `kubectl apply`: stored and served at the current version, with the
/// `kubectl.kubernetes.io/last-applied-configuration` annotation kubectl writes from the manifest as applied.
enum AppliedObjects {
    static let annotation = "kubectl.kubernetes.io/last-applied-configuration"

    /// The kinds a scenario can apply, the versions a manifest may use (served by some release), and the type
    /// the simulator stores them as.
    static let kinds: [String: (type: ResourceType, apiVersions: [String])] = [
        "Ingress": (.ingresses, ["extensions/v1beta1", "networking.k8s.io/v1beta1", "networking.k8s.io/v1"]),
        "PodDisruptionBudget": (.podDisruptionBudgets, ["policy/v1beta1", "policy/v1"]),
        "CronJob": (.cronJobs, ["batch/v1beta1", "batch/v1"]),
        "FlowSchema": (.flowSchemas, ["flowcontrol.apiserver.k8s.io/v1beta1", "flowcontrol.apiserver.k8s.io/v1beta2",
                                      "flowcontrol.apiserver.k8s.io/v1beta3", "flowcontrol.apiserver.k8s.io/v1"]),
    ]

    /// The manifest, checked: one document of a supported kind and version with a valid name and namespace.
    static func manifest(_ spec: AppliedObjectSpec) throws(YAMLDocuments.ParseError) -> (ResourceType, JSONValue) {
        let documents = try YAMLDocuments.parse(spec.manifest)
        guard documents.count == 1, let manifest = documents.first, manifest.objectValue != nil else {
            throw .init(description: "an applied object's manifest must be one YAML mapping")
        }
        let kind = manifest["kind"]?.stringValue ?? "", apiVersion = manifest["apiVersion"]?.stringValue ?? ""
        let name = manifest[["metadata", "name"]]?.stringValue ?? ""
        guard let entry = kinds[kind] else {
            throw .init(description: "applied object kind \"\(kind)\" is not one of \(kinds.keys.sorted().joined(separator: ", "))")
        }
        guard entry.apiVersions.contains(apiVersion) else {
            throw .init(description: "\(kind) \(name): apiVersion \"\(apiVersion)\" is not one of \(entry.apiVersions.joined(separator: ", "))")
        }
        guard Validation.isDNSSubdomain(name) else { throw .init(description: "\(kind) \"\(name)\": invalid name") }
        if entry.type.namespaced {
            guard Validation.isDNSLabel(manifest[["metadata", "namespace"]]?.stringValue ?? "") else {
                throw .init(description: "\(kind) \(name): metadata.namespace is required and must be a valid name")
            }
        } else if manifest[["metadata", "namespace"]] != nil {
            throw .init(description: "\(kind) \(name) is cluster-scoped: no metadata.namespace")
        }
        return (entry.type, manifest)
    }

    /// The annotation's value: the manifest with `metadata.annotations` emptied of this annotation (kubectl encodes
    /// it before adding the annotation, to avoid recursion), as Go's encoding/json writes a map: keys sorted at
    /// every level, compact, `<>&` escaped, and a trailing newline from json.Encoder.
    static func lastApplied(_ manifest: JSONValue) -> String {
        var applied = manifest
        var annotations = applied[["metadata", "annotations"]] ?? .object([])
        annotations[annotation] = nil
        applied.set(["metadata", "annotations"], annotations)
        var text = JSONWriter.string(sortedKeys(applied))
        text = text.replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
        return text + "\n"
    }

    static func sortedKeys(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members): return .object(members.sorted { $0.0 < $1.0 }.map { ($0.0, sortedKeys($0.1)) })
        case .array(let items): return .array(items.map(sortedKeys))
        default: return value
        }
    }

    /// The stored object, as the API server keeps it after converting the manifest to the served version.
    static func object(_ spec: AppliedObjectSpec, uid: String, created: String) -> (ResourceType, JSONValue)? {
        guard let (type, manifest) = try? manifest(spec) else { return nil }
        var metadata: [(String, JSONValue)] = [("name", manifest[["metadata", "name"]] ?? .string(""))]
        if let namespace = manifest[["metadata", "namespace"]] { metadata.append(("namespace", namespace)) }
        metadata.append(("uid", .string(uid)))
        metadata.append(("generation", .int(1)))
        metadata.append(("creationTimestamp", .string(created)))
        if let labels = manifest[["metadata", "labels"]]?.stringMap, !labels.isEmpty { metadata.append(("labels", .sortedMap(labels))) }
        var annotations = manifest[["metadata", "annotations"]]?.stringMap ?? [:]
        annotations[annotation] = lastApplied(manifest)
        metadata.append(("annotations", .sortedMap(annotations)))
        var spec = manifest["spec"] ?? .object([])
        if type == .ingresses, manifest["apiVersion"]?.stringValue != "networking.k8s.io/v1" { spec = IngressConversion.toV1(spec) }
        var members: [(String, JSONValue)] = [("metadata", .object(metadata)), ("spec", spec)]
        switch type {
        case .ingresses: members.append(("status", .object([("loadBalancer", .object([]))])))
        case .cronJobs: members.append(("status", .object([])))
        default: break
        }
        return (type, .object(members))
    }
}

/// extensions/v1beta1 and networking.k8s.io/v1beta1 Ingress spec to networking.k8s.io/v1, as the API server
/// converts it: `backend` becomes `defaultBackend`, `serviceName`/`servicePort` become `service.name` and
/// `service.port.number` or `.name`, and `pathType` defaults to ImplementationSpecific.
enum IngressConversion {
    static func toV1(_ spec: JSONValue) -> JSONValue {
        var out: [(String, JSONValue)] = []
        if let ingressClassName = spec["ingressClassName"] { out.append(("ingressClassName", ingressClassName)) }
        if let backend = spec["backend"] { out.append(("defaultBackend", self.backend(backend))) }
        if let tls = spec["tls"] { out.append(("tls", tls)) }
        if let rules = spec["rules"]?.arrayValue {
            out.append(("rules", .array(rules.map { rule in
                var converted: [(String, JSONValue)] = []
                if let host = rule["host"] { converted.append(("host", host)) }
                if let paths = rule[["http", "paths"]]?.arrayValue {
                    converted.append(("http", .object([("paths", .array(paths.map { path in
                        var p: [(String, JSONValue)] = []
                        if let value = path["path"] { p.append(("path", value)) }
                        p.append(("pathType", path["pathType"] ?? .string("ImplementationSpecific")))
                        p.append(("backend", backend(path["backend"] ?? .object([]))))
                        return .object(p)
                    }))])))
                }
                return .object(converted)
            })))
        }
        return .object(out)
    }

    static func backend(_ old: JSONValue) -> JSONValue {
        if let resource = old["resource"] { return .object([("resource", resource)]) }
        guard let name = old["serviceName"] else { return old }
        let port: JSONValue = old["servicePort"]?.intValue.map { .object([("number", .int($0))]) }
            ?? .object([("name", old["servicePort"] ?? .string(""))])
        return .object([("service", .object([("name", name), ("port", port)]))])
    }
}
