import Foundation
import Hummingbird
import NIOCore

/// Watch: chunked stream of `{"type":…,"object":…}` lines, resumable from a resourceVersion, with bookmarks, 410
/// Gone for versions older than the history kept, Table events for `kubectl get -w`, and the watch faults.
extension APIServer {
    func watch(_ path: ResourcePath, _ api: APIRequest) async throws -> Response {
        let filters = try filters(path, api)
        let bookmarks = api.flag("allowWatchBookmarks")
        let timeout = api.query["timeoutSeconds"].flatMap(Double.init).map { max($0, 1) } ?? 1_800
        let rvText = api.query["resourceVersion"] ?? ""
        let sendInitial = api.flag("sendInitialEvents")
        let initialEvents = rvText.isEmpty || rvText == "0" || sendInitial
        let initialEndBookmark = bookmarks && (rvText == "0" || sendInitial)
        var requestedVersion: Int?
        if !initialEvents {
            guard let value = Int(rvText) else {
                throw StatusError.badRequest("resourceVersion: Invalid value: \"\(rvText)\": must be a valid resource version")
            }
            requestedVersion = value
        }
        let fromVersion = requestedVersion
        let asTable = api.wantsTable
        let type = path.type
        let start = store.watch(type, namespace: path.namespace, from: fromVersion, initialEvents: initialEvents)
        let faults = self.faults
        let store = self.store
        let headers = self.headers(contentType: "application/json")

        switch start {
        case .closed:
            throw StatusError(code: 503, reason: "ServiceUnavailable", message: "the simulator is shutting down")
        case let .tooOld(requested, current):
            _ = current
            let status = StatusError.gone("too old resource version: \(requested) (\(store.compactedResourceVersion + 1))")
            let line = Array("{\"type\":\"ERROR\",\"object\":".utf8) + JSONWriter.bytes(status.json) + Array("}\n".utf8)
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                try await writer.write(ByteBuffer(bytes: line))
                try await writer.finish(nil)
            })
        case let .started(id, backlog, live, startVersion):
            let ticker = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(200))
                    // A client gone before the body began: the server never runs the body, so its `defer` would
                    // not end the watch either (a CI run saw it counted open for over a minute after kubectl died).
                    if !api.isConnected() {
                        store.endWatch(id)
                        return
                    }
                    store.tick(id)
                }
            }
            let body = ResponseBody { writer in
                defer {
                    ticker.cancel()
                    store.endWatch(id)
                }
                let began = Date()
                var delivered = 0
                var lastVersion = fromVersion ?? startVersion
                var lastBookmark = Date()
                var columnsSent = false
                var bookmarkSentNearEnd = false

                func line(for event: WatchEvent) -> [UInt8] {
                    guard asTable else { return event.line }
                    let table = TableBuilder.table(type, [event.object], resourceVersion: event.resourceVersion,
                                                   includeColumns: !columnsSent)
                    columnsSent = true
                    return Array("{\"type\":\"\(event.kind.rawValue)\",\"object\":".utf8) + JSONWriter.bytes(table) + Array("}\n".utf8)
                }
                func bookmarkLine(_ version: Int, initialEnd: Bool) -> [UInt8] {
                    let object = asTable ? TableBuilder.bookmark(type, resourceVersion: version)
                        : APIServer.bookmarkObject(type, resourceVersion: version, initialEventsEnd: initialEnd)
                    return Array("{\"type\":\"BOOKMARK\",\"object\":".utf8) + JSONWriter.bytes(object) + Array("}\n".utf8)
                }
                /// Returns false when a fault ends the stream.
                func deliver(_ event: WatchEvent) async throws -> Bool {
                    guard event.resourceVersion > (fromVersion ?? 0) || initialEvents else { return true }
                    if let fromVersion, event.resourceVersion <= fromVersion, !initialEvents { return true }
                    guard filters.matches(event.object) else { return true }
                    try await writer.write(ByteBuffer(bytes: line(for: event)))
                    delivered += 1
                    lastVersion = max(lastVersion, event.resourceVersion)
                    if let limit = faults.goneAfterWatchEvents, delivered >= limit {
                        store.compact()
                        let status = StatusError.gone("too old resource version: \(lastVersion) (\(store.resourceVersion))")
                        try await writer.write(ByteBuffer(bytes: Array("{\"type\":\"ERROR\",\"object\":".utf8) + JSONWriter.bytes(status.json) + Array("}\n".utf8)))
                        return false
                    }
                    if let limit = faults.dropWatchAfterEvents, delivered >= limit { return false }
                    return true
                }

                var keepGoing = true
                for event in backlog where keepGoing {
                    keepGoing = try await deliver(event)
                }
                if keepGoing, initialEndBookmark {
                    try await writer.write(ByteBuffer(bytes: bookmarkLine(startVersion, initialEnd: true)))
                    lastBookmark = Date()
                }
                if keepGoing {
                    signals: for await signal in live {
                        switch signal {
                        case .event(let event):
                            if event.resourceVersion <= startVersion, initialEvents { continue }
                            if !(try await deliver(event)) { break signals }
                        case .tick(let version):
                            let elapsed = Date().timeIntervalSince(began)
                            if elapsed >= timeout, bookmarks, version > lastVersion, !bookmarkSentNearEnd, api.isConnected() {
                                // The server's last word before a timeout is a bookmark when the version moved (as
                                // kube-apiserver does, so the client resumes from it). A busy machine's ticks can
                                // arrive late enough to reach the timeout before the near-end one.
                                try await writer.write(ByteBuffer(bytes: bookmarkLine(version, initialEnd: false)))
                                break signals
                            }
                            if elapsed >= timeout || !api.isConnected() { break signals }
                            if let every = faults.dropWatchEverySeconds, elapsed >= every { break signals }
                            guard bookmarks, version > lastVersion else { continue }
                            let nearEnd = timeout - elapsed <= 2 && !bookmarkSentNearEnd
                            if nearEnd || Date().timeIntervalSince(lastBookmark) >= faults.bookmarkIntervalSeconds {
                                try await writer.write(ByteBuffer(bytes: bookmarkLine(version, initialEnd: false)))
                                lastVersion = version
                                lastBookmark = Date()
                                if nearEnd { bookmarkSentNearEnd = true }
                            }
                        }
                    }
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: headers, body: body)
        }
    }

    /// An empty object of the watched kind carrying only the resourceVersion (Node includes its non-omitempty zero fields).
    static func bookmarkObject(_ type: ResourceType, resourceVersion: Int, initialEventsEnd: Bool) -> JSONValue {
        var metadata: [(String, JSONValue)] = [("resourceVersion", .string(String(resourceVersion)))]
        if initialEventsEnd { metadata.append(("annotations", .object([("k8s.io/initial-events-end", .string("true"))]))) }
        var members: [(String, JSONValue)] = [("kind", .string(type.kind)), ("apiVersion", .string(type.apiVersion)),
                                              ("metadata", .object(metadata))]
        switch type {
        case .nodes:
            members.append(("spec", .object([])))
            members.append(("status", .object([
                ("daemonEndpoints", .object([("kubeletEndpoint", .object([("Port", .int(0))]))])),
                ("nodeInfo", .object(["machineID", "systemUUID", "bootID", "kernelVersion", "osImage", "containerRuntimeVersion",
                                      "kubeletVersion", "kubeProxyVersion", "operatingSystem", "architecture"].map { ($0, .string("")) })),
            ])))
        case .pods:
            members.append(("spec", .object([("containers", .null)])))
            members.append(("status", .object([])))
        default:
            break
        }
        return .object(members)
    }
}
