/// The Roles and ClusterRoles of a YAML manifest (a `---`-separated stream, as `kubectl apply -f` takes), read
/// strictly: the simulator must enforce exactly what an operator would apply, so anything it would not understand
/// is an error rather than skipped.
public enum RBACManifest {
    /// Why a manifest could not be read.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Every Role and ClusterRole of `text`; other kinds (bindings) are left out. `source` names it in errors.
    public static func roles(_ text: String, source: String) throws(Invalid) -> [RBACRole] {
        let documents: [JSONValue]
        do { documents = try YAMLDocuments.parse(text) } catch { throw Invalid(description: "\(source): \(error.description)") }
        var roles: [RBACRole] = []
        for document in documents {
            guard document["apiVersion"]?.stringValue == "rbac.authorization.k8s.io/v1" else { continue }
            let kind = document["kind"]?.stringValue ?? ""
            guard kind == "Role" || kind == "ClusterRole" else { continue }
            guard let name = document[["metadata", "name"]]?.stringValue, !name.isEmpty else {
                throw Invalid(description: "\(source): a \(kind) without metadata.name")
            }
            let namespace = document[["metadata", "namespace"]]?.stringValue
            if kind == "Role", namespace?.isEmpty ?? true { throw Invalid(description: "\(source): Role \(name) has no namespace") }
            let rules = try (document["rules"]?.arrayValue ?? []).enumerated().map { (index, rule) throws(Invalid) in
                try Self.rule(rule, where: "\(source): \(kind) \(name), rule \(index + 1)")
            }
            if kind == "Role", rules.contains(where: { !$0.nonResourceURLs.isEmpty }) {
                throw Invalid(description: "\(source): Role \(name): nonResourceURLs belong in a ClusterRole")
            }
            roles.append(RBACRole(kind: kind, name: name, namespace: kind == "Role" ? namespace : nil, rules: rules))
        }
        return roles
    }

    private static let fields: Set<String> = ["apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs"]

    private static func rule(_ value: JSONValue, where place: String) throws(Invalid) -> PolicyRule {
        guard let members = value.objectValue else { throw Invalid(description: "\(place) is not a mapping") }
        if let unknown = members.first(where: { !fields.contains($0.0) }) {
            throw Invalid(description: "\(place): unknown field \(unknown.0)")
        }
        func strings(_ key: String) throws(Invalid) -> [String] {
            guard let field = value[key] else { return [] }
            guard let items = field.arrayValue else { throw Invalid(description: "\(place): \(key) is not a list") }
            var out: [String] = []
            for item in items {
                guard let text = item.stringValue else { throw Invalid(description: "\(place): \(key) holds a non-string") }
                out.append(text)
            }
            return out
        }
        let rule = PolicyRule(apiGroups: try strings("apiGroups"), resources: try strings("resources"), verbs: try strings("verbs"),
                              resourceNames: try strings("resourceNames"), nonResourceURLs: try strings("nonResourceURLs"))
        // The API server's own validation of a rule (ValidatePolicyRule).
        if rule.verbs.isEmpty { throw Invalid(description: "\(place): verbs must not be empty") }
        if !rule.nonResourceURLs.isEmpty, !(rule.resources.isEmpty && rule.apiGroups.isEmpty) {
            throw Invalid(description: "\(place): a rule has either resources or nonResourceURLs, not both")
        }
        if rule.nonResourceURLs.isEmpty, rule.resources.isEmpty || rule.apiGroups.isEmpty {
            throw Invalid(description: "\(place): a resource rule needs apiGroups and resources")
        }
        return rule
    }
}
