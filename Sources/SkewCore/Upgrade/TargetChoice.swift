/// How the target was asked for: the control plane's intended version (default), an exact version, or a named one.
public enum TargetChoice: Sendable, Equatable, CustomStringConvertible {
    /// The version the control plane is being upgraded to: kubeadm-config's `kubernetesVersion`, else the newest
    /// kube-apiserver.
    case intended
    case version(KubeVersion)
    /// The newest known patch of the intended version's minor.
    case latestPatch
    /// The newest known patch of the minor after the intended version's.
    case nextMinor

    /// Parses `--target`: `vX.Y.Z`, `latest-patch` or `next-minor`; nil when it is none of them.
    public init?(argument: String) {
        switch argument {
        case "latest-patch": self = .latestPatch
        case "next-minor": self = .nextMinor
        case "intended", "default": self = .intended
        default:
            guard let v = KubeVersion.parse(argument) else { return nil }
            self = .version(v)
        }
    }

    public var description: String {
        switch self {
        case .intended: return "intended"
        case let .version(v): return v.description
        case .latestPatch: return "latest-patch"
        case .nextMinor: return "next-minor"
        }
    }
}

/// Where the target in force came from (`targetSource` in `check -o json`).
public enum TargetSource: String, Sendable, Codable, Equatable {
    /// kubeadm-config's `kubernetesVersion`: what `kubeadm upgrade apply` last set.
    case kubeadmConfig = "kubeadm-config"
    case newestAPIServer = "newest-apiserver"
    /// An exact version the operator gave (`--target vX.Y.Z`, or picked with `t`).
    case explicit = "explicit"
    case latestPatch = "latest-patch"
    case nextMinor = "next-minor"
}

/// The target in force and where it came from.
public struct ResolvedTarget: Sendable, Equatable {
    public let version: KubeVersion
    public let source: TargetSource

    public init(version: KubeVersion, source: TargetSource) {
        self.version = version
        self.source = source
    }
}
