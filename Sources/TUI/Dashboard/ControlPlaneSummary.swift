import SkewCore

/// The control-plane rows: one entry per component kind, with its versions and verdict.
enum ControlPlaneSummary {
    struct Entry: Equatable {
        var label: String
        var versions: String
        var verdict: String
        var style: Style
    }

    static let kinds: [(name: String, label: String)] = [
        ("kube-apiserver", "apiserver"), ("kube-controller-manager", "controller-manager"),
        ("kube-scheduler", "scheduler"), ("etcd", "etcd"), ("kube-proxy", "kube-proxy"), ("coredns", "coredns"),
    ]

    static func entries(_ data: DashboardData?) -> [Entry] {
        guard let data else {
            return kinds.map { Entry(label: $0.label, versions: "…", verdict: "", style: Style(.dim)) }
        }
        let cp = data.assessment.controlPlane
        return kinds.map { kind in
            let instances = cp.components.filter { $0.name == kind.name }
            var versions = distinct(instances.map { $0.version?.description ?? Sanitize.forScreen($0.raw) })
            if kind.name == "kube-apiserver" {
                if versions.isEmpty { versions = distinct(cp.apiservers.map(\.description)) }
                let verdict = cp.verdict == .supported ? "supported" : cp.verdict.rawValue
                let style = cp.verdict == .supported ? Style(.ok) : Style(.danger, bold: true)
                return Entry(label: kind.label, versions: versions.isEmpty ? "?" : versions.joined(separator: ","),
                             verdict: versions.isEmpty ? "unknown" : verdict, style: versions.isEmpty ? Style(.dim) : style)
            }
            guard !instances.isEmpty else {
                return Entry(label: kind.label, versions: "-", verdict: "not seen", style: Style(.dim))
            }
            let judged = instances.compactMap(\.judgement)
            guard let worst = judged.min(by: { $0.verdict.severityRank < $1.verdict.severityRank }) else {
                return Entry(label: kind.label, versions: versions.joined(separator: ","), verdict: "", style: .plain)
            }
            return Entry(label: kind.label, versions: versions.joined(separator: ","), verdict: worst.verdict.rawValue,
                         style: VerdictStyle.style(worst.verdict))
        }
    }

    /// The control-plane title line's words when control-plane nodes still need their upgrade: which, with which
    /// command, before any worker; nil when none does.
    static func pendingHeadline(_ pending: [PendingControlPlaneUpgrade], glyphs: Glyphs) -> StyledLine? {
        guard !pending.isEmpty else { return nil }
        var line: StyledLine = [Span("upgrade first: ", Style(.danger, bold: true))]
        for (index, p) in pending.enumerated() {
            if index > 0 { line.append(Span(" \(glyphs.separator) ", Style(.dim))) }
            line += [Span(Sanitize.forScreen(p.node), Style(.normal, bold: true)),
                     Span(" \(p.from) \(glyphs == .unicode ? "→" : "->") \(p.to) ", Style(.dim)),
                     Span(p.command, Style(.accent, bold: true))]
        }
        return line + [Span("  then the workers", Style(.dim))]
    }

    private static func distinct(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }
}
