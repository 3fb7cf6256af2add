import Foundation
import SkewCore

extension APIFinding {
    /// What to use instead, with the release it became available in.
    var replacementText: String {
        guard let replacement else { return note.map { "none: \($0)" } ?? "none" }
        return replacement + (replacementAvailableIn.map { " (since \($0))" } ?? "")
    }

    /// The API, when it goes and what to use instead, on one line.
    var blockHeading: String { "\(apiVersion) \(kind): \(whenAndInstead)" }

    /// "removed in 1.22; use networking.k8s.io/v1 (since 1.19)".
    private var whenAndInstead: String {
        (severity == .removed ? "removed in \(removedIn.map(\.description) ?? "the target")" : "deprecated") + "; use \(replacementText)"
    }

    /// The blocker's line in a plan review: the API, when it goes, what to use, and who uses it.
    var blockerLine: String {
        "\(apiVersion) \(kind) \(whenAndInstead): " + evidence.map(\.operatorText).joined(separator: "; ")
    }
}

extension APIRemovalReport {
    /// The report as a table for people: one row per use, the API's columns on its first row.
    func table(width: Int, color: Bool) -> String {
        var out = ""
        let counts = "\(removed.count) removed · \(deprecated.count) deprecated"
        if findings.isEmpty {
            out += "API versions: none in use that \(to) removes or deprecates (hop \(from) → \(to))\n"
        } else {
            out += "API versions in use that the hop \(from) → \(to) removes or deprecates (\(counts)):\n"
            var rows: [[TextTable.Cell]] = []
            for f in findings {
                let severityColor = f.severity == .removed ? "31" : "33"
                for (i, e) in f.evidence.enumerated() {
                    if i == 0 {
                        rows.append([.init("\(f.apiVersion) \(f.kind)"),
                                     .init(f.severity == .removed ? "removed \(f.removedIn.map(\.description) ?? "?")" : "deprecated", color: severityColor),
                                     .init(f.replacementText), .init(e.operatorText)])
                    } else {
                        rows.append([.init(""), .init(""), .init(""), .init(e.operatorText)])
                    }
                }
            }
            let natural = (0..<4).map { c in rows.map { $0[c].text.count }.max() ?? 0 }.reduce(0, +) + 2 * 3
            if natural <= width {
                out += TextTable(columns: [.init(title: "API", priority: 0), .init(title: "STATUS", priority: 0),
                                           .init(title: "USE INSTEAD", priority: 2), .init(title: "WHO USES IT", priority: 0)],
                                 rows: rows).render(width: width, color: color)
            } else {
                // Too narrow for the table (80 columns, a pipe): what to use and who uses it would be cut, and they are
                // what the operator acts on. One block per API instead, every line whole.
                for f in findings {
                    out += TextTable.Cell.printable(f.blockHeading) + "\n"
                    for e in f.evidence { out += "  " + TextTable.Cell.printable(e.operatorText) + "\n" }
                }
            }
        }
        if !read.isEmpty { out += "read: " + read.joined(separator: " · ") + "\n" }
        for gap in gaps { out += "not checked: \(TextTable.Cell.printable(gap))\n" }
        return out
    }

    /// The `apiRemovals` object of `check -o json` and `apis -o json`.
    var jsonValue: JSONAPIRemovals {
        JSONAPIRemovals(
            from: from.description, to: to.description,
            findings: findings.map { f in
                .init(apiVersion: f.apiVersion, kind: f.kind, severity: f.severity.rawValue,
                      removedIn: f.removedIn?.description, deprecatedIn: f.deprecatedIn?.description,
                      replacement: f.replacement, replacementAvailableIn: f.replacementAvailableIn?.description, note: f.note,
                      evidence: f.evidence.map(JSONAPIRemovals.Evidence.init))
            },
            read: read, notChecked: gaps)
    }

    /// 2 when an API the hop removes is still in use (the blocker CI must see), else 0.
    var exitStatus: Int32 { removed.isEmpty ? 0 : 2 }
}

/// JSON form of the API-removal findings; a contract with CI scripts (see README).
struct JSONAPIRemovals: Encodable {
    struct Finding: Encodable {
        let apiVersion: String
        let kind: String
        let severity: String
        let removedIn: String?
        let deprecatedIn: String?
        let replacement: String?
        let replacementAvailableIn: String?
        let note: String?
        let evidence: [Evidence]
    }

    /// Where a use was seen: `metrics` (apiserver), `last-applied` (kind, namespace, name), `helm` (release,
    /// revision, kind, name) or `warning` (text).
    struct Evidence: Encodable {
        let source: String
        var apiserver: String? = nil
        var kind: String? = nil
        var namespace: String? = nil
        var name: String? = nil
        var release: String? = nil
        var revision: Int? = nil
        var text: String? = nil

        init(_ evidence: APIEvidence) {
            switch evidence {
            case .requested(let apiserver):
                source = "metrics"; self.apiserver = apiserver
            case .lastApplied(let kind, let namespace, let name):
                source = "last-applied"; self.kind = kind; self.namespace = namespace; self.name = name
            case .helmRelease(let namespace, let release, let revision, let kind, let name):
                source = "helm"; self.namespace = namespace; self.release = release; self.revision = revision
                self.kind = kind; self.name = name
            case .warning(let text):
                source = "warning"; self.text = text
            }
        }
    }

    let from: String
    let to: String
    let findings: [Finding]
    let read: [String]
    let notChecked: [String]
}
