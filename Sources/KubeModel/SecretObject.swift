/// A Secret as kubeskew reads it: its metadata, type and data (values base64, as the API serves them).
/// Only Helm's release Secrets are read, to find the API versions their manifests use.
public struct SecretObject: Sendable, Codable, Equatable {
    public var metadata: ObjectMeta
    public var type: String?
    public var data: [String: String]?

    public init(metadata: ObjectMeta, type: String? = nil, data: [String: String]? = nil) {
        self.metadata = metadata
        self.type = type
        self.data = data
    }
}
