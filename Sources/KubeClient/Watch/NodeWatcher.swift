import KubeModel

/// What the dashboard learns from watching nodes.
public enum NodeWatchUpdate: Sendable {
    /// The complete set of nodes: at the start, and after a relist (410 Gone). Replace everything.
    case listed([Node], resourceVersion: String)
    /// A node was added or changed.
    case changed(Node)
    /// A node was removed.
    case deleted(Node)
    /// The watch broke; what is on screen is stale until the next event. The watcher retries by itself.
    case interrupted(KubeClientError, retryIn: Duration)
}

/// Keeps a live view of the cluster's nodes: lists (paged), then watches from the list's resourceVersion with
/// bookmarks, resumes from the last version it saw when the connection ends, relists on 410 Gone, and
/// reconnects with capped exponential backoff. Iterate it; stop iterating to stop watching.
public struct NodeWatcher: AsyncSequence, Sendable {
    public typealias Element = NodeWatchUpdate

    let client: KubeAPIClient
    let backoff: Backoff
    let watchTimeoutSeconds: Int?

    public init(client: KubeAPIClient, backoff: Backoff = Backoff(), watchTimeoutSeconds: Int? = nil) {
        self.client = client
        self.backoff = backoff
        self.watchTimeoutSeconds = watchTimeoutSeconds
    }

    public func makeAsyncIterator() -> AsyncStream<NodeWatchUpdate>.AsyncIterator {
        let (stream, continuation) = AsyncStream.makeStream(of: NodeWatchUpdate.self, bufferingPolicy: .unbounded)
        let client = self.client
        let backoff = self.backoff
        let timeout = self.watchTimeoutSeconds
        let task = Task {
            var loop = NodeWatchLoop(client: client, backoff: backoff, watchTimeoutSeconds: timeout)
            await loop.run { continuation.yield($0) }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream.makeAsyncIterator()
    }
}

/// The list-then-watch loop behind `NodeWatcher`.
struct NodeWatchLoop {
    let client: KubeAPIClient
    var backoff: Backoff
    let watchTimeoutSeconds: Int?

    /// What to do after a watch ended.
    enum Next: Equatable {
        /// Reconnect from this version at once (the server closed the watch normally).
        case resume(String)
        /// The version is gone (410): list again.
        case relist
        /// A failure: wait, then resume from the version (or relist when there is none).
        case retry(KubeClientError)
    }

    mutating func run(emit: (NodeWatchUpdate) -> Void) async {
        var resourceVersion: String?
        while !Task.isCancelled {
            guard let version = resourceVersion else {
                do {
                    let listing = try await client.listNodes()
                    emit(.listed(listing.items, resourceVersion: listing.resourceVersion))
                    resourceVersion = listing.resourceVersion
                    backoff.reset()
                } catch {
                    if Task.isCancelled { return }
                    await pause(after: Self.asClientError(error, server: client.config.server), emit: emit)
                }
                continue
            }
            var lastSeen = version
            var next: Next
            do {
                next = .resume(version)
                for try await event in client.watchNodes(from: version, timeoutSeconds: watchTimeoutSeconds) {
                    switch event {
                    case .added(let node), .modified(let node):
                        emit(.changed(node))
                        lastSeen = node.metadata.resourceVersion ?? lastSeen
                    case .deleted(let node):
                        emit(.deleted(node))
                        lastSeen = node.metadata.resourceVersion ?? lastSeen
                    case .bookmark(let bookmarkVersion):
                        if !bookmarkVersion.isEmpty { lastSeen = bookmarkVersion }
                    case .error(let status):
                        next = Self.next(afterErrorEvent: status, server: client.config.server)
                    }
                    if case .relist = next { break }
                    if case .retry = next { break }
                    backoff.reset()
                }
                if case .resume = next { next = .resume(lastSeen) }
            } catch {
                if Task.isCancelled { return }
                let clientError = Self.asClientError(error, server: client.config.server)
                next = clientError.isExpired ? .relist : .retry(clientError)
            }
            switch next {
            case .resume(let from):
                resourceVersion = from
            case .relist:
                resourceVersion = nil
            case .retry(let error):
                resourceVersion = lastSeen
                await pause(after: error, emit: emit)
            }
        }
    }

    private mutating func pause(after error: KubeClientError, emit: (NodeWatchUpdate) -> Void) async {
        let delay = backoff.next()
        emit(.interrupted(error, retryIn: delay))
        try? await Task.sleep(for: delay)
    }

    /// The decision after an ERROR event: 410 Expired relists, anything else is retried.
    static func next(afterErrorEvent status: APIStatus, server: String) -> Next {
        if status.code == 410 || status.reason == "Expired" || status.reason == "Gone" { return .relist }
        let message = DisplayText.sanitize(status.message ?? "", limit: 300)
        let code = status.code ?? 500
        if code >= 500 { return .retry(.serverError(code: code, operation: "watch nodes", serverMessage: message)) }
        return .retry(.requestRejected(code: code, operation: "watch nodes", reason: status.reason ?? "", serverMessage: message))
    }

    static func asClientError(_ error: any Error, server: String) -> KubeClientError {
        if let error = error as? KubeClientError { return error }
        return .connectionFailed(server: server, reason: DisplayText.sanitize(String(describing: error), limit: 200))
    }
}

extension KubeClientError {
    /// A 410: the resourceVersion is too old and the list must be read again.
    var isExpired: Bool {
        if case .expired = self { return true }
        return false
    }
}
