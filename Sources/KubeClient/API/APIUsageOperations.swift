import Foundation
import KubeModel
import NIOCore

/// The reads behind "which removed API versions are still in use": an API server's `/metrics`, Helm's release
/// Secrets, and objects' metadata (for their `last-applied-configuration`).
extension KubeAPIClient {
    /// `GET /metrics` as text, at most `limit` bytes (a busy API server's metrics run to a few MB; a larger body
    /// is refused rather than held). A 403 says which permission grants it (nonResourceURLs `/metrics`, get).
    public func metricsText(limit: Int = 64 << 20) async throws -> String {
        let operation = APIOperation(verb: "get", resource: "/metrics")
        let response = try await transport.send(
            APIRequest(method: .GET, path: "/metrics", accept: "text/plain;version=0.0.4, */*", operation: operation),
            limit: limit)
        return String(buffer: response.body)
    }

    /// Helm v3's release Secrets (`owner=helm`) of every namespace: the newest release of each, and its history.
    public func listHelmReleaseSecrets() async throws -> [SecretObject] {
        try await listAll(
            SecretObject.self, path: "/api/v1/secrets", query: [("labelSelector", "owner=helm")],
            pageSize: settings.pageSize, operation: .init(verb: "list", resource: "secrets")
        ).items.filter { $0.type == nil || $0.type == "helm.sh/release.v1" }
    }

    /// The Accept header of a list of metadata only (client-go's metadata client sends the same).
    static let partialMetadataList = "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json"

    /// Every object of one resource (`/apis/networking.k8s.io/v1/ingresses`, `/api/v1/services`) reduced to its
    /// metadata, in pages. `resource` names it in errors.
    public func listObjectMetadata(group: String, version: String, resource: String) async throws -> [ObjectMeta] {
        for part in [group, version, resource] where !part.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) {
            throw KubeClientError.invalidArgument(what: "API resource", value: DisplayText.sanitize(part, limit: 60),
                                                  reason: "only letters, digits, dots and dashes are allowed")
        }
        let path = group.isEmpty ? "/api/\(version)/\(resource)" : "/apis/\(group)/\(version)/\(resource)"
        let resourceName = group.isEmpty ? resource : "\(resource).\(group)"
        // Metadata only, as the garbage collector reads lists: a server that does not offer that form sends JSON.
        return try await listAll(
            MetadataOnly.self, path: path, query: [], pageSize: settings.pageSize,
            operation: .init(verb: "list", resource: resourceName), accept: Self.partialMetadataList
        ).items.map(\.metadata)
    }

    /// The texts of the `Warning` headers the API server sent on this client's requests so far, first seen first,
    /// each once (an operator must see a deprecation the server announces, never have it dropped).
    public var receivedWarnings: [String] { transport.warnings.withLock { $0.values } }
}

/// Any object, reduced to its metadata.
struct MetadataOnly: Decodable, Sendable {
    var metadata: ObjectMeta
}

/// Warning header values in the order first received, without repeats, and bounded: the server may send one on
/// every request of a long watch session.
struct ReceivedWarnings: Sendable {
    private(set) var values: [String] = []
    private var seen: Set<String> = []
    static let limit = 100

    /// Adds the texts of one header value (`299 - "text"`, possibly several); a value that does not parse is kept
    /// whole rather than lost.
    mutating func add(_ value: String) {
        let texts = WarningHeader.texts(value)
        for text in texts.isEmpty ? [value] : texts {
            let shown = DisplayText.sanitize(text, limit: 512)
            guard values.count < Self.limit else { return }
            // A text already kept is skipped, not the header's other texts after it.
            if seen.insert(shown).inserted { values.append(shown) }
        }
    }
}
