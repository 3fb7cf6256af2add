import SkewCore

/// Everything kubeskew read from a cluster at one moment: nodes, control-plane pods, kube-proxy, kubeadm-config.
public struct ClusterSnapshot: Sendable {
    public var context: String?
    public var server: String?
    /// `/version` gitVersion, when read live.
    public var serverVersion: String?
    /// API server versions given by the operator (`--control-plane`); they win over everything read.
    public var controlPlaneOverride: [String]
    public var nodes: [Node]
    /// kube-system pods (static control-plane pods, kube-proxy, CoreDNS); other pods are not kept here.
    public var systemPods: [Pod]
    public var kubeProxyDaemonSet: DaemonSet?
    public var kubeadmConfig: ConfigMap?
    /// kubeadm versions probed on nodes (`kubeadm version -o short`), by node name.
    public var kubeadmVersions: [String: String]
    /// Where each node's kubeadm probe stands (probing, answered, failed and why), by node name; absent: never asked.
    public var kubeadmProbes: [String: KubeadmProbeStatus] = [:]

    public init(
        context: String? = nil, server: String? = nil, serverVersion: String? = nil, controlPlaneOverride: [String] = [],
        nodes: [Node], systemPods: [Pod] = [], kubeProxyDaemonSet: DaemonSet? = nil, kubeadmConfig: ConfigMap? = nil,
        kubeadmVersions: [String: String] = [:]
    ) {
        self.context = context
        self.server = server
        self.serverVersion = serverVersion
        self.controlPlaneOverride = controlPlaneOverride
        self.nodes = nodes
        self.systemPods = systemPods
        self.kubeProxyDaemonSet = kubeProxyDaemonSet
        self.kubeadmConfig = kubeadmConfig
        self.kubeadmVersions = kubeadmVersions
    }

    /// The control-plane components kubeadm runs as static pods, by their `component` label.
    public static let staticComponents = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd"]

    /// Control-plane component instances from the static pods' images (and CoreDNS from its pods).
    public var components: [ComponentFacts] {
        var out: [ComponentFacts] = []
        for pod in systemPods {
            if let component = pod.labels["component"], Self.staticComponents.contains(component),
               let tag = pod.image(container: component).flatMap(Self.imageTag) {
                out.append(ComponentFacts(name: component, version: tag, node: pod.nodeName))
            } else if pod.labels["k8s-app"] == "kube-dns", let tag = pod.image(container: "coredns").flatMap(Self.imageTag) {
                out.append(ComponentFacts(name: "coredns", version: tag, node: pod.nodeName))
            }
        }
        if let ds = kubeProxyDaemonSet, let tag = ds.image(container: "kube-proxy").flatMap(Self.imageTag) {
            out.append(ComponentFacts(name: "kube-proxy", version: tag, node: nil))
        }
        let order = Self.staticComponents + ["kube-proxy", "coredns"]
        return out.sorted { (order.firstIndex(of: $0.name) ?? 99, $0.node ?? "") < (order.firstIndex(of: $1.name) ?? 99, $1.node ?? "") }
    }

    /// The kube-apiserver static pods, one per instance of the control plane.
    public var apiserverPods: [Pod] { systemPods.filter { $0.labels["component"] == "kube-apiserver" } }

    /// The API server versions: the operator's override, else one per kube-apiserver static pod, else `/version`.
    public var apiserverVersions: [String] { apiserverVersions(components: components) }

    private func apiserverVersions(components: [ComponentFacts]) -> [String] {
        if !controlPlaneOverride.isEmpty { return controlPlaneOverride }
        let fromPods = components.filter { $0.name == "kube-apiserver" }.map(\.version)
        if !fromPods.isEmpty { return fromPods }
        return serverVersion.map { [$0] } ?? []
    }

    /// kube-proxy's version per node, from the kube-proxy pod on it.
    public var kubeProxyVersionsByNode: [String: String] {
        var out: [String: String] = [:]
        for pod in systemPods where pod.labels["k8s-app"] == "kube-proxy" || pod.controller?.name == "kube-proxy" {
            if let node = pod.nodeName, let tag = pod.image(container: "kube-proxy").flatMap(Self.imageTag) { out[node] = tag }
        }
        return out
    }

    /// What `facts()` reads from everything but the nodes (system pods, kube-proxy DaemonSet, kubeadm-config,
    /// overrides), so that a caller whose nodes change more often than the rest can compute it once.
    public struct SystemFacts: Sendable {
        public let apiserverVersions: [String]
        public let components: [ComponentFacts]
        public let kubeadmClusterVersion: String?
        let kubeProxyByNode: [String: String]
        let kubeProxyDaemonSetVersion: String?
    }

    public var systemFacts: SystemFacts {
        let components = components
        return SystemFacts(
            apiserverVersions: apiserverVersions(components: components), components: components,
            kubeadmClusterVersion: kubeadmConfig?.kubeadmKubernetesVersion, kubeProxyByNode: kubeProxyVersionsByNode,
            kubeProxyDaemonSetVersion: kubeProxyDaemonSet?.image(container: "kube-proxy").flatMap(Self.imageTag))
    }

    /// The facts SkewCore assesses. kube-proxy comes from the pod on the node, else the DaemonSet's image, else the
    /// node's (deprecated) `kubeProxyVersion`.
    public func facts() -> ClusterFacts {
        facts(system: systemFacts)
    }

    /// `facts()` with the cluster-level half already computed; `system` must be this snapshot's `systemFacts`.
    public func facts(system: SystemFacts) -> ClusterFacts {
        ClusterFacts(
            apiserverVersions: system.apiserverVersions, components: system.components,
            kubeadmClusterVersion: system.kubeadmClusterVersion, nodes: nodes.map { nodeFacts($0, system: system) })
    }

    /// One node's facts; `system` must be this snapshot's `systemFacts`.
    public func nodeFacts(_ n: Node, system: SystemFacts) -> NodeFacts {
        NodeFacts(
            name: n.name, isControlPlane: n.isControlPlane, kubeletVersion: n.nodeInfo?.kubeletVersion,
            kubeProxyVersion: system.kubeProxyByNode[n.name] ?? system.kubeProxyDaemonSetVersion ?? nonEmpty(n.nodeInfo?.kubeProxyVersion),
            kubeadmVersion: kubeadmVersions[n.name], providerID: n.spec?.providerID, labels: n.labels,
            osImage: n.nodeInfo?.osImage)
    }

    /// The tag of an image reference (`registry.k8s.io/kube-proxy:v1.33.3@sha256:…` → `v1.33.3`).
    public static func imageTag(_ image: String) -> String? {
        var ref = Substring(image)
        if let at = ref.firstIndex(of: "@") { ref = ref[..<at] }
        guard let colon = ref.lastIndex(of: ":") else { return nil }
        let tag = ref[ref.index(after: colon)...]
        return tag.isEmpty || tag.contains("/") ? nil : String(tag)
    }
}

private func nonEmpty(_ s: String?) -> String? {
    guard let s, !s.isEmpty else { return nil }
    return s
}
