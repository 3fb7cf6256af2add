/// The skew verdict of one component against the API server(s); one vocabulary for screen, JSON and tests.
public enum Verdict: String, Sendable, Codable, CaseIterable {
    case current
    case patchBehind = "patch-behind"
    case minorBehind = "minor-behind"
    case tooOld = "too-old"
    case newerThanAPIServer = "newer-than-apiserver"
    case kubeletSkew = "kubelet-skew"
    case majorMismatch = "major-mismatch"
    case unknown

    /// `current`, `patch-behind` and `minor-behind` are inside the official policy; the rest are not.
    public var isSupported: Bool {
        switch self {
        case .current, .patchBehind, .minorBehind: return true
        default: return false
        }
    }

    /// Behind, but still inside the policy.
    public var isBehind: Bool { self == .patchBehind || self == .minorBehind }

    /// Sort rank, worst first.
    public var severityRank: Int {
        switch self {
        case .majorMismatch: return 0
        case .newerThanAPIServer: return 1
        case .tooOld: return 2
        case .kubeletSkew: return 3
        case .unknown: return 4
        case .minorBehind: return 5
        case .patchBehind: return 6
        case .current: return 7
        }
    }
}

/// A verdict with the reason in words and the policy sentence behind it.
public struct Judgement: Sendable, Equatable, Codable {
    public let verdict: Verdict
    public let reason: String
    public let policy: String?

    public init(_ verdict: Verdict, _ reason: String, policy: String? = nil) {
        self.verdict = verdict
        self.reason = reason
        self.policy = policy
    }
}
