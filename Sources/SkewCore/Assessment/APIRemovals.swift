/// Where a use of an API version was seen.
public enum APIEvidence: Sendable, Hashable {
    /// The `apiserver_requested_deprecated_apis` series on that apiserver instance.
    case requested(apiserver: String)
    /// An object's `kubectl.kubernetes.io/last-applied-configuration` names the version.
    case lastApplied(kind: String, namespace: String?, name: String)
    /// A Helm release's stored manifest names the version.
    case helmRelease(namespace: String, release: String, revision: Int, kind: String, name: String)
    /// A Warning header kubeskew received.
    case warning(text: String)

    /// Evidence that the apiserver itself reported (it only reports deprecated versions).
    var isFromServer: Bool {
        switch self {
        case .requested, .warning: true
        case .lastApplied, .helmRelease: false
        }
    }

    /// A total order for listing evidence stably: by kind of evidence, then by its fields.
    static func ordered(_ a: APIEvidence, _ b: APIEvidence) -> Bool {
        let (ra, fa, na) = a.sortKey, (rb, fb, nb) = b.sortKey
        if ra != rb { return ra < rb }
        if fa != fb { return fa.lexicographicallyPrecedes(fb) }
        return na < nb
    }

    private var sortKey: (Int, [String], Int) {
        switch self {
        case .requested(let apiserver): (0, [apiserver], 0)
        case .lastApplied(let kind, let namespace, let name): (1, [namespace ?? "", kind, name], 0)
        case .helmRelease(let namespace, let release, let revision, let kind, let name): (2, [namespace, release, kind, name], revision)
        case .warning(let text): (3, [text], 0)
        }
    }
}

/// One use of an API group/version, from one piece of evidence.
public struct APIUse: Sendable, Hashable {
    /// "" for the core group.
    public let group: String
    public let version: String
    /// The plural REST resource (the metric names resources, not kinds).
    public let resource: String?
    public let kind: String?
    /// The metric's `removed_release` label, when the evidence is the metric.
    public let removedRelease: MinorLine?
    public let evidence: APIEvidence

    public init(group: String, version: String, resource: String? = nil, kind: String? = nil,
                removedRelease: MinorLine? = nil, evidence: APIEvidence) {
        self.group = group
        self.version = version
        self.resource = resource
        self.kind = kind
        self.removedRelease = removedRelease
        self.evidence = evidence
    }
}

/// What a minor hop does to an API version still in use.
public struct APIFinding: Sendable, Equatable {
    /// `removed` blocks the hop; `deprecated` is a warning.
    public enum Severity: String, Sendable { case removed, deprecated }

    public let group: String
    public let version: String
    /// The kind, else the resource name when the table does not know the resource.
    public let kind: String
    public let severity: Severity
    public let removedIn: MinorLine?
    public let deprecatedIn: MinorLine?
    public let replacement: String?
    public let replacementAvailableIn: MinorLine?
    public let note: String?
    /// Sorted, deduplicated.
    public let evidence: [APIEvidence]

    public init(group: String, version: String, kind: String, severity: Severity, removedIn: MinorLine?,
                deprecatedIn: MinorLine?, replacement: String?, replacementAvailableIn: MinorLine?, note: String?,
                evidence: [APIEvidence]) {
        self.group = group
        self.version = version
        self.kind = kind
        self.severity = severity
        self.removedIn = removedIn
        self.deprecatedIn = deprecatedIn
        self.replacement = replacement
        self.replacementAvailableIn = replacementAvailableIn
        self.note = note
        self.evidence = evidence
    }

    /// "extensions/v1beta1", or "v1" for core.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// One line for an operator: "extensions/v1beta1 Ingress: removed in 1.22; use networking.k8s.io/v1 (since 1.19)".
    public var summary: String {
        var what: String
        switch severity {
        case .removed:
            what = removedIn.map { "removed in \($0)" } ?? "removed"
        case .deprecated:
            what = deprecatedIn.map { "deprecated in \($0)" } ?? "deprecated"
            what += removedIn.map { ", removed in \($0)" } ?? ", still served"
        }
        let fix: String
        if let replacement {
            fix = "use \(replacement)" + (replacementAvailableIn.map { " (since \($0))" } ?? "")
        } else {
            // Without a replacement API the note is the only way forward (PodSecurityPolicy).
            fix = note ?? "no replacement API"
        }
        return "\(apiVersion) \(kind): \(what); \(fix)"
    }
}

/// Findings of the API removals between the control plane's minor and the target's.
public enum APIRemovals {
    /// One finding per (group, version, kind) still in use that the hop to `target` removes or that is deprecated by
    /// then; nothing when the minor does not change, since the API server serves the same versions.
    public static func assess(_ uses: [APIUse], table: RemovedAPIs, from current: KubeVersion, to target: KubeVersion) -> [APIFinding] {
        let targetMinor = MinorLine(target)
        guard targetMinor > MinorLine(current) else { return [] }

        struct Key: Hashable { let group: String, version: String, kind: String }
        struct Pending {
            var severity: APIFinding.Severity
            let entry: RemovedAPIs.Entry?
            var removedIn: MinorLine?
            var evidence: Set<APIEvidence>
        }
        var pending: [Key: Pending] = [:]
        var order: [Key] = []

        for use in uses {
            let entry = lookup(use, in: table)
            let kind = use.kind ?? use.resource.flatMap { entry?.kind(resource: $0) } ?? use.resource ?? "(unknown kind)"
            // The table wins over the metric's label: the label is what that apiserver's build believed.
            let removal = entry?.removedIn ?? use.removedRelease
            let severity: APIFinding.Severity
            if let removal, removal <= targetMinor {
                // Includes versions removed before the current minor: a stored manifest re-applied fails on the target too.
                severity = .removed
            } else if entry?.deprecatedIn.map({ $0 <= targetMinor }) == true || use.evidence.isFromServer {
                // The metric and Warning headers are only emitted for deprecated versions.
                severity = .deprecated
            } else {
                continue
            }
            let key = Key(group: use.group, version: use.version, kind: entry?.kinds.first { $0.caseInsensitiveCompare(kind) == .orderedSame } ?? kind)
            if var p = pending[key] {
                if severity == .removed { p.severity = .removed }
                p.removedIn = p.removedIn ?? removal
                p.evidence.insert(use.evidence)
                pending[key] = p
            } else {
                pending[key] = Pending(severity: severity, entry: entry, removedIn: removal, evidence: [use.evidence])
                order.append(key)
            }
        }

        let findings = order.map { key in
            let p = pending[key]!
            return APIFinding(group: key.group, version: key.version, kind: key.kind, severity: p.severity, removedIn: p.removedIn,
                              deprecatedIn: p.entry?.deprecatedIn, replacement: p.entry?.replacement,
                              replacementAvailableIn: p.entry?.replacementAvailableIn, note: p.entry?.note,
                              evidence: p.evidence.sorted(by: APIEvidence.ordered))
        }
        return findings.sorted(by: ordered)
    }

    private static func lookup(_ use: APIUse, in table: RemovedAPIs) -> RemovedAPIs.Entry? {
        let apiVersion = use.group.isEmpty ? use.version : "\(use.group)/\(use.version)"
        if let kind = use.kind, let e = table.entry(apiVersion: apiVersion, kind: kind) { return e }
        if let resource = use.resource { return table.entry(group: use.group, version: use.version, resource: resource) }
        return nil
    }

    /// Removed first, then by release of removal (unknown last), group, version, kind.
    private static func ordered(_ a: APIFinding, _ b: APIFinding) -> Bool {
        if a.severity != b.severity { return a.severity == .removed }
        if a.removedIn != b.removedIn {
            guard let ra = a.removedIn else { return false }
            guard let rb = b.removedIn else { return true }
            return ra < rb
        }
        return (a.group, a.version, a.kind) < (b.group, b.version, b.kind)
    }
}

extension APIEvidence {
    /// Who uses the API, in an operator's words: the object or release to fix, or the API server that saw a client.
    public var operatorText: String {
        switch self {
        case .requested(let apiserver):
            return "a client called it (apiserver_requested_deprecated_apis on \(apiserver))"
        case .lastApplied(let kind, let namespace, let name):
            return "last applied: \(kind) \(namespace.map { "\($0)/" } ?? "")\(name)"
        case .helmRelease(let namespace, let release, let revision, let kind, let name):
            return "Helm release \(namespace)/\(release) (revision \(revision)): \(kind) \(name)"
        case .warning(let text):
            return "the API server warned kubeskew: \(text)"
        }
    }
}
