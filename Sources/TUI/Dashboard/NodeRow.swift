import KubeModel
import SkewCore

/// One node as the table shows it, built once per snapshot so that frames only copy strings.
public struct NodeRow: Sendable, Equatable {
    public var name: String
    public var role: String
    public var isControlPlane: Bool
    public var ready: String
    public var cordoned: Bool
    public var kubelet: String
    public var kubeletVersion: KubeVersion?
    public var kubeletVerdict: Verdict
    /// The kubeadm version, else where its probe stands (`probing…`, why it failed), else `?` (never asked).
    public var kubeadm: String
    public var kubeadmVerdict: Verdict?
    /// True when `kubeadm` is a version the node reported (not a probe's state).
    public var kubeadmIsVersion: Bool
    /// The probe failed: the cell says why in a few words.
    public var kubeadmProbeFailed: Bool
    public var kubeProxy: String
    public var kubeProxyVerdict: Verdict?
    public var runtime: String
    public var os: String
    public var verdict: Verdict
    public var bucket: SummaryBucket
    public var riskBadges: [(kind: RiskKind, count: Int)]
    /// Lower-cased text the filter searches (name, role, versions, verdict, badges).
    public var searchText: String

    public static func == (a: NodeRow, b: NodeRow) -> Bool {
        a.name == b.name && a.role == b.role && a.ready == b.ready && a.cordoned == b.cordoned && a.kubelet == b.kubelet
            && a.kubeadm == b.kubeadm && a.kubeadmProbeFailed == b.kubeadmProbeFailed && a.kubeProxy == b.kubeProxy && a.verdict == b.verdict
            && a.riskBadges.map(\.kind) == b.riskBadges.map(\.kind) && a.riskBadges.map(\.count) == b.riskBadges.map(\.count)
    }

    /// The row for a node, its assessment and its kubeadm probe; every string from the cluster is sanitized here.
    public init(node: Node?, assessment: NodeAssessment, kubeadmProbe: KubeadmProbeStatus? = nil) {
        name = Sanitize.forScreen(assessment.name)
        isControlPlane = assessment.isControlPlane
        let roles = node?.roles ?? []
        if assessment.isControlPlane {
            role = "control"
        } else if let first = roles.first {
            role = Sanitize.forScreen(first)
        } else {
            role = "worker"
        }
        // As kubectl prints it: Ready=Unknown (the kubelet stopped reporting) is NotReady too; no condition at all
        // is Unknown.
        switch node?.readyStatus {
        case "True": ready = "Ready"
        case nil: ready = "Unknown"
        default: ready = "NotReady"
        }
        cordoned = node?.isUnschedulable ?? false
        kubelet = Self.display(assessment.kubelet)
        kubeletVersion = assessment.kubelet.version
        kubeletVerdict = assessment.kubelet.verdict
        kubeadmVerdict = assessment.kubeadm?.verdict
        kubeadmIsVersion = assessment.kubeadm != nil
        kubeadmProbeFailed = false
        if let component = assessment.kubeadm {
            kubeadm = Self.display(component)
        } else {
            kubeadm = Sanitize.forScreen(kubeadmProbe?.cellWithoutVersion ?? "?")
            if case .failed? = kubeadmProbe { kubeadmProbeFailed = true }
        }
        kubeProxy = assessment.kubeProxy.map(Self.display) ?? "-"
        kubeProxyVerdict = assessment.kubeProxy?.verdict
        runtime = Sanitize.forScreen(node?.nodeInfo?.containerRuntimeVersion ?? "")
        os = Sanitize.forScreen(node?.nodeInfo?.osImage ?? "")
        verdict = assessment.verdict
        bucket = assessment.bucket
        var badges: [(kind: RiskKind, count: Int)] = []
        for risk in assessment.risks {
            if let index = badges.firstIndex(where: { $0.kind == risk.kind }) {
                badges[index].count += 1
            } else {
                badges.append((risk.kind, 1))
            }
        }
        riskBadges = badges
        searchText = ([name, role, ready, cordoned ? "cordoned" : "", kubelet, kubeadm, kubeProxy, verdict.rawValue]
            + badges.map { $0.kind.badge }).joined(separator: " ").lowercased()
    }

    /// The version as written when it parsed, else the raw text, else `-`.
    private static func display(_ component: ComponentAssessment) -> String {
        if let version = component.version { return version.description }
        if let raw = component.raw, !raw.isEmpty { return Sanitize.forScreen(raw) }
        return "-"
    }

    /// The status column: Ready / NotReady / Unknown, with `,cordoned` when unschedulable.
    public var statusText: String { cordoned ? ready + ",cordoned" : ready }

    /// The risk badges as words (`CVE×2 EOL drain`).
    public var riskText: String {
        riskBadges.map { $0.count > 1 ? "\($0.kind.badge)×\($0.count)" : $0.kind.badge }.joined(separator: " ")
    }
}
