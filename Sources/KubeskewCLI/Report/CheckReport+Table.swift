import KubeModel
import SkewCore

extension CheckReport {
    /// SGR colour of a verdict; the verdict is always written out too, so colour is never the only signal.
    static func color(of verdict: Verdict) -> String {
        switch verdict {
        case .current: return "32"
        case .patchBehind, .minorBehind: return "33"
        case .unknown: return "35"
        default: return "31"
        }
    }

    /// The report for people: header line, control plane, nodes, then findings with their reasons.
    func table(width: Int, color: Bool) -> String {
        let cp = assessment.controlPlane
        var out = ""
        let api = cp.apiservers.isEmpty ? "?" : cp.apiservers.map(\.description).joined(separator: ", ")
        var header = ["API server \(api)"]
        if let k = cp.kubeadmClusterVersion { header.append("kubeadm cluster \(k)") }
        header.append("target \(assessment.target?.description ?? "?")" + (assessment.targetSource.map { " (\(Self.sourceText($0)))" } ?? ""))
        let c = assessment.counts
        header.append("\(assessment.nodes.count) node\(assessment.nodes.count == 1 ? "" : "s"): \(c[.current] ?? 0) current · \(c[.behind] ?? 0) behind · \(c[.unsupported] ?? 0) unsupported · \(c[.unknown] ?? 0) unknown")
        // The header wraps between its parts rather than overflowing the width.
        var line = ""
        for part in header {
            if !line.isEmpty && line.count + 3 + part.count > width {
                out += line + "\n"
                line = ""
            }
            line += (line.isEmpty ? "" : " · ") + part
        }
        out += line + "\n"
        for note in assessment.notes { out += "note: \(note)\n" }
        out += "\n"

        if !cp.components.isEmpty {
            let rows: [[TextTable.Cell]] = cp.components.map { comp in
                let verdict = comp.judgement.map { $0.verdict == .current && comp.name == "kube-apiserver" ? cp.verdict.rawValue : $0.verdict.rawValue } ?? "-"
                return [
                    .init(comp.name), .init(comp.node ?? "-"), .init(comp.raw),
                    .init(verdict, color: comp.judgement.map { Self.color(of: $0.verdict) }),
                ]
            }
            out += TextTable(columns: [.init(title: "CONTROL PLANE", priority: 0), .init(title: "NODE", priority: 2),
                                       .init(title: "VERSION", priority: 0), .init(title: "VERDICT", priority: 0)],
                             rows: rows).render(width: width, color: color)
            out += "\n"
        }

        let byName = nodesByName
        let showKubeadm = assessment.nodes.contains { $0.kubeadm != nil } || !snapshot.kubeadmProbes.isEmpty
        var columns: [TextTable.Column] = [.init(title: "NAME", priority: 0, minWidth: 24), .init(title: "ROLE", priority: 4),
                                           .init(title: "KUBELET", priority: 1), .init(title: "PROXY", priority: 3)]
        if showKubeadm { columns.append(.init(title: "KUBEADM", priority: 1)) }
        columns += [.init(title: "VERDICT", priority: 0), .init(title: "RISKS", priority: 2)]
        let rows: [[TextTable.Cell]] = assessment.nodes.map { n in
            var row: [TextTable.Cell] = [
                .init(n.name), .init(Self.role(byName[n.name])), .init(Self.shown(n.kubelet)),
                .init(n.kubeProxy.map(Self.shown) ?? "-"),
            ]
            if showKubeadm {
                row.append(.init(n.kubeadm.map(Self.shown) ?? snapshot.kubeadmProbes[n.name]?.cellWithoutVersion ?? "?",
                                 color: n.kubeadm.map { Self.color(of: $0.verdict) }))
            }
            row.append(.init(n.verdict.rawValue, color: Self.color(of: n.verdict)))
            row.append(.init(Self.badges(n.risks)))
            return row
        }
        out += TextTable(columns: columns, rows: rows).render(width: width, color: color)

        let findings = findingLines()
        if !findings.isEmpty {
            let pad = findings.map(\.subject.count).max() ?? 0
            out += "\n" + findings.map { f in
                f.subject + String(repeating: " ", count: pad - f.subject.count) + "  " + f.text
            }.joined(separator: "\n") + "\n"
        }
        if let apiRemovals { out += "\n" + apiRemovals.table(width: width, color: color) }
        return out
    }

    /// Where the target came from, in the header's words.
    static func sourceText(_ source: TargetSource) -> String {
        switch source {
        case .kubeadmConfig: return "kubeadm-config"
        case .newestAPIServer: return "newest kube-apiserver"
        case .explicit: return "--target"
        case .latestPatch: return "latest patch"
        case .nextMinor: return "next minor"
        }
    }

    /// The control-plane nodes to upgrade before any worker, one line each, in order.
    static func pendingLines(_ cp: ControlPlaneAssessment) -> [(subject: String, text: String)] {
        cp.pendingUpgrade.enumerated().map { i, p in
            let order = i == 0 ? "first" : "then"
            return ("control plane", "\(order) upgrade \(TextTable.Cell.printable(p.node)) \(p.from) → \(p.to): `\(p.command)` on \(TextTable.Cell.printable(p.node))"
                + (i == cp.pendingUpgrade.count - 1 ? "; then the workers" : ""))
        }
    }

    static func shown(_ c: ComponentAssessment) -> String { c.version?.description ?? "?" }

    /// Risk badges, one per kind (CVEs counted).
    static func badges(_ risks: [Risk]) -> String {
        var out: [String] = []
        for kind in RiskKind.allCases {
            let n = risks.filter { $0.kind == kind }.count
            guard n > 0 else { continue }
            out.append(kind == .cve && n > 1 ? "\(n)×CVE" : kind.badge)
        }
        return out.joined(separator: " ")
    }

    /// One block per node that is not current or has risks, and one for the control plane's risks.
    func findingLines() -> [(subject: String, text: String)] {
        var lines: [(subject: String, text: String)] = []
        let cp = assessment.controlPlane
        // Before anything else: no worker may pass the control plane, so its unfinished nodes come first.
        lines += Self.pendingLines(cp)
        if let j = cp.judgement, cp.verdict != .supported { lines.append(("control plane", "\(cp.verdict.rawValue): \(j.reason)")) }
        for comp in cp.components {
            if let j = comp.judgement, !j.verdict.isSupported { lines.append(("control plane", "\(comp.name) \(j.verdict.rawValue): \(j.reason)")) }
        }
        for r in cp.risks { lines.append(("control plane", "\(r.kind.rawValue): \(r.detail)")) }
        for n in assessment.nodes {
            if n.kubeadm == nil, case .failed(_, let reason, _)? = snapshot.kubeadmProbes[n.name] {
                lines.append((TextTable.Cell.printable(n.name), "kubeadm not read: \(TextTable.Cell.printable(reason))"))
            }
        }
        for n in assessment.nodes where n.verdict != .current || !n.risks.isEmpty || (n.kubeadm.map { $0.verdict != .current } ?? false) {
            let name = TextTable.Cell.printable(n.name)
            for (label, c) in [("kubelet", n.kubelet), ("kube-proxy", n.kubeProxy), ("kubeadm", n.kubeadm)] {
                guard let c, c.verdict != .current else { continue }
                lines.append((name, "\(label) \(c.verdict.rawValue): \(c.judgement.reason)"))
            }
            for r in n.risks where r.kind != .drainRequired { lines.append((name, "\(r.kind.rawValue): \(r.detail)")) }
            if !n.hops.isEmpty {
                let path = n.hops.map(\.version.description).joined(separator: " → ")
                let after = n.pathProblem?.isControlPlaneFirst == true ? ", after the control plane (\(n.pathProblem!))" : ""
                lines.append((name, "upgrade: \(path)" + (n.hops.contains(where: \.changesMinor) ? " (minor upgrade: drain first)" : "") + after))
            } else if let p = n.pathProblem, n.verdict != .current {
                lines.append((name, "cannot upgrade: \(p)"))
            }
        }
        return lines
    }
}
