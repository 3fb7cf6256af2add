/// One object as stored: its JSON (without kind/apiVersion, the form list items take) and that JSON pre-serialized,
/// so lists and watch events copy bytes instead of re-encoding 5,000 nodes.
public struct StoredObject: Sendable {
    public let type: ResourceType
    public let object: JSONValue
    /// Compact JSON of `object`.
    public let itemBytes: [UInt8]
    public let resourceVersion: Int

    init(type: ResourceType, object: JSONValue, resourceVersion: Int) {
        self.type = type
        self.object = object
        self.itemBytes = JSONWriter.bytes(object)
        self.resourceVersion = resourceVersion
    }

    public var name: String { object[["metadata", "name"]]?.stringValue ?? "" }
    public var namespace: String { object[["metadata", "namespace"]]?.stringValue ?? "" }
    public var labels: [String: String] { object[["metadata", "labels"]]?.stringMap ?? [:] }

    /// The object with `kind` and `apiVersion` first, as a GET or a watch event carries it.
    public var fullBytes: [UInt8] {
        var out = type.objectPrefix
        out.reserveCapacity(itemBytes.count + out.count)
        out.append(contentsOf: itemBytes.dropFirst())
        return out
    }

    /// The object with kind and apiVersion as a JSON value.
    public var fullObject: JSONValue {
        var members: [(String, JSONValue)] = [("kind", .string(type.kind)), ("apiVersion", .string(type.apiVersion))]
        members.append(contentsOf: (object.objectValue ?? []).filter { $0.0 != "kind" && $0.0 != "apiVersion" })
        return .object(members)
    }

    static func key(namespace: String, name: String) -> String { namespace + "/" + name }
}

/// One change to an object, as a watch delivers it.
public struct WatchEvent: Sendable {
    public enum Kind: String, Sendable { case added = "ADDED", modified = "MODIFIED", deleted = "DELETED" }
    public let kind: Kind
    public let object: StoredObject
    /// `{"type":"…","object":{…}}\n`, built once and shared by every watcher.
    public let line: [UInt8]

    init(kind: Kind, object: StoredObject) {
        self.kind = kind
        self.object = object
        var line = Array("{\"type\":\"\(kind.rawValue)\",\"object\":".utf8)
        line.append(contentsOf: object.fullBytes)
        line.append(contentsOf: Array("}\n".utf8))
        self.line = line
    }

    public var resourceVersion: Int { object.resourceVersion }
}
