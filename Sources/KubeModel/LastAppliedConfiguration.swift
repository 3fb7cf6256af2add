import Foundation

/// The `kubectl.kubernetes.io/last-applied-configuration` annotation: the manifest client-side `kubectl apply` sent,
/// the one place an object remembers the apiVersion it was written in (the apiserver serves it in any version).
public enum LastAppliedConfiguration {
    public static let annotation = "kubectl.kubernetes.io/last-applied-configuration"
    /// Kubernetes caps all of an object's annotations at 256 KiB together; anything longer is not a real annotation.
    static let maxBytes = 256 * 1024

    /// The `apiVersion` and `kind` the annotation's JSON names; nil for anything else (garbage, truncation, other JSON).
    public static func apiVersionAndKind(_ annotation: String) -> (apiVersion: String, kind: String)? {
        guard annotation.utf8.count <= maxBytes,
              let head = try? JSONDecoder().decode(Head.self, from: Data(annotation.utf8)),
              let apiVersion = head.apiVersion, let kind = head.kind,
              isName(apiVersion), isName(kind) else { return nil }
        return (apiVersion, kind)
    }

    private struct Head: Decodable {
        let apiVersion: String?
        let kind: String?

        init(from decoder: any Decoder) throws {
            // Only the two fields; a non-string value is "not named" rather than a failure of the whole annotation.
            let c = try decoder.container(keyedBy: CodingKeys.self)
            apiVersion = try? c.decodeIfPresent(String.self, forKey: .apiVersion)
            kind = try? c.decodeIfPresent(String.self, forKey: .kind)
        }

        enum CodingKeys: String, CodingKey { case apiVersion, kind }
    }

    /// Printable, no blanks, of a name's length: what an apiVersion or kind can be.
    private static func isName(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 253 && s.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F }
    }
}
