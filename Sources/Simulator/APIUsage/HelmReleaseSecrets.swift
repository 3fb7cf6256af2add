import CompressNIO
import Foundation
import NIOCore

/// Helm 3's storage of a release (helm v3 pkg/storage/driver/secrets.go, util.go): one Secret per revision named
/// `sh.helm.release.v1.<name>.v<revision>`, type `helm.sh/release.v1`, labels name, owner=helm, status, version
/// (plus createdAt and modifiedAt), and `data.release` = base64(gzip(release JSON)), which the API then
/// base64-encodes once more as every Secret's data.
enum HelmReleaseSecrets {
    static let statuses = ["unknown", "deployed", "uninstalled", "superseded", "failed", "uninstalling", "pending-install",
                           "pending-upgrade", "pending-rollback"]
    /// Helm's default `--history-max`: older revisions are pruned.
    static let historyMax = 10

    /// The Secrets of every kept revision, oldest first; earlier revisions are superseded.
    static func secrets(_ release: HelmReleaseSpec, firstDeployed: Date, uid: () -> String) -> [JSONValue] {
        let first = max(1, release.revision - historyMax + 1)
        return (first...max(first, release.revision)).map { revision in
            // One upgrade a day, each taking a few seconds between Create (pending) and Update (final status).
            let deployed = firstDeployed.addingTimeInterval(Double(revision - 1) * 86_400)
            let status = revision == release.revision ? release.status : "superseded"
            let json = releaseJSON(release, revision: revision, status: status, firstDeployed: firstDeployed, lastDeployed: deployed)
            let labels = ["createdAt": String(Int(deployed.timeIntervalSince1970)),
                          "modifiedAt": String(Int(deployed.timeIntervalSince1970) + 4),
                          "name": release.name, "owner": "helm", "status": status, "version": String(revision)]
            let encoded = Data(encodeRelease(json)).base64EncodedString()
            return .object([
                ("metadata", .object([("name", .string("sh.helm.release.v1.\(release.name).v\(revision)")),
                                      ("namespace", .string(release.namespace)), ("uid", .string(uid())),
                                      ("creationTimestamp", .string(Timestamps.rfc3339(deployed))),
                                      ("labels", .sortedMap(labels))])),
                ("data", .object([("release", .string(Data(encoded.utf8).base64EncodedString()))])),
                ("type", .string("helm.sh/release.v1")),
            ])
        }
    }

    /// encodeRelease: JSON, gzip at best compression; the caller base64-encodes (std alphabet, padded).
    static func encodeRelease(_ json: [UInt8]) -> [UInt8] {
        var buffer = ByteBuffer(bytes: json)
        let config = ZlibConfiguration(compressionLevel: .bestCompression)
        guard let compressed = try? buffer.compress(with: .gzip(configuration: config)) else { return json }
        return Array(compressed.readableBytesView)
    }

    /// The release as Helm's Go structs marshal it: field order of release.Release, Info and chart.Metadata;
    /// `deleted` has no omitempty and a zero helm time marshals as "".
    static func releaseJSON(_ release: HelmReleaseSpec, revision: Int, status: String, firstDeployed: Date,
                            lastDeployed: Date) -> [UInt8] {
        var metadata: [(String, JSONValue)] = [("name", .string(release.chart.name)), ("version", .string(release.chart.version)),
                                               ("description", .string("A Helm chart for Kubernetes")), ("apiVersion", .string("v2"))]
        if let appVersion = release.chart.appVersion { metadata.append(("appVersion", .string(appVersion))) }
        metadata.append(("type", .string("application")))
        let value = JSONValue.object([
            ("name", .string(release.name)),
            ("info", .object([("first_deployed", .string(goTime(firstDeployed))), ("last_deployed", .string(goTime(lastDeployed))),
                              ("deleted", .string("")),
                              ("description", .string(revision == 1 ? "Install complete" : "Upgrade complete")),
                              ("status", .string(status))])),
            ("chart", .object([("metadata", .object(metadata)), ("lock", .null), ("templates", .array(templates(release))),
                               ("values", .object([])), ("schema", .null), ("files", .null)])),
            ("manifest", .string(release.manifest)),
            ("version", .int(revision)),
            ("namespace", .string(release.namespace)),
        ])
        // Go's encoding/json escapes <, > and & in strings.
        let text = JSONWriter.string(value).replacingOccurrences(of: "<", with: "\\u003c")
            .replacingOccurrences(of: ">", with: "\\u003e").replacingOccurrences(of: "&", with: "\\u0026")
        return Array(text.utf8)
    }

    /// The chart's templates, one per `# Source: <chart>/templates/<file>` of the rendered manifest ([]byte data as
    /// base64, as Go marshals it).
    static func templates(_ release: HelmReleaseSpec) -> [JSONValue] {
        var seen: [String] = []
        for line in release.manifest.split(separator: "\n") where line.hasPrefix("# Source: ") {
            let source = line.dropFirst("# Source: ".count)
            let file = source.split(separator: "/", maxSplits: 1).dropFirst().first.map(String.init) ?? String(source)
            if !seen.contains(file) { seen.append(file) }
        }
        return seen.map { .object([("name", .string($0)), ("data", .string(Data("# \($0)\n".utf8).base64EncodedString()))]) }
    }

    /// RFC 3339 with nanoseconds in UTC, as Go's time.Time marshals.
    static func goTime(_ date: Date) -> String {
        let base = Timestamps.rfc3339(date).dropLast()
        let nanos = Int((date.timeIntervalSince1970 - date.timeIntervalSince1970.rounded(.down)) * 1e9)
        if nanos == 0 { return base + "Z" }
        var fraction = String(nanos)
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return base + "." + fraction + "Z"
    }
}
