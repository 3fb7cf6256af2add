import Foundation

/// Where the probe of one node's kubeadm (`kubeadm version -o short`, run on the node) stands.
public enum KubeadmProbeStatus: Sendable, Equatable {
    /// Not asked, and why (`--no-probe`, the pod executor waiting for the operator's key).
    case notProbed(reason: String)
    /// Not asked because kubeadm does not manage the node (EKS, GKE, k3s, …), and what the node is.
    case notKubeadm(reason: String)
    /// Asked; no answer yet.
    case probing
    /// The node answered `version` at `at`; `cached` when the answer was read from the state directory.
    case found(version: String, at: Date, cached: Bool)
    /// The node could not be asked or gave no version: `short` for a table cell, `reason` for the details.
    case failed(short: String, reason: String, at: Date)

    /// A table cell for a node whose kubeadm version is not known: `probing…`, why the probe failed in a few words,
    /// `-` (kubeadm does not manage the node) or `?` (not asked).
    public var cellWithoutVersion: String {
        switch self {
        case .probing: "probing…"
        case .failed(let short, _, _): short
        case .notKubeadm: "-"
        case .notProbed, .found: "?"
        }
    }

    /// The version found, if any.
    public var version: String? {
        if case .found(let version, _, _) = self { return version }
        return nil
    }
}
