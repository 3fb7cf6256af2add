import KubeModel

extension KubeAPIClient {
    /// The uid of a namespace (`GET /api/v1/namespaces/NAME`). The kube-system namespace's uid names a cluster: it
    /// is made once when the cluster is created and never changes, whatever server address or context reaches it.
    public func namespaceUID(_ name: String) async throws -> String {
        try ObjectName.validateNamespace(name)
        let operation = APIOperation(verb: "get", resource: "namespaces", name: name)
        let namespace = try await get(NamespaceObject.self, path: "/api/v1/namespaces/\(name)", operation: operation)
        guard let uid = namespace.metadata.uid, !uid.isEmpty else {
            throw KubeClientError.invalidResponse(operation: operation.description, reason: "the namespace has no metadata.uid")
        }
        return uid
    }
}

/// A Namespace, reduced to its metadata.
struct NamespaceObject: Decodable, Sendable {
    var metadata: ObjectMeta
}
