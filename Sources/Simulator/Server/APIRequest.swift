import Hummingbird

/// The parts of an HTTP request the API handlers use, parsed once.
struct APIRequest: Sendable {
    let method: HTTPRequest.Method
    let path: String
    let query: [String: String]
    let accept: String
    let contentType: String
    let userAgent: String
    let ifNoneMatch: String?
    let body: [UInt8]
    let identity: Identity
    /// Whether the client's connection is still open (a watch ends when its client has gone).
    var isConnected: @Sendable () -> Bool = { true }
    /// The instance whose own address the request came to; nil: the load-balanced address, answered in turn.
    var instance: APIServerInstance? = nil

    /// The program name of the User-Agent (`kubectl` of `kubectl/v1.33.1 (linux/amd64) …`), which the real server
    /// records as the managedFields manager.
    var fieldManager: String {
        if let manager = query["fieldManager"], !manager.isEmpty { return manager }
        let program = userAgent.split(separator: "/").first.map(String.init) ?? "unknown"
        return program.isEmpty ? "unknown" : program
    }

    /// The server pretty-prints for curl, wget and browsers, or on `?pretty=true`.
    var wantsPretty: Bool {
        query["pretty"] == "true" || query["pretty"] == "1" || userAgent.hasPrefix("curl") || userAgent.hasPrefix("Wget")
            || userAgent.hasPrefix("Mozilla/5.0")
    }

    var wantsTable: Bool { accept.contains("as=Table") }

    /// A list of metadata only (`as=PartialObjectMetadataList`).
    var wantsPartialMetadataList: Bool { accept.contains("as=PartialObjectMetadataList") }

    func flag(_ name: String) -> Bool { query[name] == "true" || query[name] == "1" }
}

/// A parsed resource path: `/api/v1/namespaces/ns/pods/name/eviction`.
struct ResourcePath: Sendable {
    let type: ResourceType
    let namespace: String?
    let name: String?
    let subresource: String?

    /// Parses `/api/v1/…` and `/apis/<group>/<version>/…`; nil when the path names no served resource.
    static func parse(_ components: [Substring]) -> ResourcePath? {
        var rest: ArraySlice<Substring>
        let group: String, version: String
        if components.first == "api", components.count >= 3 {
            group = ""; version = String(components[1]); rest = components[2...]
        } else if components.first == "apis", components.count >= 4 {
            group = String(components[1]); version = String(components[2]); rest = components[3...]
        } else {
            return nil
        }
        var namespace: String?
        if rest.first == "namespaces", rest.count >= 3 {
            namespace = String(rest[rest.startIndex + 1])
            rest = rest.dropFirst(2)
        }
        guard let plural = rest.first, let type = ResourceType.find(group: group, version: version, plural: String(plural)) else {
            return nil
        }
        if namespace != nil, !type.namespaced { return nil }
        rest = rest.dropFirst()
        let name = rest.first.map(String.init)
        let sub = rest.dropFirst().first.map(String.init)
        if rest.count > 2 { return nil }
        return ResourcePath(type: type, namespace: namespace, name: name, subresource: sub)
    }
}
