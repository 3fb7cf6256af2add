/// The kube-apiserver instance versions of a cluster (several in HA), with the oldest and newest.
public struct APIServerSet: Sendable, Equatable {
    public let versions: [KubeVersion]
    public let oldest: KubeVersion
    public let newest: KubeVersion

    /// nil when there is no version at all.
    public init?(_ versions: [KubeVersion]) {
        guard let lo = versions.min(), let hi = versions.max() else { return nil }
        self.versions = versions
        self.oldest = lo
        self.newest = hi
    }

    public var isHA: Bool { versions.count > 1 }

    /// The same instances as the policy compares them (provider build suffixes dropped).
    public var policyVersions: APIServerSet { APIServerSet(versions.map(\.policyVersion)) ?? self }
}

/// Whether the API server instances themselves are within the policy.
public enum ControlPlaneVerdict: String, Sendable, Codable {
    case supported
    case apiserverSkew = "apiserver-skew"
}
