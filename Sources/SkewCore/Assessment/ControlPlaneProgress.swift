/// A control-plane node whose static pods are not yet at the version the control plane is moving to, and the kubeadm
/// command that moves it (run on that node, after installing kubeadm at `to`).
public struct PendingControlPlaneUpgrade: Sendable, Equatable {
    public let node: String
    /// The oldest of its kube-apiserver, kube-controller-manager and kube-scheduler.
    public let from: KubeVersion
    public let to: KubeVersion
    /// `sudo kubeadm upgrade apply vX.Y.Z` on the first node of a hop, `sudo kubeadm upgrade node` on the others.
    public let command: String

    public init(node: String, from: KubeVersion, to: KubeVersion, command: String) {
        self.node = node
        self.from = from
        self.to = to
        self.command = command
    }
}

/// Which control-plane nodes still need their upgrade, from the static pods seen on each node ([UPG] §1b–1c:
/// the first control-plane node runs `kubeadm upgrade apply`, the others `kubeadm upgrade node`, before any worker).
public enum ControlPlaneProgress {
    /// The static pods whose image tag is the Kubernetes version; etcd has its own numbering and CoreDNS is an add-on.
    static let versionedPods: Set<String> = ["kube-apiserver", "kube-controller-manager", "kube-scheduler"]

    /// Each control-plane node's version: the oldest of its versioned static pods (a node whose `upgrade node`
    /// stopped half-way still counts as not upgraded).
    public static func nodeVersions(_ components: [ComponentFacts]) -> [(node: String, version: KubeVersion)] {
        var oldest: [String: KubeVersion] = [:]
        for c in components where versionedPods.contains(c.name) {
            guard let node = c.node, let v = KubeVersion.parse(c.version)?.policyVersion else { continue }
            oldest[node] = oldest[node].map { min($0, v) } ?? v
        }
        return oldest.keys.sorted().map { ($0, oldest[$0]!) }
    }

    /// What is left to do on the control plane to reach `target`, one step per node for the next hop only.
    ///
    /// When kubeadm-config already records a version some nodes have not reached, `kubeadm upgrade apply` has run on
    /// the first node and the others need `kubeadm upgrade node` (it reads the version from kubeadm-config); only when
    /// every node is there does the next hop start, with `apply` on the first node, one minor at a time.
    public static func pending(
        components: [ComponentFacts], kubeadmClusterVersion: KubeVersion?, target: KubeVersion, calendar: ReleaseCalendar
    ) -> [PendingControlPlaneUpgrade] {
        let nodes = nodeVersions(components)
        guard let newestNode = nodes.map(\.version).max() else { return [] }
        // Without kubeadm-config, a node ahead of the others is where `apply` ran.
        let applied = kubeadmClusterVersion.map { max($0.policyVersion, newestNode) } ?? newestNode
        let unfinished = nodes.filter { $0.version < applied }
        if !unfinished.isEmpty {
            return unfinished.map {
                PendingControlPlaneUpgrade(node: $0.node, from: $0.version, to: applied, command: "sudo kubeadm upgrade node")
            }
        }
        let goal = target.policyVersion
        guard applied < goal, applied.major == goal.major,
              let next = try? UpgradePath.hops(from: applied, to: goal, calendar: calendar).first?.version
        else { return [] }
        return nodes.enumerated().map { i, n in
            PendingControlPlaneUpgrade(
                node: n.node, from: n.version, to: next,
                command: i == 0 ? "sudo kubeadm upgrade apply \(next)" : "sudo kubeadm upgrade node")
        }
    }
}
