/// A request's method, path and query as the authorizer sees them: kube-apiserver's RequestInfoFactory
/// (k8s.io/apiserver/pkg/endpoints/request), reduced to what RBAC decides on.
enum RequestAttributesParser {
    static func attributes(method: String, path: String, query: [String: String]) -> RequestAttributes {
        let method = method.uppercased()
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        // A non-resource request's verb is its method, lower-cased.
        let nonResource = RequestAttributes.nonResource(verb: method.lowercased(), path: path)
        // /api/VERSION/... and /apis/GROUP/VERSION/...; anything shorter is discovery, a non-resource URL.
        let group: String
        if parts.first == "api", parts.count >= 3 {
            group = ""
            parts.removeFirst(2)
        } else if parts.first == "apis", parts.count >= 4 {
            group = parts[1]
            parts.removeFirst(3)
        } else {
            return nonResource
        }
        var watchPath = false
        if parts.first == "watch" {  // the deprecated /watch/ form
            watchPath = true
            parts.removeFirst()
        }
        var namespace: String?
        if parts.first == "namespaces", parts.count > 1 {
            namespace = parts[1]
            // /namespaces/NAME is the Namespace object itself (its namespace is its own name, as kube-apiserver says),
            // /namespaces/NAME/status and /finalize its subresources; anything else is a resource in the namespace.
            if parts.count > 2, !["status", "finalize"].contains(parts[2]) { parts.removeFirst(2) }
        }
        guard let resource = parts.first else { return nonResource }
        var name = parts.count > 1 ? parts[1] : nil
        let subresource = parts.count > 2 ? parts[2] : nil
        let verb: String
        switch method {
        case "GET", "HEAD":
            if name == nil {
                verb = watchPath || query["watch"] == "true" || query["watch"] == "1" ? "watch" : "list"
                // A list or watch of one object by metadata.name is authorized as for that name.
                name = query["fieldSelector"].flatMap(singleName)
            } else {
                verb = watchPath ? "watch" : "get"
            }
        case "POST": verb = "create"
        case "PUT": verb = "update"
        case "PATCH": verb = "patch"
        case "DELETE": verb = name == nil ? "deletecollection" : "delete"
        default: verb = method.lowercased()
        }
        return .resource(verb: verb, apiGroup: group, resource: resource, subresource: subresource, name: name, namespace: namespace)
    }

    /// The name a field selector requires exactly (`metadata.name=x`, `metadata.name==x`), if that is all it says.
    private static func singleName(_ selector: String) -> String? {
        for term in selector.split(separator: ",") {
            for op in ["==", "="] {
                if term.hasPrefix("metadata.name\(op)") { return String(term.dropFirst("metadata.name\(op)".count)) }
            }
        }
        return nil
    }
}
