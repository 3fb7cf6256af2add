import Foundation
import KubeModel

/// A Lease as the server returned it, with the server's clock at that moment (its `Date` header), when it sent one.
public struct LeaseReading: Sendable {
    public var lease: Lease
    public var serverDate: Date?

    public init(lease: Lease, serverDate: Date?) {
        self.lease = lease
        self.serverDate = serverDate
    }
}

extension KubeAPIClient {
    /// `GET …/namespaces/NS/leases/NAME`; throws `.notFound` when there is none.
    public func getLease(namespace: String, name: String) async throws -> LeaseReading {
        let operation = try leaseOperation("get", namespace: namespace, name: name)
        let response = try await transport.send(APIRequest(method: .GET, path: leasePath(namespace, name), operation: operation))
        return LeaseReading(lease: try decode(Lease.self, from: response.body, operation: operation), serverDate: Self.httpDate(response.date))
    }

    /// The leases of `namespace` that match `labelSelector`.
    public func listLeases(namespace: String, labelSelector: String) async throws -> [Lease] {
        try ObjectName.validateNamespace(namespace)
        return try await listAll(
            Lease.self, path: "/apis/coordination.k8s.io/v1/namespaces/\(namespace)/leases",
            query: [("labelSelector", try LabelSelectorText.validate(labelSelector))], pageSize: settings.pageSize,
            operation: .init(verb: "list", resource: "leases", namespace: namespace)
        ).items
    }

    /// `POST`: creates the lease; a lease of that name already there is `.conflict` (409 AlreadyExists).
    public func createLease(_ lease: Lease) async throws -> LeaseReading {
        let namespace = lease.metadata.namespace ?? ""
        let operation = try leaseOperation("create", namespace: namespace, name: lease.metadata.name)
        let response = try await transport.send(
            APIRequest(method: .POST, path: "/apis/coordination.k8s.io/v1/namespaces/\(namespace)/leases",
                       body: try Self.encode(lease), contentType: "application/json", operation: operation))
        return LeaseReading(lease: try decode(Lease.self, from: response.body, operation: operation), serverDate: Self.httpDate(response.date))
    }

    /// `PUT` with the lease's `metadata.resourceVersion`: the server refuses it with `.conflict` (409) when the lease
    /// changed since it was read, which is how two writers find out that one of them won.
    public func updateLease(_ lease: Lease) async throws -> LeaseReading {
        let namespace = lease.metadata.namespace ?? ""
        let name = lease.metadata.name
        let operation = try leaseOperation("update", namespace: namespace, name: name)
        guard lease.metadata.resourceVersion?.isEmpty == false else {
            throw KubeClientError.invalidArgument(what: "lease", value: name, reason: "an update needs the resourceVersion it was read at")
        }
        let response = try await transport.send(
            APIRequest(method: .PUT, path: leasePath(namespace, name), body: try Self.encode(lease),
                       contentType: "application/json", operation: operation))
        return LeaseReading(lease: try decode(Lease.self, from: response.body, operation: operation), serverDate: Self.httpDate(response.date))
    }

    /// `DELETE` with preconditions on uid and resourceVersion: refused (`.conflict`) when the lease is no longer the
    /// one that was read; `.notFound` when it is gone.
    public func deleteLease(namespace: String, name: String, uid: String?, resourceVersion: String?) async throws {
        let operation = try leaseOperation("delete", namespace: namespace, name: name)
        var preconditions: [String: String] = [:]
        if let uid { preconditions["uid"] = uid }
        if let resourceVersion { preconditions["resourceVersion"] = resourceVersion }
        let body = try JSONSerialization.data(withJSONObject: ["preconditions": preconditions], options: [.sortedKeys])
        _ = try await transport.send(
            APIRequest(method: .DELETE, path: leasePath(namespace, name), body: Array(body),
                       contentType: "application/json", operation: operation))
    }

    private func leaseOperation(_ verb: String, namespace: String, name: String) throws -> APIOperation {
        try ObjectName.validateNamespace(namespace)
        try ObjectName.validate(name, what: "lease name")
        return APIOperation(verb: verb, resource: "leases", name: name, namespace: namespace)
    }

    private func leasePath(_ namespace: String, _ name: String) -> String {
        "/apis/coordination.k8s.io/v1/namespaces/\(namespace)/leases/\(name)"
    }

    private static func encode(_ lease: Lease) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(lease))
    }

    /// An HTTP date (`Wed, 25 Nov 2026 13:24:05 GMT`), as the server's `Date` header carries it.
    static func httpDate(_ text: String?) -> Date? {
        guard let text else { return nil }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return f.date(from: text)
    }
}
