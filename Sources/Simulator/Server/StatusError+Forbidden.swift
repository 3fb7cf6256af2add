/// The authorizer's refusal of any request, resource or not, as kube-apiserver words it (`responsewriters.Forbidden`
/// and apimachinery's `NewForbidden`): the resource qualified by its group, the subresource in the quoted resource,
/// the scope; for other paths `forbidden: User "u" cannot get path "/metrics"`.
extension StatusError {
    static func forbidden(user: String, _ request: RequestAttributes) -> StatusError {
        switch request {
        case .resource(let verb, let group, let resource, let subresource, let name, let namespace):
            let qualified = group.isEmpty ? resource : "\(resource).\(group)"
            let subject = name.map { "\(qualified) \"\($0)\"" } ?? qualified
            let quoted = subresource.map { "\(resource)/\($0)" } ?? resource
            let scope = namespace.map { "in the namespace \"\($0)\"" } ?? "at the cluster scope"
            var details: [(String, JSONValue)] = []
            if let name { details.append(("name", .string(name))) }
            if !group.isEmpty { details.append(("group", .string(group))) }
            details.append(("kind", .string(resource)))
            return StatusError(code: 403, reason: "Forbidden",
                               message: "\(subject) is forbidden: User \"\(user)\" cannot \(verb) resource \"\(quoted)\" in API group \"\(group)\" \(scope)",
                               details: .object(details))
        case .nonResource(let verb, let path):
            return StatusError(code: 403, reason: "Forbidden", message: "forbidden: User \"\(user)\" cannot \(verb) path \"\(path)\"",
                               details: .object([]))
        }
    }
}
