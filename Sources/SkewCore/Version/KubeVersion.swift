/// A Kubernetes component version (`v1.33.3`, `v1.29.6-gke.1326000`, `v1.31.5+k3s1`), parsed with the acceptance
/// rules of Kubernetes' strict semantic parser (k8s.io/apimachinery `ParseSemantic`).
public struct KubeVersion: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let major: Int
    public let minor: Int
    public let patch: Int
    /// Pre-release identifiers (`rc.1` → ["rc", "1"]); empty for a release.
    public let preRelease: [String]
    /// Build metadata identifiers (`k3s1`); ignored in comparisons, as semver says.
    public let buildMetadata: [String]

    public init(major: Int, minor: Int, patch: Int, preRelease: [String] = [], buildMetadata: [String] = []) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.preRelease = preRelease
        self.buildMetadata = buildMetadata
    }

    /// Parses with the strict (semantic) rules; throws a message naming what is wrong.
    public init(_ text: String) throws(VersionParseError) {
        self = try KubeVersionParser.parseSemantic(text)
    }

    /// Parses, returning nil where the strict parser rejects the text.
    public static func parse(_ text: String) -> KubeVersion? {
        try? KubeVersionParser.parseSemantic(text)
    }

    /// The canonical form with a leading `v`, as Kubernetes reports `gitVersion`.
    public var description: String {
        var s = "v\(major).\(minor).\(patch)"
        if !preRelease.isEmpty { s += "-" + preRelease.joined(separator: ".") }
        if !buildMetadata.isEmpty { s += "+" + buildMetadata.joined(separator: ".") }
        return s
    }

    /// `v1.33.3` without pre-release or build metadata.
    public var release: KubeVersion { KubeVersion(major: major, minor: minor, patch: patch) }

    /// `1.33.3` without the `v`, as package versions are written.
    public var packageVersion: String { "\(major).\(minor).\(patch)" }

    /// The minor line, `1.33`.
    public var minorLine: MinorLine { MinorLine(major: major, minor: minor) }

    public var isPreRelease: Bool { !preRelease.isEmpty }

    /// The version the skew policy compares: a provider's build suffix (`-eks-3025e55`, `-gke.1326000`) is not an
    /// upstream pre-release, so `v1.33.3-eks-3025e55` counts as 1.33.3; upstream pre-releases (`-rc.1`) still count.
    public var policyVersion: KubeVersion { distribution == .vanilla ? self : release }

    /// The distribution recognised from the version's suffix alone.
    public var distribution: Distribution { Distribution.fromSuffix(of: self) }

    /// Semver precedence: build metadata is ignored; a pre-release sorts before its release.
    public static func < (lhs: KubeVersion, rhs: KubeVersion) -> Bool {
        if lhs.major != rhs.major { return lhs.major < rhs.major }
        if lhs.minor != rhs.minor { return lhs.minor < rhs.minor }
        if lhs.patch != rhs.patch { return lhs.patch < rhs.patch }
        return Self.preReleaseLess(lhs.preRelease, rhs.preRelease)
    }

    /// Equality by precedence: `v1.31.5+k3s1` equals `v1.31.5` as a version.
    public func samePrecedence(as other: KubeVersion) -> Bool { !(self < other) && !(other < self) }

    private static func preReleaseLess(_ a: [String], _ b: [String]) -> Bool {
        if a.isEmpty { return false }
        if b.isEmpty { return true }
        for (x, y) in zip(a, b) where x != y {
            switch (Int(x), Int(y)) {
            case let (i?, j?): return i < j
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return x < y
            }
        }
        return a.count < b.count
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try KubeVersionParser.parseSemantic(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// A minor release line such as 1.33.
public struct MinorLine: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let major: Int
    public let minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses `1.33` or `v1.33`.
    public init?(_ text: String) {
        var t = Substring(text)
        if t.first == "v" { t = t.dropFirst() }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let a = KubeVersionParser.number(parts[0]), let b = KubeVersionParser.number(parts[1])
        else { return nil }
        self.init(major: a, minor: b)
    }

    public var description: String { "\(major).\(minor)" }

    public static func < (l: MinorLine, r: MinorLine) -> Bool { (l.major, l.minor) < (r.major, r.minor) }

    /// The minor line `version` belongs to.
    public init(_ version: KubeVersion) {
        self.init(major: version.major, minor: version.minor)
    }

    /// This line shifted by `delta` minors (same major).
    public func adding(_ delta: Int) -> MinorLine { MinorLine(major: major, minor: minor + delta) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let v = MinorLine(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a minor line: \(text)"))
        }
        self = v
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
