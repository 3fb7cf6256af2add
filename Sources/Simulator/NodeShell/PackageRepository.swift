import SkewCore

/// What the simulated pkgs.k8s.io repositories carry: every patch of every minor in the embedded release table
/// (the table knows only the newest patch per minor, so a minor carries 0 through that patch).
enum PackageRepository {
    private static let newest: [MinorLine: KubeVersion] = Dictionary(
        ReleaseCalendar.embedded().releases.map { ($0.minor, $0.newestPatch) }, uniquingKeysWith: { a, _ in a })

    /// Whether the repository of the version's minor has the package.
    static func carries(_ version: KubeVersion) -> Bool {
        guard version.preRelease.isEmpty, version.buildMetadata.isEmpty, let top = newest[version.minorLine] else { return false }
        return version.patch <= top.patch
    }

    /// Every version of one minor's repository, newest first (as `apt-cache madison` lists them).
    static func versions(_ minor: MinorLine) -> [KubeVersion] {
        guard let top = newest[minor] else { return [] }
        return (0...top.patch).reversed().map { KubeVersion(major: minor.major, minor: minor.minor, patch: $0) }
    }

    /// The newest patch of a minor, as `dl.k8s.io/release/stable-1.N.txt` answers.
    static func newestPatch(_ minor: MinorLine) -> KubeVersion? { newest[minor] }

    /// The newest release of all (`stable.txt`).
    static var stable: KubeVersion { newest.values.max() ?? KubeVersion(major: 1, minor: 33, patch: 3) }
}
