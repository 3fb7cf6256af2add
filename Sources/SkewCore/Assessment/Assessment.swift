/// One component's version and verdict; `version` is nil when the raw text was absent or not a version.
public struct ComponentAssessment: Sendable, Equatable {
    public let raw: String?
    public let version: KubeVersion?
    public let judgement: Judgement

    public var verdict: Verdict { judgement.verdict }
    public var supported: Bool { judgement.verdict.isSupported }
}

/// A node's verdicts, risks and upgrade path.
public struct NodeAssessment: Sendable, Equatable {
    public let name: String
    public let isControlPlane: Bool
    public let kubelet: ComponentAssessment
    public let kubeProxy: ComponentAssessment?
    public let kubeadm: ComponentAssessment?
    public let distribution: Distribution
    public let risks: [Risk]
    /// The passes to the target; empty when current or when no path exists (`pathProblem` says why).
    public let hops: [Hop]
    public let pathProblem: UpgradePathError?

    /// The node's worst verdict over the components it runs, kubelet and kube-proxy: the skew policy's verdict.
    ///
    /// kubeadm is a tool installed on the node, not a running component: its own verdict (kubeadm's rules) stands
    /// beside this one, in its cell, the details and `check`, but does not make the node unsupported. A worker one
    /// minor behind a just-upgraded control plane runs the kubeadm of its minor, which cannot manage that control
    /// plane: that is the state every node is in between the control plane's upgrade and its own, and the upgrade's
    /// first step installs the new kubeadm.
    public var verdict: Verdict {
        [kubelet.verdict, kubeProxy?.verdict].compactMap { $0 }
            .min { $0.severityRank < $1.severityRank } ?? .unknown
    }

    /// current / behind / unsupported / unknown, for counts.
    public var bucket: SummaryBucket {
        if kubelet.verdict == .unknown { return .unknown }
        let verdicts = [kubelet.verdict, kubeProxy?.verdict].compactMap { $0 }
        if verdicts.contains(where: { !$0.isSupported && $0 != .unknown }) { return .unsupported }
        if verdicts.contains(.unknown) { return .unknown }
        if verdicts.contains(where: \.isBehind) { return .behind }
        return .current
    }

    public var isUpgradable: Bool { pathProblem == nil && !hops.isEmpty }
}

/// The counting buckets of the header and the JSON summary.
public enum SummaryBucket: String, Sendable, Codable, CaseIterable {
    case current, behind, unsupported, unknown
}

/// The control plane's versions and verdicts.
public struct ControlPlaneAssessment: Sendable, Equatable {
    public let apiservers: [KubeVersion]
    public let verdict: ControlPlaneVerdict
    public let judgement: Judgement?
    /// Component instances with their verdicts; etcd and CoreDNS carry no skew verdict (nil).
    public let components: [(name: String, node: String?, raw: String, version: KubeVersion?, judgement: Judgement?)]
    public let kubeadmClusterVersion: KubeVersion?
    public let risks: [Risk]
    /// Control-plane nodes still to upgrade towards the target, in order, before any worker (empty when none).
    public let pendingUpgrade: [PendingControlPlaneUpgrade]

    public static func == (a: ControlPlaneAssessment, b: ControlPlaneAssessment) -> Bool {
        a.apiservers == b.apiservers && a.verdict == b.verdict && a.judgement == b.judgement && a.risks == b.risks
            && a.kubeadmClusterVersion == b.kubeadmClusterVersion && a.pendingUpgrade == b.pendingUpgrade && a.components.count == b.components.count
            && zip(a.components, b.components).allSatisfy { $0.name == $1.name && $0.node == $1.node && $0.raw == $1.raw && $0.judgement == $1.judgement }
    }
}

/// The whole assessment: control plane, target, nodes, counts and notes about the data used.
public struct ClusterAssessment: Sendable {
    public let controlPlane: ControlPlaneAssessment
    public let target: KubeVersion?
    /// Where the target came from (kubeadm-config, the newest API server, the operator's choice).
    public let targetSource: TargetSource?
    public let targetProblem: UpgradePathError?
    public let nodes: [NodeAssessment]
    public let counts: [SummaryBucket: Int]
    /// Warnings about the data itself (embedded data older than six months, …).
    public let notes: [String]

    /// CI exit status: 0 all current, 3 supported but behind or at risk, 2 anything unsupported.
    public var exitStatus: Int32 {
        if controlPlane.verdict != .supported { return 2 }
        if controlPlane.components.contains(where: { $0.judgement.map { !$0.verdict.isSupported } ?? false }) { return 2 }
        // `unknown` is outside the supported verdicts too: what cannot be verified fails the check.
        if nodes.contains(where: { $0.bucket == .unsupported || $0.bucket == .unknown }) { return 2 }
        if nodes.contains(where: { $0.bucket != .current || !$0.risks.isEmpty }) || !controlPlane.risks.isEmpty { return 3 }
        return 0
    }
}
