/// The kinds of risk kubeskew badges, beyond the skew verdict.
public enum RiskKind: String, Sendable, Codable, CaseIterable {
    case cve
    case eol
    case drainRequired = "drain-required"
    case blocksCPUpgrade = "blocks-cp-upgrade"
    case managed
    case kubeadmMismatch = "kubeadm-mismatch"

    /// Short text for a table badge.
    public var badge: String {
        switch self {
        case .cve: return "CVE"
        case .eol: return "EOL"
        case .drainRequired: return "drain"
        case .blocksCPUpgrade: return "blocks-cp"
        case .managed: return "managed"
        case .kubeadmMismatch: return "kubeadm≠"
        }
    }
}

/// One risk found on a node or the control plane, explained in words.
public struct Risk: Sendable, Equatable, Codable {
    public let kind: RiskKind
    /// The CVE id for `cve`.
    public let id: String?
    /// The component the risk is about (`kubelet`, `kube-apiserver`, …).
    public let component: String?
    /// The first version that removes the risk, when one exists.
    public let fixedIn: KubeVersion?
    /// The minor line an `eol` risk is about, so that a summary can name it without reading the detail.
    public let minor: MinorLine?
    public let detail: String

    public init(kind: RiskKind, id: String? = nil, component: String? = nil, fixedIn: KubeVersion? = nil, minor: MinorLine? = nil,
                detail: String) {
        self.kind = kind
        self.id = id
        self.component = component
        self.fixedIn = fixedIn
        self.minor = minor
        self.detail = detail
    }
}
