import Foundation
import SkewCore

/// The fleet check's result in `check`'s two forms: JSON for CI (a contract, see README) and a table for people.
struct FleetReport {
    let clusters: [FleetCluster]

    /// The worst over the clusters, on `check`'s scale (2 above 3 above 0).
    var exitStatus: Int32 {
        let statuses = clusters.map(\.exitStatus)
        if statuses.contains(2) { return 2 }
        return statuses.contains(3) ? 3 : 0
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        // Sorted: the same report twice is the same text (JSONEncoder otherwise orders keys by a per-process hash).
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let doc = FleetJSON(clusters: clusters.map(FleetJSON.Cluster.init), exitStatus: exitStatus)
        return String(decoding: try encoder.encode(doc), as: UTF8.self) + "\n"
    }

    /// One row per context, then each error in full (the row has only its reason), then the verdict.
    func table(width: Int, color: Bool) -> String {
        let columns: [TextTable.Column] = [
            .init(title: "CONTEXT", priority: 0, minWidth: 12), .init(title: "SERVER", priority: 5, minWidth: 16),
            .init(title: "CONTROL PLANE", priority: 0), .init(title: "TARGET", priority: 2), .init(title: "END OF LIFE", priority: 3),
            .init(title: "CVES", priority: 4), .init(title: "NODES", priority: 1, minWidth: 16), .init(title: "STATUS", priority: 0),
        ]
        let rows: [[TextTable.Cell]] = clusters.map { c in
            let a = c.assessment
            let eol = c.endOfLife.map { $0.past ? "\($0.date) (past)" : $0.date } ?? "-"
            return [
                .init(c.context), .init(c.server ?? "-"),
                .init(a.map { $0.controlPlane.apiservers.isEmpty ? "?" : $0.controlPlane.apiservers.map(\.description).joined(separator: ", ") } ?? "-"),
                .init(a?.target?.description ?? "-"), .init(eol, color: c.endOfLife?.past == true ? "31" : nil),
                .init(c.cves.map(String.init) ?? "-"), .init(a.map(Self.nodes) ?? "-"),
                .init(Self.status(c), color: Self.color(c.exitStatus)),
            ]
        }
        var out = TextTable(columns: columns, rows: rows).render(width: width, color: color)
        let errors = clusters.compactMap { c in c.error.map { (TextTable.Cell.printable(c.context), TextTable.Cell.printable($0)) } }
        if !errors.isEmpty {
            let pad = errors.map(\.0.count).max() ?? 0
            out += "\n" + errors.map { $0.0 + String(repeating: " ", count: pad - $0.0.count) + "  " + $0.1 }.joined(separator: "\n") + "\n"
        }
        let n = clusters.count
        let read = clusters.filter(\.reachable).count
        out += "\n\(n) cluster\(n == 1 ? "" : "s"), \(read) read" + (read < n ? ", \(n - read) not (counted as exit 2)" : "") + "; exit \(exitStatus)\n"
        return out
    }

    /// The NODES cell: the buckets that have nodes, in `check`'s header words (`3 current · 6 behind · 1 unsupported`).
    static func nodes(_ a: ClusterAssessment) -> String {
        let parts = SummaryBucket.allCases.compactMap { b in (a.counts[b] ?? 0) > 0 ? "\(a.counts[b] ?? 0) \(b.rawValue)" : nil }
        return parts.isEmpty ? "no nodes" : parts.joined(separator: " · ")
    }

    /// The STATUS cell: what the exit status means for this cluster, or why it was not read.
    static func status(_ c: FleetCluster) -> String {
        if let f = c.failure { return "unreachable: \(f.reason)" }
        if c.problem != nil { return "not judged" }
        switch c.exitStatus {
        case 0: return "current"
        case 3: return "behind"
        default: return "unsupported"
        }
    }

    static func color(_ status: Int32) -> String {
        switch status {
        case 0: return "32"
        case 3: return "33"
        default: return "31"
        }
    }
}

/// `check --all-contexts -o json`: the single-cluster document's words (controlPlane.apiservers, target, summary,
/// exitStatus) for each cluster; keys of what was not read are present as null.
private struct FleetJSON: Encodable {
    struct Cluster: Encodable {
        struct ControlPlane: Encodable {
            let apiservers: [String]
            let verdict: String
        }

        struct EndOfLife: Encodable {
            let minor: String
            let date: String
            let past: Bool
        }

        let context: String
        let server: String?
        let reachable: Bool
        let error: String?
        let controlPlane: ControlPlane?
        let target: String?
        let targetSource: String?
        let eol: EndOfLife?
        let cves: Int?
        let summary: [String: Int]?
        let exitStatus: Int32

        init(_ c: FleetCluster) {
            context = c.context
            server = c.server
            reachable = c.reachable
            error = c.error
            let a = c.assessment
            controlPlane = a.map { .init(apiservers: $0.controlPlane.apiservers.map(\.description), verdict: $0.controlPlane.verdict.rawValue) }
            target = a?.target?.description
            targetSource = a?.targetSource?.rawValue
            eol = c.endOfLife.map { .init(minor: $0.minor, date: $0.date, past: $0.past) }
            cves = c.cves
            summary = a.map { a in Dictionary(uniqueKeysWithValues: SummaryBucket.allCases.map { ($0.rawValue, a.counts[$0] ?? 0) }) }
            exitStatus = c.exitStatus
        }

        func encode(to encoder: any Encoder) throws {
            var k = encoder.container(keyedBy: CodingKeys.self)
            try k.encode(context, forKey: .context)
            try k.encode(server, forKey: .server)
            try k.encode(reachable, forKey: .reachable)
            try k.encodeIfPresent(error, forKey: .error)
            try k.encode(controlPlane, forKey: .controlPlane)
            try k.encode(target, forKey: .target)
            try k.encode(targetSource, forKey: .targetSource)
            try k.encode(eol, forKey: .eol)
            try k.encode(cves, forKey: .cves)
            try k.encode(summary, forKey: .summary)
            try k.encode(exitStatus, forKey: .exitStatus)
        }

        enum CodingKeys: String, CodingKey { case context, server, reachable, error, controlPlane, target, targetSource, eol, cves, summary, exitStatus }
    }

    let clusters: [Cluster]
    let exitStatus: Int32
}
