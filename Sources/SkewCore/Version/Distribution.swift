import Foundation

/// Where a Kubernetes build comes from, as far as its version string and node facts tell.
public enum Distribution: String, Sendable, Codable, CaseIterable {
    case vanilla, eks, gke, aks, k3s, rke2, openshift, k0s, microk8s, talos, unknown

    /// Managed or provider-built nodes are upgraded through their provider, never with kubeadm packages.
    public var isKubeadmManageable: Bool { self == .vanilla }

    /// The name operators know the distribution by.
    public var displayName: String {
        switch self {
        case .vanilla: return "upstream Kubernetes"
        case .eks: return "Amazon EKS"
        case .gke: return "Google GKE"
        case .aks: return "Azure AKS"
        case .k3s: return "k3s"
        case .rke2: return "RKE2"
        case .openshift: return "OpenShift"
        case .k0s: return "k0s"
        case .microk8s: return "MicroK8s"
        case .talos: return "Talos"
        case .unknown: return "unrecognised distribution"
        }
    }

    /// What an operator should use instead of kubeadm for a node of this distribution.
    public var upgradeAdvice: String {
        switch self {
        case .vanilla: return "kubeadm node upgrade"
        case .eks: return "upgrade through Amazon EKS (managed node group or new AMI)"
        case .gke: return "upgrade through Google Kubernetes Engine (node pool upgrade)"
        case .aks: return "upgrade through Azure Kubernetes Service (node pool upgrade)"
        case .k3s: return "upgrade with the k3s installer or system-upgrade-controller"
        case .rke2: return "upgrade with the RKE2 installer or system-upgrade-controller"
        case .openshift: return "upgrade through the OpenShift cluster version operator"
        case .k0s: return "upgrade with k0sctl or the k0s autopilot"
        case .microk8s: return "upgrade with `snap refresh microk8s`"
        case .talos: return "upgrade with talosctl"
        case .unknown: return "upgrade with the tool that built this node (unrecognised build suffix)"
        }
    }

    /// Recognises the distribution from a version's pre-release / build suffix.
    public static func fromSuffix(of v: KubeVersion) -> Distribution {
        let pre = v.preRelease.joined(separator: ".").lowercased()
        let build = v.buildMetadata.joined(separator: ".").lowercased()
        if pre.hasPrefix("eks") { return .eks }
        if pre.hasPrefix("gke") { return .gke }
        if build.hasPrefix("k3s") { return .k3s }
        if build.hasPrefix("rke2") { return .rke2 }
        if build.hasPrefix("k0s") { return .k0s }
        // OpenShift builds carry the commit they were built from after an upstream release or release tag
        // (`v1.27.6+f67aeb3`, `v1.21.0-rc.0+6143dea`). Upstream's own builds between tags put the commit after a
        // commit count instead (`v1.35.0-alpha.0.123+0123456789abcd`, hack/lib/version.sh).
        if isGitHash(build) && (pre.isEmpty || (isUpstreamPreRelease(pre) && pre.split(separator: ".").count <= 2)) {
            return .openshift
        }
        if pre.isEmpty && build.isEmpty { return .vanilla }
        if isUpstreamPreRelease(pre) { return .vanilla }
        return .unknown
    }

    /// Refines the suffix verdict with node facts (provider ID, labels, OS image, node name) for distributions whose
    /// kubelet reports a plain version (AKS, MicroK8s, Talos, and EKS/GKE nodes on upstream builds).
    public static func detect(
        kubeletVersion: KubeVersion?, providerID: String?, labels: [String: String], osImage: String?, nodeName: String? = nil
    ) -> Distribution {
        // A version that is missing or unreadable says nothing about who built the node: its verdict is `unknown`,
        // and only the node facts below can name a distribution.
        if let kubeletVersion {
            let fromVersion = fromSuffix(of: kubeletVersion)
            if fromVersion != .vanilla { return fromVersion }
        }
        if isAKS(providerID: providerID, labels: labels, nodeName: nodeName) { return .aks }
        if labels.keys.contains(where: { $0.hasPrefix("eks.amazonaws.com/") }) { return .eks }
        if labels.keys.contains(where: { $0.hasPrefix("cloud.google.com/gke") }) { return .gke }
        if labels.keys.contains(where: { $0.hasPrefix("microk8s.io/") }) { return .microk8s }
        if labels.keys.contains(where: { $0.hasPrefix("node.openshift.io/") }) { return .openshift }
        if let os = osImage?.lowercased(), os.hasPrefix("talos") { return .talos }
        return .vanilla
    }

    /// AKS only by AKS's own markers. `azure://` alone is any VM the Azure cloud provider knows, self-managed kubeadm
    /// clusters included; the `…-azure` kernel and the Ubuntu or Azure Linux OS image are those of any Azure VM.
    /// - labels AKS sets on the nodes of its node pools (`kubernetes.azure.com/cluster`, `/agentpool`, `/mode`,
    ///   `/node-image-version`). Not the prefix alone: the Azure cloud provider reads `kubernetes.azure.com/managed=false`
    ///   on self-managed and on-prem nodes (kubernetes/kubernetes#67984, CHANGELOG 1.12), and self-managed
    ///   clusters on Azure set it on their own nodes;
    /// - AKS's VM names, `aks-<pool>-<8 digits>-vmss<6 base-36>` (scale sets) or `aks-<pool>-<8 digits>-<n>`;
    /// - a providerID in AKS's node resource group, `MC_<group>_<cluster>_<region>` by default.
    static let aksNodePoolLabels: Set<String> = [
        "kubernetes.azure.com/cluster", "kubernetes.azure.com/agentpool", "kubernetes.azure.com/mode", "kubernetes.azure.com/node-image-version",
    ]

    static func isAKS(providerID: String?, labels: [String: String], nodeName: String?) -> Bool {
        if !aksNodePoolLabels.isDisjoint(with: labels.keys) { return true }
        // The prefix first: the regular expression costs microseconds per node, which a 5,000-node check pays in full.
        if let nodeName, nodeName.hasPrefix("aks-"), nodeName.range(of: #"^aks-[a-z0-9]{1,12}-[0-9]{8}-(vmss[0-9a-z]{6}|[0-9]+)$"#, options: .regularExpression) != nil {
            return true
        }
        if let id = providerID?.lowercased(), id.hasPrefix("azure://"), id.contains("/resourcegroups/mc_") { return true }
        return false
    }

    private static func isGitHash(_ s: String) -> Bool {
        (7...40).contains(s.count) && s.allSatisfy { $0.isHexDigit }
    }

    /// `alpha.0`, `beta.2`, `rc.1`, optionally followed by a commit count (`alpha.0.123`), as upstream tags them.
    private static func isUpstreamPreRelease(_ pre: String) -> Bool {
        let parts = pre.split(separator: ".")
        guard let first = parts.first, ["alpha", "beta", "rc"].contains(first) else { return false }
        return parts.dropFirst().allSatisfy { $0.allSatisfy(\.isASCIIDigit) }
    }
}
