import Foundation
import KubeModel
import NIOCore

/// A typed client for the Kubernetes API calls kubeskew makes. One per kubeconfig context; call `shutdown()`
/// when done (it owns HTTP connections).
public final class KubeAPIClient: Sendable {
    /// Timeouts, page size and identification.
    public struct Settings: Sendable {
        /// Bound on one request, from sending it to its last body byte (a page of a list included).
        public var requestTimeout: Duration = .seconds(30)
        public var connectTimeout: Duration = .seconds(10)
        /// How long an exec credential plugin may take.
        public var execTimeout: Duration = .seconds(60)
        /// How long the server keeps one watch open before the watcher reconnects from the last version.
        public var watchTimeoutSeconds = 300
        public var pageSize = 500
        public var userAgent = "kubeskew/0.1"

        public init() {}
    }

    public let config: ResolvedKubeconfig
    public let settings: Settings
    let transport: APITransport

    public init(config: ResolvedKubeconfig, settings: Settings = Settings()) {
        _ = MemoryTuning.applied
        self.config = config
        self.settings = settings
        self.transport = APITransport(config: config, settings: settings)
    }

    /// Closes every connection. The client cannot be used afterwards.
    public func shutdown() async {
        await transport.shutdown()
    }

    /// How many times an exec credential plugin has run (it is cached until it expires or gets a 401).
    public var execPluginRuns: Int {
        get async { await transport.credentials.pluginRuns }
    }

    // MARK: - Reads

    /// `GET /version`.
    public func version() async throws -> ServerVersion {
        try await get(ServerVersion.self, path: "/version", operation: .init(verb: "get", resource: "version"))
    }

    /// Every node, read in pages of `pageSize` (`limit` / `continue`), and the list's resourceVersion to
    /// watch from.
    public func listNodes(pageSize: Int? = nil) async throws -> ListResult<Node> {
        try await listAll(
            Node.self, path: "/api/v1/nodes", query: [], pageSize: pageSize ?? settings.pageSize,
            operation: .init(verb: "list", resource: "nodes"))
    }

    /// One node by name.
    public func getNode(_ name: String) async throws -> Node {
        try ObjectName.validate(name, what: "node name")
        return try await get(
            Node.self, path: "/api/v1/nodes/\(name)", operation: .init(verb: "get", resource: "nodes", name: name))
    }

    /// The pods scheduled on `nodeName`, in every namespace (what a drain evicts).
    public func listPods(nodeName: String) async throws -> [Pod] {
        try ObjectName.validate(nodeName, what: "node name")
        return try await listAll(
            Pod.self, path: "/api/v1/pods", query: [("fieldSelector", "spec.nodeName=\(nodeName)")],
            pageSize: settings.pageSize, operation: .init(verb: "list", resource: "pods")
        ).items
    }

    /// The pods of `namespace`, optionally filtered by a label selector such as `k8s-app=kube-proxy`.
    public func listPods(namespace: String, labelSelector: String? = nil) async throws -> [Pod] {
        try ObjectName.validateNamespace(namespace)
        var query: [(String, String)] = []
        if let labelSelector { query.append(("labelSelector", try LabelSelectorText.validate(labelSelector))) }
        return try await listAll(
            Pod.self, path: "/api/v1/namespaces/\(namespace)/pods", query: query, pageSize: settings.pageSize,
            operation: .init(verb: "list", resource: "pods", namespace: namespace)
        ).items
    }

    /// One pod; throws `.notFound` once it is gone (how a drain waits for an evicted pod).
    public func getPod(namespace: String, name: String) async throws -> Pod {
        try ObjectName.validateNamespace(namespace)
        try ObjectName.validate(name, what: "pod name")
        return try await get(
            Pod.self, path: "/api/v1/namespaces/\(namespace)/pods/\(name)",
            operation: .init(verb: "get", resource: "pods", name: name, namespace: namespace))
    }

    /// PodDisruptionBudgets of every namespace, or of one.
    public func listPDBs(namespace: String? = nil) async throws -> [PodDisruptionBudget] {
        var path = "/apis/policy/v1/poddisruptionbudgets"
        if let namespace {
            try ObjectName.validateNamespace(namespace)
            path = "/apis/policy/v1/namespaces/\(namespace)/poddisruptionbudgets"
        }
        return try await listAll(
            PodDisruptionBudget.self, path: path, query: [], pageSize: settings.pageSize,
            operation: .init(verb: "list", resource: "poddisruptionbudgets", namespace: namespace)
        ).items
    }

    /// A DaemonSet (`kube-system/kube-proxy` gives the cluster's kube-proxy image).
    public func getDaemonSet(namespace: String, name: String) async throws -> DaemonSet {
        try ObjectName.validateNamespace(namespace)
        try ObjectName.validate(name, what: "daemonset name")
        return try await get(
            DaemonSet.self, path: "/apis/apps/v1/namespaces/\(namespace)/daemonsets/\(name)",
            operation: .init(verb: "get", resource: "daemonsets", name: name, namespace: namespace))
    }

    /// A ConfigMap (`kube-system/kubeadm-config` holds kubeadm's ClusterConfiguration).
    public func getConfigMap(namespace: String, name: String) async throws -> ConfigMap {
        try ObjectName.validateNamespace(namespace)
        try ObjectName.validate(name, what: "configmap name")
        return try await get(
            ConfigMap.self, path: "/api/v1/namespaces/\(namespace)/configmaps/\(name)",
            operation: .init(verb: "get", resource: "configmaps", name: name, namespace: namespace))
    }

    // MARK: - Writes

    /// Marks a node unschedulable with the strategic-merge patch `kubectl cordon` sends.
    @discardableResult
    public func cordon(node: String) async throws -> Node {
        try await patchNode(node, body: #"{"spec":{"unschedulable":true}}"#, verb: "patch")
    }

    /// Makes a node schedulable again with the patch `kubectl uncordon` sends (the null deletes the field).
    @discardableResult
    public func uncordon(node: String) async throws -> Node {
        try await patchNode(node, body: #"{"spec":{"unschedulable":null}}"#, verb: "patch")
    }

    /// Sets (or, with nil, removes) one annotation of a node with a strategic-merge patch; other annotations stay.
    @discardableResult
    public func annotate(node: String, key: String, value: String?) async throws -> Node {
        let patch: [String: Any] = ["metadata": ["annotations": [key: value.map { $0 as Any } ?? NSNull()]]]
        let body = try JSONSerialization.data(withJSONObject: patch, options: [.sortedKeys])
        return try await patchNode(node, body: String(decoding: body, as: UTF8.self), verb: "patch")
    }

    /// Evicts a pod through the policy/v1 eviction subresource, as `kubectl drain` does. A 429 from a
    /// PodDisruptionBudget throws `.evictionBlocked` naming the budget.
    public func evict(pod: String, namespace: String) async throws {
        try ObjectName.validateNamespace(namespace)
        try ObjectName.validate(pod, what: "pod name")
        // Both names were validated above, so they need no JSON escaping.
        let body = #"{"kind":"Eviction","apiVersion":"policy/v1","metadata":{"name":"\#(pod)","namespace":"\#(namespace)","creationTimestamp":null},"deleteOptions":{}}"#
        _ = try await transport.send(
            APIRequest(
                method: .POST, path: "/api/v1/namespaces/\(namespace)/pods/\(pod)/eviction",
                body: Array(body.utf8), contentType: "application/json", accept: "application/json, */*",
                operation: .init(verb: "evict", resource: "pods", name: pod, namespace: namespace)))
    }

    private func patchNode(_ name: String, body: String, verb: String) async throws -> Node {
        try ObjectName.validate(name, what: "node name")
        let response = try await transport.send(
            APIRequest(
                method: .PATCH, path: "/api/v1/nodes/\(name)", body: Array(body.utf8),
                contentType: "application/strategic-merge-patch+json",
                operation: .init(verb: verb, resource: "nodes", name: name)))
        return try decode(Node.self, from: response.body, operation: .init(verb: verb, resource: "nodes", name: name))
    }

    // MARK: - Plumbing

    /// The most one object's body may hold. etcd stores at most 1.5 MiB per object (its default request limit), so
    /// 8 MiB of JSON is far above any real object, and a server that sends more is refused early, not read on.
    static let singleObjectLimit = 8 << 20

    func get<T: Decodable & Sendable>(_ type: T.Type, path: String, operation: APIOperation) async throws -> T {
        let response = try await transport.send(APIRequest(method: .GET, path: path, operation: operation),
                                                limit: Self.singleObjectLimit)
        return try decode(type, from: response.body, operation: operation)
    }

    func decode<T: Decodable>(_ type: T.Type, from body: ByteBuffer, operation: APIOperation) throws -> T {
        do {
            // Decode in place: a page of 500 nodes is ~7 MB, and a copy would double it while decoding.
            return try body.withUnsafeReadableBytes { raw -> T in
                guard let base = raw.baseAddress, raw.count > 0 else {
                    return try JSONDecoder().decode(type, from: Data())
                }
                let view = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: raw.count, deallocator: .none)
                return try JSONDecoder().decode(type, from: view)
            }
        } catch {
            throw KubeClientError.invalidResponse(
                operation: operation.description, reason: DisplayText.sanitize(String(describing: error), limit: 300))
        }
    }
}

/// The items of a list and the resourceVersion it was served at.
public struct ListResult<Item: Sendable>: Sendable {
    public var items: [Item]
    public var resourceVersion: String
    public init(items: [Item], resourceVersion: String) {
        self.items = items
        self.resourceVersion = resourceVersion
    }
}

/// Checks a label selector before it goes into a query: equality and set-based terms over label-safe
/// characters only.
enum LabelSelectorText {
    static func validate(_ selector: String) throws(KubeClientError) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=!,() ")
        guard !selector.isEmpty, selector.count <= 1024, selector.allSatisfy({ allowed.contains($0) }) else {
            throw .invalidArgument(
                what: "label selector", value: DisplayText.sanitize(selector, limit: 60),
                reason: "only label characters and = != , ( ) are allowed")
        }
        return selector
    }
}
