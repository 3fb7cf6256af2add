/// The simulator's RBAC authorizer for the kubeskew users: `kubeskew-readonly` is bound to the roles of
/// deploy/rbac/kubeskew-readonly.yaml, `kubeskew-upgrader` to those and the roles of kubeskew-upgrade.yaml (each
/// ClusterRole by a ClusterRoleBinding, each Role by a RoleBinding in its namespace), both read from the shipped
/// files as embedded at build time, so the tests check what an operator applies. Other users keep their simpler
/// rules (the admin and `sim-viewer`).
struct RBACAuthorizer: Sendable {
    static let readOnlyUser = "kubeskew-readonly"
    static let upgraderUser = "kubeskew-upgrader"
    static let readOnlyFile = "kubeskew-readonly.yaml"
    static let upgradeFile = "kubeskew-upgrade.yaml"

    /// Each governed user's roles.
    let bindings: [String: [RBACRole]]

    /// The shipped roles, with the roles of `overrides` (manifest text and its name) in place of the shipped roles
    /// of the same kind, name and namespace: how a test takes one rule away.
    static func shipped(overrides: [(text: String, source: String)] = []) throws(RBACManifest.Invalid) -> RBACAuthorizer {
        func embedded(_ file: String) throws(RBACManifest.Invalid) -> [RBACRole] {
            guard let text = EmbeddedRBAC.files[file] else { throw RBACManifest.Invalid(description: "deploy/rbac/\(file) is not embedded") }
            return try RBACManifest.roles(text, source: "deploy/rbac/\(file)")
        }
        var readOnly = try embedded(readOnlyFile)
        var upgrade = try embedded(upgradeFile)
        for override in overrides {
            for role in try RBACManifest.roles(override.text, source: override.source) {
                let same = { (shipped: RBACRole) in
                    shipped.kind == role.kind && shipped.name == role.name && shipped.namespace == role.namespace
                }
                if let i = readOnly.firstIndex(where: same) {
                    readOnly[i] = role
                } else if let i = upgrade.firstIndex(where: same) {
                    upgrade[i] = role
                } else {
                    throw RBACManifest.Invalid(description: "\(override.source): \(role.kind) \(role.name) is not one of the shipped roles it could replace")
                }
            }
        }
        return RBACAuthorizer(bindings: [readOnlyUser: readOnly, upgraderUser: readOnly + upgrade])
    }

    /// Whether `user`'s requests are decided here.
    func governs(_ user: String) -> Bool { bindings[user] != nil }

    /// Whether `user` may make `request`: allowed when any bound role, or a role every cluster binds to every
    /// authenticated user, allows it (RBAC only ever adds permissions).
    func allows(user: String, _ request: RequestAttributes) -> Bool {
        guard let roles = bindings[user] else { return false }
        return (roles + Self.everyAuthenticatedUser).contains { $0.allows(request) }
    }

    /// The ClusterRoles kube-apiserver binds to `system:authenticated` out of the box (its bootstrap policy), so that
    /// any user may discover the API (kubectl does before anything else) and ask what it may do.
    static let everyAuthenticatedUser: [RBACRole] = [
        RBACRole(kind: "ClusterRole", name: "system:discovery", namespace: nil, rules: [
            PolicyRule(verbs: ["get"], nonResourceURLs: ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi",
                                                         "/openapi/*", "/readyz", "/version", "/version/"]),
        ]),
        RBACRole(kind: "ClusterRole", name: "system:public-info-viewer", namespace: nil, rules: [
            PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz", "/livez", "/readyz", "/version", "/version/"]),
        ]),
        RBACRole(kind: "ClusterRole", name: "system:basic-user", namespace: nil, rules: [
            PolicyRule(apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
                       verbs: ["create"]),
            PolicyRule(apiGroups: ["authentication.k8s.io"], resources: ["selfsubjectreviews"], verbs: ["create"]),
        ]),
    ]
}
