import SkewCore

/// The risks that hold for the whole cluster (the control plane's end of life, CVEs in its components), said once:
/// named on the control-plane title line, explained in every node's details (`enter`), never repeated per row.
enum ClusterRiskSummary {
    static let hint = "enter: details"

    /// The title-line words that fit in `width`, most detailed first (CVE ids with their component, then the ids, then
    /// a count); nil when the cluster has no such risk. The last form may still need cutting on a very narrow screen.
    /// `removedAPIs`: API versions in use that the hop to the target removes (the details list them).
    static func headline(_ risks: [Risk], removedAPIs: Int = 0, width: Int, glyphs: Glyphs) -> StyledLine? {
        guard !risks.isEmpty || removedAPIs > 0 else { return nil }
        let eol = risks.filter { $0.kind == .eol }.map { Span("EOL" + ($0.minor.map { " \($0)" } ?? ""), VerdictStyle.style(.eol)) }
        let cves = risks.filter { $0.kind == .cve }
        let cveStyle = VerdictStyle.style(.cve)
        var others = risks.filter { $0.kind != .eol && $0.kind != .cve }.map { Span($0.kind.badge, VerdictStyle.style($0.kind)) }
        if removedAPIs > 0 {
            others.append(Span("\(removedAPIs) removed API\(removedAPIs == 1 ? "" : "s") in use", Style(.danger, bold: true)))
        }
        let counted = cves.isEmpty ? [] : [Span(cves.count > 1 ? "CVE×\(cves.count)" : "CVE", cveStyle)]
        let forms: [[Span]] = [
            eol + cves.map { Span(($0.id ?? "CVE") + ($0.component.map { " " + $0 } ?? ""), cveStyle) } + others,
            eol + cves.map { Span($0.id ?? "CVE", cveStyle) } + others,
            eol + counted + others,
        ]
        let lines = forms.map { words -> StyledLine in
            var line: StyledLine = [Span("cluster risk: ", Style(.danger, bold: true))]
            for (index, word) in words.enumerated() {
                if index > 0 { line.append(Span(" \(glyphs.separator) ", Style(.dim))) }
                line.append(word)
            }
            return line + [Span("  (\(hint))", Style(.dim))]
        }
        return lines.first { $0.width <= width } ?? lines.last
    }

    /// The heading of the details section: it says why these risks are not on the node's row.
    static let detailHeading = "Cluster-wide risks (the control plane's, not repeated on each row)"

    /// The details section: each cluster-wide risk (CVE id or badge) with its explanation wrapped to `width`.
    static func detailLines(_ risks: [Risk], width: Int) -> [StyledLine] {
        var out: [StyledLine] = []
        for risk in risks {
            let label = risk.id ?? (risk.kind.badge + (risk.minor.map { " \($0)" } ?? ""))
            out.append([Span("  " + label, VerdictStyle.style(risk.kind))])
            for line in WordWrap.lines(Sanitize.forScreen(risk.detail), width: max(10, width - 4)) {
                out.append([Span("    " + line)])
            }
        }
        return out
    }
}
