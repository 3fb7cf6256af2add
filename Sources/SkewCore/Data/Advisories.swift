import Foundation

/// Known CVEs of Kubernetes components with the first fixed patch of each minor, and the day the data was taken.
public struct Advisories: Sendable, Codable {
    /// One CVE.
    public struct Advisory: Sendable, Codable, Equatable {
        public let id: String
        /// `kubelet`, `kube-proxy`, `kube-apiserver`, `kube-controller-manager`, …
        public let component: String
        public let severity: String
        public let cvss: Double?
        public let summary: String
        public let issue: String?
        /// First fixed patch per minor line; empty when no fix exists.
        public let fixed: [KubeVersion]

        /// The fix in `version`'s own minor line, when `version` is older than it.
        public func fix(for version: KubeVersion) -> KubeVersion? {
            fixed.first { $0.major == version.major && $0.minor == version.minor && version < $0 }
        }
    }

    public let dataTakenOn: CalendarDate
    public let source: String
    public let advisories: [Advisory]

    /// The advisories that ship inside kubeskew.
    public static func embedded() -> Advisories {
        do { return try decode(Data(EmbeddedData.files["advisories.json", default: ""].utf8), origin: "embedded advisories.json") } catch {
            preconditionFailure("the embedded advisories do not parse: \(error)")
        }
    }

    /// Reads advisories in the same JSON format (`--advisories FILE`).
    public static func decode(_ data: Data, origin: String) throws -> Advisories {
        do { return try JSONDecoder().decode(Advisories.self, from: data) } catch {
            throw DataFileError(file: origin, problem: DataFileError.describe(error))
        }
    }

    /// CVEs of `component` that `version` has and that a later patch of its own minor fixes.
    public func fixable(component: String, version: KubeVersion) -> [(Advisory, KubeVersion)] {
        advisories.compactMap { a in
            guard a.component == component, let f = a.fix(for: version) else { return nil }
            return (a, f)
        }
    }
}
