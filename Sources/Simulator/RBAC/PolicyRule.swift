/// One RBAC PolicyRule (`rbac.authorization.k8s.io/v1`), as a Role or ClusterRole lists it.
public struct PolicyRule: Sendable, Equatable {
    public var apiGroups: [String]
    public var resources: [String]
    public var verbs: [String]
    public var resourceNames: [String]
    public var nonResourceURLs: [String]

    public init(apiGroups: [String] = [], resources: [String] = [], verbs: [String], resourceNames: [String] = [],
                nonResourceURLs: [String] = []) {
        self.apiGroups = apiGroups
        self.resources = resources
        self.verbs = verbs
        self.resourceNames = resourceNames
        self.nonResourceURLs = nonResourceURLs
    }

    /// Whether this rule allows `request`, as kube-apiserver's RBAC authorizer decides (`RuleAllows` in
    /// plugin/pkg/auth/authorizer/rbac): every field must match, `*` matches anything, an empty resourceNames
    /// matches every name, `*/sub` matches that subresource of any resource, a non-resource URL ending in `*` matches
    /// the paths it prefixes. Which namespace a rule applies in is the binding's business, not the rule's.
    public func allows(_ request: RequestAttributes) -> Bool {
        switch request {
        case .resource(let verb, let apiGroup, let resource, let subresource, let name, _):
            return matches(verb, in: verbs) && matches(apiGroup, in: apiGroups)
                && resourceMatches(resource, subresource) && nameMatches(name)
        case .nonResource(let verb, let path):
            return matches(verb, in: verbs) && nonResourceURLs.contains { url in
                url == "*" || url == path || (url.hasSuffix("*") && path.hasPrefix(url.dropLast()))
            }
        }
    }

    private func matches(_ value: String, in list: [String]) -> Bool { list.contains("*") || list.contains(value) }

    private func resourceMatches(_ resource: String, _ subresource: String?) -> Bool {
        let combined = subresource.map { "\(resource)/\($0)" } ?? resource
        return resources.contains { rule in
            if rule == "*" || rule == combined { return true }
            // "*/scale" grants the scale subresource of every resource, and only subresources.
            guard let subresource else { return false }
            return rule == "*/\(subresource)"
        }
    }

    private func nameMatches(_ name: String?) -> Bool {
        if resourceNames.isEmpty { return true }
        // A rule naming objects never allows a request naming none (a list, a create).
        guard let name, !name.isEmpty else { return false }
        return resourceNames.contains(name)
    }
}

/// What the authorizer decides on: a request's attributes, as kube-apiserver's RequestInfo names them.
public enum RequestAttributes: Sendable, Equatable {
    /// A request for an API object: `apiGroup` is "" for the core group; `namespace` is nil at the cluster scope.
    case resource(verb: String, apiGroup: String, resource: String, subresource: String?, name: String?, namespace: String?)
    /// Any other path (`/version`, `/metrics`, discovery).
    case nonResource(verb: String, path: String)

    /// The request's namespace; nil for cluster-scoped and non-resource requests.
    public var namespace: String? {
        if case .resource(_, _, _, _, _, let namespace) = self { return namespace }
        return nil
    }
}

/// A Role (rules limited to its namespace) or a ClusterRole (rules everywhere, bound by a ClusterRoleBinding).
public struct RBACRole: Sendable, Equatable {
    public var kind: String
    public var name: String
    /// The Role's namespace; nil for a ClusterRole.
    public var namespace: String?
    public var rules: [PolicyRule]

    public init(kind: String, name: String, namespace: String?, rules: [PolicyRule]) {
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.rules = rules
    }

    /// Whether this role, bound to the user, allows `request`. A Role's rules hold only for requests in its
    /// namespace; a ClusterRole's for every namespace, the cluster scope and non-resource URLs.
    public func allows(_ request: RequestAttributes) -> Bool {
        if let namespace, request.namespace != namespace { return false }
        return rules.contains { $0.allows(request) }
    }
}
