/// One pass of the node-upgrade procedure: the version it installs and the pkgs.k8s.io minor repository it needs.
public struct Hop: Sendable, Hashable, Codable, CustomStringConvertible {
    public let version: KubeVersion
    /// True when this pass moves to a new minor: the package repository must be switched and the node drained.
    public let changesMinor: Bool

    public init(version: KubeVersion, changesMinor: Bool) {
        self.version = version
        self.changesMinor = changesMinor
    }

    public var repositoryMinor: MinorLine { version.minorLine }
    /// The Debian repository line's URL for this minor.
    public var debRepository: String { "https://pkgs.k8s.io/core:/stable:/v\(repositoryMinor)/deb/" }
    /// The RPM repository's baseurl for this minor.
    public var rpmRepository: String { "https://pkgs.k8s.io/core:/stable:/v\(repositoryMinor)/rpm/" }

    public var description: String { version.description }
}

/// Why kubeskew will not plan an upgrade; each message says what to do instead.
public enum UpgradePathError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The target is newer than the oldest kube-apiserver: a node may not get there before the control plane does.
    case controlPlaneFirst(target: KubeVersion)
    case downgrade(from: KubeVersion, to: KubeVersion)
    case majorChange(from: KubeVersion, to: KubeVersion)
    case managed(Distribution)
    case unknownPatch(MinorLine)
    case noAPIServerVersion
    /// The kubelet reported no version, or one that does not parse: there is nothing to plan from.
    case kubeletVersionUnknown(reason: String)

    /// The node could be planned once the control plane has reached the target.
    public var isControlPlaneFirst: Bool {
        if case .controlPlaneFirst = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case let .controlPlaneFirst(t):
            return "the control plane must reach \(t) first: kubeskew plan --cluster --target \(t)"
        case let .downgrade(f, t):
            return "the node runs \(f), newer than the target \(t); kubeskew does not downgrade nodes"
        case let .majorChange(f, t):
            return "\(f) → \(t) changes the major version; that is outside the skew policy and kubeadm's procedure"
        case let .managed(d):
            return "\(d.displayName) node: \(d.upgradeAdvice), not with kubeadm packages"
        case let .unknownPatch(m):
            return "no known patch release of \(m) to pass through (kubeadm moves one minor at a time); pass --releases with newer data"
        case .noAPIServerVersion:
            return "the API server version is unknown; pass --control-plane V"
        case let .kubeletVersionUnknown(reason):
            return "the kubelet version is unknown (\(reason)); kubeskew cannot plan an upgrade from it: check the node's kubelet"
        }
    }
}

/// Chooses the target version and the hops, one minor at a time, from a node's version to it.
public enum UpgradePath {
    /// The version the control plane is being upgraded to: kubeadm-config's `kubernetesVersion` (what
    /// `kubeadm upgrade apply` set, so it leads the API servers in the middle of an upgrade), else the newest
    /// kube-apiserver. A kubeadm-config older than the newest API server is stale, not an intention: the newest wins.
    public static func intended(apiservers: APIServerSet, kubeadmClusterVersion: KubeVersion?) -> ResolvedTarget {
        if let k = kubeadmClusterVersion, k.major == apiservers.newest.major, !(k < apiservers.newest) {
            return ResolvedTarget(version: k, source: .kubeadmConfig)
        }
        return ResolvedTarget(version: apiservers.newest, source: .newestAPIServer)
    }

    /// The target a choice means for this control plane. It may be newer than the control plane: then the control
    /// plane is upgraded first (`UpgradePathError.controlPlaneFirst` on each node that would pass it).
    public static func target(
        apiservers: APIServerSet, kubeadmClusterVersion: KubeVersion?, choice: TargetChoice, calendar: ReleaseCalendar
    ) throws(UpgradePathError) -> ResolvedTarget {
        let intended = intended(apiservers: apiservers, kubeadmClusterVersion: kubeadmClusterVersion)
        let base = intended.version
        switch choice {
        case .intended:
            return intended
        case let .version(v):
            if v.major != base.major { throw .majorChange(from: base, to: v) }
            return ResolvedTarget(version: v, source: .explicit)
        case .latestPatch:
            guard let newest = calendar.release(base.minorLine)?.newestPatch else { throw .unknownPatch(base.minorLine) }
            // Data older than the cluster never lowers the target.
            return ResolvedTarget(version: max(newest, base), source: .latestPatch)
        case .nextMinor:
            let line = MinorLine(major: base.major, minor: base.minor + 1)
            guard let newest = calendar.release(line)?.newestPatch else { throw .unknownPatch(line) }
            return ResolvedTarget(version: newest, source: .nextMinor)
        }
    }

    /// The passes from `current` to `target`: the newest known patch of every minor in between, then the target.
    /// Empty when the node is already at the target.
    public static func hops(from current: KubeVersion, to target: KubeVersion, calendar: ReleaseCalendar) throws(UpgradePathError) -> [Hop] {
        if current.major != target.major { throw .majorChange(from: current, to: target) }
        if current.samePrecedence(as: target) { return [] }
        if current > target { throw .downgrade(from: current, to: target) }
        var hops: [Hop] = []
        var minor = current.minor
        while minor + 1 < target.minor {
            minor += 1
            let line = MinorLine(major: target.major, minor: minor)
            guard let newest = calendar.release(line)?.newestPatch else { throw .unknownPatch(line) }
            hops.append(Hop(version: newest, changesMinor: true))
        }
        hops.append(Hop(version: target, changesMinor: target.minor != current.minor))
        return hops
    }
}
