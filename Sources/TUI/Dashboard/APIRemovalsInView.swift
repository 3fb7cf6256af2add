import SkewCore

/// The API versions the hop to the target removes or deprecates that are still in use, as last read for the
/// dashboard (in the background: a scan reads /metrics, Helm releases and objects), and what could not be read.
public struct APIRemovalsInView: Sendable, Equatable {
    public let from: MinorLine
    public let to: MinorLine
    public let findings: [APIFinding]
    public let gaps: [String]

    public init(from: MinorLine, to: MinorLine, findings: [APIFinding], gaps: [String]) {
        self.from = from
        self.to = to
        self.findings = findings
        self.gaps = gaps
    }

    /// How many API versions in use the hop removes (blockers of the cluster plan).
    public var removedCount: Int { findings.filter { $0.severity == .removed }.count }

    /// The details section's heading.
    var heading: String { "API versions in use that the hop \(from) → \(to) removes or deprecates" }

    /// The details section: each API with what to use instead, then who uses it; then what was not checked.
    func detailLines(width: Int) -> [StyledLine] {
        var out: [StyledLine] = []
        func wrapped(_ text: String, indent: Int, style: Style = .plain) {
            for line in WordWrap.lines(Sanitize.forScreen(text), width: max(10, width - indent)) {
                out.append([Span(String(repeating: " ", count: indent) + line, style)])
            }
        }
        if findings.isEmpty { out.append([Span("  none found", Style(.ok))]) }
        for finding in findings {
            let style = finding.severity == .removed ? Style(.danger, bold: true) : Style(.warning, bold: true)
            out.append([Span("  " + Sanitize.forScreen("\(finding.apiVersion) \(finding.kind)"), style)])
            wrapped(finding.summary, indent: 4)
            for evidence in finding.evidence { wrapped(evidence.operatorText, indent: 4, style: Style(.dim)) }
        }
        for gap in gaps { wrapped("not checked: \(gap)", indent: 2, style: Style(.warning)) }
        return out
    }
}
