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
    case targetNewerThanAPIServer(target: KubeVersion, apiserver: KubeVersion)
    case downgrade(from: KubeVersion, to: KubeVersion)
    case majorChange(from: KubeVersion, to: KubeVersion)
    case managed(Distribution)
    case unknownPatch(MinorLine)
    case noAPIServerVersion
    /// The kubelet reported no version, or one that does not parse: there is nothing to plan from.
    case kubeletVersionUnknown(reason: String)

    public var description: String {
        switch self {
        case let .targetNewerThanAPIServer(t, a):
            return "target \(t) is newer than kube-apiserver \(a); a kubelet must never be newer than the API server — upgrade the control plane first"
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
    /// The API server's exact version by default (the oldest in HA); an override may not be newer than that.
    public static func target(apiservers: APIServerSet, override: KubeVersion?) throws(UpgradePathError) -> KubeVersion {
        guard let override else { return apiservers.oldest }
        if override.major != apiservers.oldest.major { throw .majorChange(from: apiservers.oldest, to: override) }
        if override > apiservers.oldest { throw .targetNewerThanAPIServer(target: override, apiserver: apiservers.oldest) }
        return override
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
