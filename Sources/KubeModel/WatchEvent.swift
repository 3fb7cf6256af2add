/// One line of a watch stream: `{"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":{...}}`.
public enum WatchEvent<Object: Decodable & Sendable>: Sendable {
    case added(Object)
    case modified(Object)
    case deleted(Object)
    /// Only the resourceVersion of a bookmark matters; the rest of its object is zero-valued.
    case bookmark(resourceVersion: String)
    /// The server ended the watch with a Status (410 Expired when the resourceVersion is too old).
    case error(APIStatus)
}

extension WatchEvent: Decodable {
    private enum CodingKeys: String, CodingKey { case type, object }
    private struct BookmarkObject: Decodable {
        struct Meta: Decodable { var resourceVersion: String? }
        var metadata: Meta?
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "ADDED": self = .added(try container.decode(Object.self, forKey: .object))
        case "MODIFIED": self = .modified(try container.decode(Object.self, forKey: .object))
        case "DELETED": self = .deleted(try container.decode(Object.self, forKey: .object))
        case "BOOKMARK":
            let object = try container.decode(BookmarkObject.self, forKey: .object)
            self = .bookmark(resourceVersion: object.metadata?.resourceVersion ?? "")
        case "ERROR": self = .error(try container.decode(APIStatus.self, forKey: .object))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown watch event type \(type)")
        }
    }
}
