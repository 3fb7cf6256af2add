import Foundation

/// The table of API versions Kubernetes deprecated or removed, with their replacements.
public struct RemovedAPIs: Sendable, Codable {
    /// One old API group/version and the kinds it served.
    public struct Entry: Sendable, Codable, Equatable, Hashable {
        /// "" for the core group.
        public let group: String
        public let version: String
        /// The kinds, in the same order as `resources`: `kinds[i]` is served as `resources[i]`.
        public let kinds: [String]
        /// Plural lowercase REST resource names (`ingresses`), as the apiserver's metric labels them.
        public let resources: [String]
        public let deprecatedIn: MinorLine?
        /// Nil for a GA version that is deprecated but stays served (core v1 Endpoints).
        public let removedIn: MinorLine?
        /// The group/version to move to; nil when there is none (PodSecurityPolicy).
        public let replacement: String?
        public let replacementAvailableIn: MinorLine?
        /// A migration hint: fields renamed or defaults changed in the replacement.
        public let note: String?
        /// Where the entry comes from (`deprecation-guide`, `pluto versions.yaml (unverified)`).
        public let source: String

        public init(group: String, version: String, kinds: [String], resources: [String], deprecatedIn: MinorLine?,
                    removedIn: MinorLine?, replacement: String?, replacementAvailableIn: MinorLine?, note: String?,
                    source: String) {
            self.group = group
            self.version = version
            self.kinds = kinds
            self.resources = resources
            self.deprecatedIn = deprecatedIn
            self.removedIn = removedIn
            self.replacement = replacement
            self.replacementAvailableIn = replacementAvailableIn
            self.note = note
            self.source = source
        }

        /// "extensions/v1beta1", or "v1" for core.
        public var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

        /// The kind served as `resource` (case-insensitive), nil when this entry does not serve it.
        public func kind(resource: String) -> String? {
            let r = resource.lowercased()
            return resources.firstIndex(of: r).map { kinds[$0] }
        }

        func serves(kind: String) -> Bool { kinds.contains { $0.caseInsensitiveCompare(kind) == .orderedSame } }
    }

    public let dataTakenOn: CalendarDate
    public let source: String
    public let apis: [Entry]

    public init(dataTakenOn: CalendarDate, source: String, apis: [Entry]) {
        self.dataTakenOn = dataTakenOn
        self.source = source
        self.apis = apis
    }

    /// The table that ships inside kubeskew.
    public static func embedded() -> RemovedAPIs {
        do { return try decode(Data(EmbeddedData.files["removed-apis.json", default: ""].utf8), origin: "embedded removed-apis.json") } catch {
            preconditionFailure("the embedded removed-API table does not parse: \(error)")
        }
    }

    /// Reads a table in the same JSON format (`--removed-apis FILE`); the error names the file and the entry.
    public static func decode(_ data: Data, origin: String) throws -> RemovedAPIs {
        let table: RemovedAPIs
        do { table = try JSONDecoder().decode(RemovedAPIs.self, from: data) } catch {
            throw DataFileError(file: origin, problem: DataFileError.describe(error))
        }
        // Lookups map a resource to its kind by position, so the two lists must pair up.
        for (i, e) in table.apis.enumerated() {
            let problem: String? =
                e.version.isEmpty ? "version is empty"
                : e.kinds.isEmpty ? "kinds is empty"
                : e.kinds.count != e.resources.count ? "has \(e.kinds.count) kinds but \(e.resources.count) resources; they pair up one to one"
                : e.resources.contains(where: { $0 != $0.lowercased() }) ? "resources must be lowercase plural REST names (\"ingresses\")"
                : e.removedIn == nil && e.deprecatedIn == nil ? "neither deprecatedIn nor removedIn is set"
                : nil
            if let problem { throw DataFileError(file: origin, problem: "apis[\(i)] (\(e.groupVersion)): \(problem)") }
        }
        return table
    }

    /// The entry of `group`/`version` that serves `resource` (plural, case-insensitive).
    public func entry(group: String, version: String, resource: String) -> Entry? {
        apis.first { $0.group == group && $0.version == version && $0.kind(resource: resource) != nil }
    }

    /// The entry for an object's `apiVersion` ("extensions/v1beta1"; "v1" is the core group) and `kind`.
    public func entry(apiVersion: String, kind: String) -> Entry? {
        let (group, version) = Self.split(apiVersion: apiVersion)
        return apis.first { $0.group == group && $0.version == version && $0.serves(kind: kind) }
    }

    /// "apps/v1" → ("apps", "v1"); "v1" → ("", "v1").
    public static func split(apiVersion: String) -> (group: String, version: String) {
        guard let slash = apiVersion.lastIndex(of: "/") else { return ("", apiVersion) }
        return (String(apiVersion[..<slash]), String(apiVersion[apiVersion.index(after: slash)...]))
    }
}
