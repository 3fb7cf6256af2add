import Foundation
import Hummingbird
import NIOCore

/// GET of lists and single objects, with selectors, paging and the Table format.
extension APIServer {
    struct Filters {
        var label: LabelSelector?
        var field: FieldSelector?

        func matches(_ object: StoredObject) -> Bool {
            if let label, !label.matches(object.labels) { return false }
            if let field, !field.matches(object.object) { return false }
            return true
        }

        var isEmpty: Bool { label == nil && field == nil }
    }

    func filters(_ path: ResourcePath, _ api: APIRequest) throws -> Filters {
        var filters = Filters()
        if let text = api.query["labelSelector"], !text.isEmpty {
            guard let selector = LabelSelector.parse(text.replacingOccurrences(of: "+", with: " ")) else {
                throw StatusError.badRequest("unable to parse requirement: invalid label selector \"\(text)\"")
            }
            filters.label = selector
        }
        if let text = api.query["fieldSelector"], !text.isEmpty {
            switch FieldSelector.parse(text, resource: path.type.plural) {
            case .success(let selector): filters.field = selector
            case .failure(let error): throw error
            }
        }
        return filters
    }

    /// `{"v":"meta.k8s.io/v1","rv":294,"start":"/node01\u0000"}`, unpadded base64url, as the real server encodes it.
    static func encodeContinue(resourceVersion: Int, start: String) -> String {
        let json = JSONWriter.bytes(.object([("v", .string("meta.k8s.io/v1")), ("rv", .int(resourceVersion)), ("start", .string(start))]))
        return Data(json).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeContinue(_ token: String) -> (resourceVersion: Int, start: String)? {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let json = try? JSONParser.parse(Array(data)),
              json["v"]?.stringValue == "meta.k8s.io/v1", let rv = json["rv"]?.intValue, let start = json["start"]?.stringValue else {
            return nil
        }
        return (rv, start)
    }

    func list(_ path: ResourcePath, _ api: APIRequest) async throws -> Response {
        let filters = try filters(path, api)
        var limit: Int?
        if let text = api.query["limit"], let value = Int(text), value > 0 { limit = value }
        var startAfter: String?
        var pageResourceVersion: Int?
        if let token = api.query["continue"], !token.isEmpty {
            guard let decoded = APIServer.decodeContinue(token) else {
                throw StatusError.badRequest("continue key is not valid: illegal base64 data at input byte 0")
            }
            if decoded.resourceVersion != -1, decoded.resourceVersion < store.compactedResourceVersion {
                var error = StatusError.gone("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
                error.metadata = .object([("continue", .string(APIServer.encodeContinue(resourceVersion: -1, start: decoded.start)))])
                throw error
            }
            startAfter = decoded.start.hasSuffix("\u{0}") ? String(decoded.start.dropLast()) : decoded.start
            pageResourceVersion = decoded.resourceVersion == -1 ? nil : decoded.resourceVersion
        } else if let text = api.query["resourceVersion"], !text.isEmpty, text != "0" {
            guard let requested = Int(text) else {
                throw StatusError.badRequest("resourceVersion: Invalid value: \"\(text)\": must be a valid resource version")
            }
            let deadline = Date().addingTimeInterval(3)
            while requested > store.resourceVersion, Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
            if requested > store.resourceVersion {
                var error = StatusError(code: 504, reason: "Timeout",
                                        message: "Timeout: Too large resource version: \(requested), current: \(store.resourceVersion)",
                                        details: .object([("causes", .array([.object([("reason", .string("ResourceVersionTooLarge")),
                                                                                      ("message", .string("Too large resource version"))])]))]))
                error.retryAfterSeconds = 1
                throw error
            }
            if api.query["resourceVersionMatch"] == "Exact", requested < store.compactedResourceVersion {
                throw StatusError.gone("The resourceVersion for the provided list is too old.")
            }
        }
        let namespace = path.namespace
        let nodeName = filters.field?.nodeName
        let page = store.list(path.type, namespace: namespace, startAfter: startAfter, limit: limit) { object in
            // Cheap pre-check before the full selector match: most pods are on other nodes.
            if let nodeName, object.object[["spec", "nodeName"]]?.stringValue != nodeName { return false }
            return filters.matches(object)
        }
        let resourceVersion = pageResourceVersion ?? page.resourceVersion
        let continueToken = page.lastKey.map { APIServer.encodeContinue(resourceVersion: resourceVersion, start: $0 + "\u{0}") }
        let remaining = page.lastKey != nil && filters.isEmpty ? page.remaining : nil

        if api.wantsTable {
            let table = TableBuilder.table(path.type, page.items, resourceVersion: resourceVersion, continueToken: continueToken,
                                           remaining: remaining)
            return respond(status: 200, json: table, pretty: api.wantsPretty)
        }
        if api.wantsPartialMetadataList {
            let document = PartialMetadataList.document(page.items, resourceVersion: resourceVersion, continueToken: continueToken,
                                                        remaining: remaining)
            return respond(status: 200, json: document, pretty: api.wantsPretty)
        }
        var header = "{\"kind\":\"\(path.type.kind)List\",\"apiVersion\":\"\(path.type.apiVersion)\",\"metadata\":{\"resourceVersion\":\"\(resourceVersion)\""
        if let continueToken { header += ",\"continue\":\"\(continueToken)\"" }
        if let remaining { header += ",\"remainingItemCount\":\(remaining)" }
        header += "},\"items\":["
        if api.wantsPretty {
            let items = page.items.map(\.object)
            let document = JSONValue.object([("kind", .string(path.type.kind + "List")), ("apiVersion", .string(path.type.apiVersion)),
                                             ("metadata", .object([("resourceVersion", .string(String(resourceVersion)))])),
                                             ("items", .array(items))])
            return respond(status: 200, json: document, pretty: true)
        }
        let total = header.utf8.count + page.items.reduce(0) { $0 + $1.itemBytes.count + 1 } + 4
        var buffer = ByteBufferAllocator().buffer(capacity: total)
        buffer.writeString(header)
        for (index, item) in page.items.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            buffer.writeBytes(item.itemBytes)
        }
        buffer.writeString("]}\n")
        return respondBuffer(status: 200, buffer, contentType: "application/json")
    }

    func get(_ path: ResourcePath, name: String, _ api: APIRequest) throws -> Response {
        guard let object = store.get(path.type, namespace: path.namespace ?? "", name: name) else {
            throw StatusError(StoreError.notFound(path.type, name))
        }
        if api.wantsTable {
            return respond(status: 200, json: TableBuilder.table(path.type, [object], resourceVersion: object.resourceVersion),
                           pretty: api.wantsPretty)
        }
        if api.wantsPretty { return respond(status: 200, json: object.fullObject, pretty: true) }
        return respondBytes(status: 200, object.fullBytes + [0x0A], contentType: "application/json")
    }

    /// The object written back to a client after a write, honouring Table and pretty requests.
    func objectResponse(_ object: StoredObject, status: Int, _ api: APIRequest) -> Response {
        if api.wantsTable {
            return respond(status: status, json: TableBuilder.table(object.type, [object], resourceVersion: object.resourceVersion),
                           pretty: api.wantsPretty)
        }
        if api.wantsPretty { return respond(status: status, json: object.fullObject, pretty: true) }
        return respondBytes(status: status, object.fullBytes + [0x0A], contentType: "application/json")
    }
}
