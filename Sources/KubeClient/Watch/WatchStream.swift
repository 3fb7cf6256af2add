import Foundation
import KubeModel
import NIOCore

extension KubeAPIClient {
    /// One watch on nodes from `resourceVersion` with bookmarks, as a stream of events. It ends when the server
    /// closes the watch (after `timeoutSeconds`); a 410 arrives as an `.error` event or a thrown `.expired`.
    /// `NodeWatcher` adds relisting and reconnection on top.
    public func watchNodes(from resourceVersion: String, timeoutSeconds: Int? = nil)
        -> AsyncThrowingStream<WatchEvent<Node>, any Error>
    {
        let items = watchNodeItems(from: resourceVersion, timeoutSeconds: timeoutSeconds)
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: WatchEvent<Node>.self)
        let task = Task {
            do {
                for try await item in items {
                    if case .event(let event) = item { continuation.yield(event) }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// The watch on nodes as `NodeWatcher` consumes it: `.opened` once the server accepted the watch, then events.
    func watchNodeItems(from resourceVersion: String, timeoutSeconds: Int?) -> AsyncThrowingStream<WatchStreamItem<Node>, any Error> {
        let seconds = timeoutSeconds ?? settings.watchTimeoutSeconds
        let request = APIRequest(
            method: .GET, path: "/api/v1/nodes",
            query: [
                ("watch", "1"), ("resourceVersion", resourceVersion), ("allowWatchBookmarks", "true"),
                ("timeoutSeconds", String(seconds)),
            ],
            operation: .init(verb: "watch", resource: "nodes"))
        return watch(Node.self, request: request, deadline: .seconds(seconds) + .seconds(30))
    }

    func watch<Object: Decodable & Sendable>(
        _ type: Object.Type, request: APIRequest, deadline: Duration
    ) -> AsyncThrowingStream<WatchStreamItem<Object>, any Error> {
        let transport = self.transport
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: WatchStreamItem<Object>.self)
        let task = Task {
            do {
                // The server ends the watch at timeoutSeconds; the deadline only catches a connection that
                // died without closing.
                try await withDeadline(deadline, error: .timedOut(server: transport.config.server, operation: "watch nodes")) {
                    try await transport.withMappedErrors(request.operation) {
                        let response = try await transport.open(request)
                        continuation.yield(.opened)
                        var splitter = LineSplitter()
                        for try await chunk in response.body {
                            splitter.append(chunk)
                            while let line = try splitter.nextLine() {
                                let event = try WatchEventDecoding.decode(Object.self, line: line, operation: request.operation)
                                continuation.yield(.event(event))
                            }
                        }
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}

/// What a watch connection delivers: first that the server accepted it, then its events.
enum WatchStreamItem<Object: Decodable & Sendable>: Sendable {
    case opened
    case event(WatchEvent<Object>)
}

/// Decoding of one watch line, with errors that say which operation produced it.
enum WatchEventDecoding {
    static func decode<Object: Decodable & Sendable>(
        _ type: Object.Type, line: ByteBuffer, operation: APIOperation
    ) throws -> WatchEvent<Object> {
        // A node's heartbeat is a whole Node (~13 KB): the selective decoder reads the ~1 KB kept. Anything else
        // (a bookmark, an error, a line it refuses) goes through JSONDecoder, which names what is wrong.
        if Object.self == Node.self,
           let event = try? line.withUnsafeReadableBytes({ try FastNodeDecoding.watchEvent($0) }),
           let typed = event as? WatchEvent<Object> {
            return typed
        }
        do {
            return try JSONDecoder().decode(WatchEvent<Object>.self, from: Data(line.readableBytesView))
        } catch {
            throw KubeClientError.invalidResponse(
                operation: operation.description,
                reason: "a watch event does not decode: " + DisplayText.sanitize(String(describing: error), limit: 200))
        }
    }
}
