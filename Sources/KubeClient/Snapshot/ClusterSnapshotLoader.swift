import KubeModel

/// Reads a `ClusterSnapshot` from a live cluster: every request runs concurrently, lists are paged, and only
/// the kube-system pods that carry versions are fetched (by label selector).
public enum ClusterSnapshotLoader {
    /// A snapshot plus what could not be read: optional parts the user may not see (403) are reported here
    /// instead of failing the whole snapshot; nodes and `/version` are required.
    public struct Loaded: Sendable {
        public var snapshot: ClusterSnapshot
        public var warnings: [String]
        /// The resourceVersion of the node list: pass it to `NodeWatcher(client:resumeFrom:)` to watch from
        /// this snapshot without listing every node again.
        public var nodesResourceVersion: String
    }

    /// Label selectors of the kube-system pods whose images give component versions.
    static let systemPodSelectors = ["tier=control-plane", "k8s-app=kube-proxy", "k8s-app=kube-dns"]

    /// Only the version-bearing kube-system pods (control plane, kube-proxy, CoreDNS): a few KB, for refreshing a
    /// live view whose nodes come from a watch.
    public static func systemPods(_ client: KubeAPIClient) async throws -> [Pod] {
        async let few = controlPlaneAndDNSPods(client)
        async let proxies = kubeProxyPods(client)
        return try await merged(few, proxies)
    }

    /// The static control-plane pods and the CoreDNS pods: a handful whatever the cluster's size.
    public static func controlPlaneAndDNSPods(_ client: KubeAPIClient) async throws -> [Pod] {
        async let controlPlane = client.listPods(namespace: "kube-system", labelSelector: systemPodSelectors[0])
        async let dns = client.listPods(namespace: "kube-system", labelSelector: systemPodSelectors[2])
        return try await controlPlane + dns
    }

    /// The kube-proxy pods: one per node.
    public static func kubeProxyPods(_ client: KubeAPIClient) async throws -> [Pod] {
        try await client.listPods(namespace: "kube-system", labelSelector: systemPodSelectors[1])
    }

    /// Both lists as one, each pod once (a pod may match two selectors).
    public static func merged(_ few: [Pod], _ proxies: [Pod]) -> [Pod] {
        var seen = Set<String>()
        return (few + proxies).filter { seen.insert($0.namespace + "/" + $0.name).inserted }
    }

    /// Whether a kube-proxy pod (its `k8s-app` label).
    public static func isKubeProxy(_ pod: Pod) -> Bool { pod.metadata.labels?["k8s-app"] == "kube-proxy" }

    /// The snapshot, failing on any error other than an absent optional object (no kube-proxy DaemonSet, no
    /// kubeadm-config: normal outside kubeadm clusters).
    public static func load(_ client: KubeAPIClient) async throws -> ClusterSnapshot {
        try await load(client, tolerateForbidden: false).snapshot
    }

    /// The snapshot, with optional parts that are forbidden or failing reported as warnings.
    public static func load(_ client: KubeAPIClient, tolerateForbidden: Bool) async throws -> Loaded {
        async let version = client.version()
        async let nodes = client.listNodes()
        async let controlPlane = optional("list kube-system pods (control plane)", tolerateForbidden) {
            try await client.listPods(namespace: "kube-system", labelSelector: systemPodSelectors[0])
        }
        async let proxies = optional("list kube-system pods (kube-proxy)", tolerateForbidden) {
            try await client.listPods(namespace: "kube-system", labelSelector: systemPodSelectors[1])
        }
        async let dns = optional("list kube-system pods (CoreDNS)", tolerateForbidden) {
            try await client.listPods(namespace: "kube-system", labelSelector: systemPodSelectors[2])
        }
        async let daemonSet = optional("get DaemonSet kube-system/kube-proxy", tolerateForbidden) {
            try await client.getDaemonSet(namespace: "kube-system", name: "kube-proxy")
        }
        async let kubeadmConfig = optional("get ConfigMap kube-system/kubeadm-config", tolerateForbidden) {
            try await client.getConfigMap(namespace: "kube-system", name: "kubeadm-config")
        }

        let (serverVersion, nodeList) = try await (version, nodes)
        let parts = try await (controlPlane, proxies, dns, daemonSet, kubeadmConfig)
        var warnings: [String] = []
        for warning in [parts.0.warning, parts.1.warning, parts.2.warning, parts.3.warning, parts.4.warning] {
            if let warning { warnings.append(warning) }
        }
        // A pod can match two selectors (a CoreDNS pod labelled tier=control-plane): keep each once.
        var seen = Set<String>()
        var systemPods: [Pod] = []
        for pod in (parts.0.value ?? []) + (parts.1.value ?? []) + (parts.2.value ?? [])
        where seen.insert(pod.namespace + "/" + pod.name).inserted {
            systemPods.append(pod)
        }
        let snapshot = ClusterSnapshot(
            context: client.config.contextName, server: client.config.server, serverVersion: serverVersion.gitVersion,
            nodes: nodeList.items, systemPods: systemPods, kubeProxyDaemonSet: parts.3.value,
            kubeadmConfig: parts.4.value)
        return Loaded(snapshot: snapshot, warnings: warnings, nodesResourceVersion: nodeList.resourceVersion)
    }

    /// An optional part: nil when absent (404); a warning instead of an error when tolerated.
    struct Part<Value: Sendable>: Sendable {
        var value: Value?
        var warning: String?
    }

    static func optional<Value: Sendable>(
        _ what: String, _ tolerate: Bool, _ read: @Sendable () async throws -> Value
    ) async throws -> Part<Value> {
        do {
            return Part(value: try await read(), warning: nil)
        } catch let error as KubeClientError {
            if case .notFound = error { return Part(value: nil, warning: nil) }
            guard tolerate else { throw error }
            return Part(value: nil, warning: "could not \(what): \(error.description)")
        }
    }
}
