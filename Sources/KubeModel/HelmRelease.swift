import CompressNIO
import Foundation
import NIOCore
import SkewCore

/// One object of a Helm release's stored manifest, as the chart rendered it.
public struct ManifestObject: Sendable, Hashable {
    public let apiVersion: String
    public let kind: String
    /// "" when the document has no `metadata.name`.
    public let name: String
    public let namespace: String?

    public init(apiVersion: String, kind: String, name: String, namespace: String?) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.namespace = namespace
    }
}

/// Why a Helm release Secret could not be read, in words an operator can act on.
public struct HelmReleaseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let problem: String

    public init(_ problem: String) { self.problem = problem }

    public var description: String { problem }
}

/// A Helm 3 release as stored in its Secret (`type: helm.sh/release.v1`, `data.release`).
public struct HelmRelease: Sendable {
    public let name: String
    public let namespace: String
    /// Helm's `version`: the revision number.
    public let revision: Int
    /// `deployed`, `superseded`, `failed`, …; "" when missing.
    public let status: String
    /// `name-version` of the chart, "" when missing.
    public let chart: String
    public let objects: [ManifestObject]

    public init(name: String, namespace: String, revision: Int, status: String, chart: String, objects: [ManifestObject]) {
        self.name = name
        self.namespace = namespace
        self.revision = revision
        self.status = status
        self.chart = chart
        self.objects = objects
    }

    /// Past this the gzip is refused as a bomb: a Secret holds at most 1 MiB, and Helm's release JSON compresses
    /// about tenfold, so a real release is far below.
    public static let maxDecompressedBytes = 64 << 20

    /// Decodes the value of the Secret's `data.release` as the Kubernetes JSON gives it: base64 (Kubernetes' encoding
    /// of Secret bytes) of base64 of gzip of the release JSON. Helm also accepts uncompressed JSON, and some readers
    /// hand over the bytes already decoded once; both are accepted here too.
    public static func decode(secretData: String) throws -> HelmRelease {
        let trimmed = secretData.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw HelmReleaseError("the Secret's data.release is empty") }
        guard let outer = Data(base64Encoded: trimmed) else {
            throw HelmReleaseError("the Secret's data.release is not base64, as Kubernetes encodes Secret data")
        }
        let payload: Data
        if isGzip(outer) || outer.first == UInt8(ascii: "{") {
            payload = outer
        } else {
            // Helm's own layer (encodeRelease): standard base64 of the gzip.
            guard let text = String(data: outer, encoding: .utf8),
                  let inner = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw HelmReleaseError("the Secret's data.release does not hold Helm's base64-encoded release; is the Secret of type helm.sh/release.v1?")
            }
            payload = inner
        }
        let json = isGzip(payload) ? try gunzip(payload) : payload
        return try decode(releaseJSON: json)
    }

    /// Decodes Helm's release JSON (`name`, `namespace`, `version`, `info.status`, `chart.metadata`, `manifest`).
    public static func decode(releaseJSON: Data) throws -> HelmRelease {
        let r: ReleaseJSON
        do { r = try JSONDecoder().decode(ReleaseJSON.self, from: releaseJSON) } catch {
            throw HelmReleaseError("the release is not Helm release JSON: \(DataFileError.describe(error))")
        }
        let chart = r.chart?.metadata.map { [$0.name, $0.version].compactMap { $0 }.joined(separator: "-") } ?? ""
        return HelmRelease(name: r.name, namespace: r.namespace ?? "", revision: r.version, status: r.info?.status ?? "",
                           chart: chart, objects: ManifestDocuments.objects(in: r.manifest ?? ""))
    }

    /// Helm checks the same three bytes: the gzip magic and the deflate method.
    static func isGzip(_ data: Data) -> Bool { data.starts(with: [0x1F, 0x8B, 0x08]) }

    /// Inflates in 256 KiB windows, counting: compress-nio's own `decompress(maxSize:)` can return a truncated
    /// output instead of an error once its input is used up, which would pass a bomb off as corrupt JSON.
    static func gunzip(_ data: Data) throws -> Data {
        let decompressor = CompressionAlgorithm.gzip().decompressor
        var input = ByteBuffer(bytes: data)
        var window = ByteBufferAllocator().buffer(capacity: 256 << 10)
        var output = Data()
        do {
            try decompressor.startStream()
            defer { try? decompressor.finishStream() }
            while true {
                window.clear()
                var more = false
                do {
                    try input.decompressStream(to: &window, with: decompressor)
                } catch let e as CompressNIOError where e == .bufferOverflow {
                    more = true
                } catch let e as CompressNIOError where e == .inputBufferOverflow {
                    // No progress possible: the stream ends before its end marker.
                    throw HelmReleaseError("the release's gzip data is truncated")
                }
                output.append(contentsOf: window.readableBytesView)
                if output.count > maxDecompressedBytes {
                    throw HelmReleaseError("the release decompresses to more than \(maxDecompressedBytes >> 20) MiB; refused as a gzip bomb")
                }
                if !more { return output }
            }
        } catch let e as HelmReleaseError {
            throw e
        } catch {
            throw HelmReleaseError("the release's gzip data is corrupt (\(error))")
        }
    }

    private struct ReleaseJSON: Decodable {
        struct Info: Decodable { let status: String? }
        struct Chart: Decodable {
            struct Metadata: Decodable { let name: String?; let version: String? }
            let metadata: Metadata?
        }
        let name: String
        let namespace: String?
        let version: Int
        let info: Info?
        let chart: Chart?
        let manifest: String?
    }
}
