import Foundation
import KubeModel
import NIOCore

extension KubeAPIClient {
    /// Reads a whole list in pages. The next page is requested while the current one is decoded: its
    /// `continue` token is read from the small head of the page (before `items`) without decoding the rest.
    /// `accept`: the list's form (JSON, or metadata only with `as=PartialObjectMetadataList`).
    func listAll<Item: Decodable & Sendable>(
        _ type: Item.Type, path: String, query: [(String, String)], pageSize: Int, operation: APIOperation,
        accept: String = "application/json"
    ) async throws -> ListResult<Item> {
        do {
            return try await listPaged(type, path: path, query: query, pageSize: pageSize, operation: operation, accept: accept)
        } catch let error as KubeClientError where error.isExpired {
            // The continue token expired between pages (the server compacted): like client-go's pager, read the
            // whole list in one request rather than stitch pages from different versions.
            let response = try await transport.send(APIRequest(method: .GET, path: path, query: query, accept: accept, operation: operation))
            let list = try decodePage(Item.self, from: response.body, operation: operation)
            return ListResult(items: list.items, resourceVersion: list.metadata?.resourceVersion ?? "")
        }
    }

    private func listPaged<Item: Decodable & Sendable>(
        _ type: Item.Type, path: String, query: [(String, String)], pageSize: Int, operation: APIOperation, accept: String
    ) async throws -> ListResult<Item> {
        let limit = max(1, pageSize)
        var items: [Item] = []
        var resourceVersion: String?
        var page = try await fetchPage(path: path, query: query, limit: limit, continue: nil, operation: operation, accept: accept)
        while true {
            let head = ListHead.read(page.body)
            let token = head?.metadata?.continue.flatMap { $0.isEmpty ? nil : $0 }
            // Start the next request now; decoding this page overlaps with its transfer.
            let next: Task<APIResponse, any Error>? = token.map { token in
                Task { try await self.fetchPage(path: path, query: query, limit: limit, continue: token, operation: operation, accept: accept) }
            }
            let list: KubeList<Item>
            do {
                list = try decodePage(Item.self, from: page.body, operation: operation)
            } catch {
                next?.cancel()
                throw error
            }
            page.body = ByteBuffer()  // drop the raw page before the next one arrives
            items.append(contentsOf: list.items)
            if resourceVersion == nil { resourceVersion = list.metadata?.resourceVersion }
            let listedToken = list.metadata?.continue.flatMap { $0.isEmpty ? nil : $0 }
            guard let next else {
                if let listedToken {
                    // The head scan missed the token (unusual key order): fetch sequentially.
                    page = try await fetchPage(path: path, query: query, limit: limit, continue: listedToken, operation: operation, accept: accept)
                    continue
                }
                break
            }
            page = try await next.value
        }
        return ListResult(items: items, resourceVersion: resourceVersion ?? "")
    }

    /// A page of a list; Nodes and Pods go through the selective decoders (a 5,000-node list is mostly images and
    /// managedFields, and its 5,000 kube-proxy pods mostly spec and status kubeskew does not read), which skip the
    /// rest unparsed; everything else goes through JSONDecoder.
    private func decodePage<Item: Decodable & Sendable>(_ type: Item.Type, from body: ByteBuffer, operation: APIOperation) throws -> KubeList<Item> {
        // When a selective decoder refuses the page, JSONDecoder reads it again and names the field at fault.
        if Item.self == Node.self,
           let (nodes, metadata) = try? body.withUnsafeReadableBytes({ try FastNodeDecoding.list($0) }),
           let items = nodes as? [Item] {
            return KubeList(kind: "NodeList", apiVersion: "v1", metadata: metadata, items: items)
        }
        if Item.self == Pod.self,
           let (pods, metadata) = try? body.withUnsafeReadableBytes({ try FastPodDecoding.list($0) }),
           let items = pods as? [Item] {
            return KubeList(kind: "PodList", apiVersion: "v1", metadata: metadata, items: items)
        }
        return try decode(KubeList<Item>.self, from: body, operation: operation)
    }

    private func fetchPage(
        path: String, query: [(String, String)], limit: Int, continue token: String?, operation: APIOperation, accept: String
    ) async throws -> APIResponse {
        var pageQuery = query
        pageQuery.append(("limit", String(limit)))
        if let token { pageQuery.append(("continue", token)) }
        return try await transport.send(APIRequest(method: .GET, path: path, query: pageQuery, accept: accept, operation: operation))
    }
}

/// The start of a list body up to `"items"`: kind, apiVersion and metadata (resourceVersion, continue).
struct ListHead: Decodable {
    var kind: String?
    var metadata: ListMeta?

    /// Decodes the bytes before the first `,"items":` closed with `}`; nil when the body has another shape.
    static func read(_ body: ByteBuffer) -> ListHead? {
        let view = body.readableBytesView
        let needle = Array(#","items":"#.utf8)
        let searchLimit = min(view.count, 64 << 10)
        let window = view.prefix(searchLimit)
        guard let first = window.first, first == UInt8(ascii: "{") else { return nil }
        var index = window.startIndex
        while let hit = window[index...].firstIndex(of: needle[0]) {
            if window[hit...].starts(with: needle) {
                var head = Array(window[window.startIndex..<hit])
                head.append(UInt8(ascii: "}"))
                return try? JSONDecoder().decode(ListHead.self, from: Data(head))
            }
            index = window.index(after: hit)
        }
        return nil
    }
}
