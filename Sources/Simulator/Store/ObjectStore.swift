import Synchronization

/// Why a store operation failed; the API layer turns each case into the Status the real server writes.
public enum StoreError: Error, Sendable, Equatable {
    case notFound(ResourceType, String)
    case alreadyExists(ResourceType, String)
    case conflict(ResourceType, String)
    case invalid(String)
}

/// The simulated etcd + watch cache: every object of every type, one global resourceVersion that every write bumps,
/// a bounded history of events for watch resumption, and the open watches.
public final class ObjectStore: Sendable {
    struct Table {
        var objects: [String: StoredObject] = [:]
        /// Keys in etcd order (namespace, then name), for lists and continue tokens.
        var sortedKeys: [String] = []

        mutating func put(_ key: String, _ object: StoredObject) {
            if objects.updateValue(object, forKey: key) == nil {
                sortedKeys.insert(key, at: insertionIndex(key))
            }
        }

        mutating func remove(_ key: String) -> StoredObject? {
            guard let old = objects.removeValue(forKey: key) else { return nil }
            let index = insertionIndex(key)
            if index < sortedKeys.count, sortedKeys[index] == key { sortedKeys.remove(at: index) }
            return old
        }

        /// The first index whose key is not less than `key`.
        func insertionIndex(_ key: String) -> Int {
            var low = 0, high = sortedKeys.count
            while low < high {
                let mid = (low + high) / 2
                if sortedKeys[mid] < key { low = mid + 1 } else { high = mid }
            }
            return low
        }
    }

    struct Watcher {
        let type: ResourceType
        let namespace: String?
        let continuation: AsyncStream<WatchSignal>.Continuation
    }

    struct State {
        var resourceVersion = 1
        var tables: [String: Table] = [:]
        var history: [WatchEvent] = []
        var historyStart = 0
        var historyBytes = 0
        /// Watches from a resourceVersion at or below this get 410 Gone.
        var compactedThrough = 0
        var watchers: [Int: Watcher] = [:]
        var nextWatcherID = 0
        var closed = false
    }

    private let state = Mutex(State())
    /// History is bounded by both count and bytes, like the watch cache's capacity.
    private let historyLimit: Int
    private let historyByteLimit: Int
    /// Runs after each write inside the lock, so derived objects (PDB status) change atomically with their inputs.
    private let reconcile: @Sendable (inout ObjectStoreTransaction) -> Void

    init(historyLimit: Int = 20_000, historyByteLimit: Int = 96 << 20, initialResourceVersion: Int = 1,
         reconcile: @escaping @Sendable (inout ObjectStoreTransaction) -> Void = { _ in }) {
        state.withLock { $0.resourceVersion = max(1, initialResourceVersion) }
        self.historyLimit = historyLimit
        self.historyByteLimit = historyByteLimit
        self.reconcile = reconcile
    }

    /// The current global resourceVersion.
    public var resourceVersion: Int { state.withLock { $0.resourceVersion } }

    /// The resourceVersion at or below which watches and continue tokens are expired.
    public var compactedResourceVersion: Int { state.withLock { $0.compactedThrough } }

    public func get(_ type: ResourceType, namespace: String = "", name: String) -> StoredObject? {
        state.withLock { $0.tables[type.plural]?.objects[StoredObject.key(namespace: namespace, name: name)] }
    }

    /// A page of objects in key order, starting after `startKey`, filtered; also the current resourceVersion and
    /// the number of matching objects left after the page.
    func list(_ type: ResourceType, namespace: String?, startAfter startKey: String?, limit: Int?,
              where include: (StoredObject) -> Bool = { _ in true }) -> ListPage {
        state.withLock { s in
            let table = s.tables[type.plural] ?? Table()
            var keys = table.sortedKeys[...]
            if let namespace, type.namespaced {
                let prefix = namespace + "/"
                let start = table.insertionIndex(prefix)
                var end = start
                while end < keys.count, keys[end].hasPrefix(prefix) { end += 1 }
                keys = keys[start..<end]
            }
            if let startKey {
                let index = table.insertionIndex(startKey)
                var from = index
                if from < keys.endIndex, from >= keys.startIndex, keys[from] == startKey { from += 1 }
                keys = keys[min(max(from, keys.startIndex), keys.endIndex)..<keys.endIndex]
            }
            var items: [StoredObject] = []
            var lastKey: String?
            var remaining = 0
            for key in keys {
                guard let object = table.objects[key], include(object) else { continue }
                if let limit, items.count >= limit { remaining += 1; continue }
                items.append(object)
                lastKey = key
            }
            return ListPage(items: items, resourceVersion: s.resourceVersion, lastKey: remaining > 0 ? lastKey : nil,
                            remaining: remaining)
        }
    }

    /// Everything of one type, unfiltered and unpaged (for controllers and tests).
    public func all(_ type: ResourceType) -> [StoredObject] {
        list(type, namespace: nil, startAfter: nil, limit: nil).items
    }

    /// Creates `object`, setting uid, resourceVersion and creationTimestamp when absent.
    @discardableResult
    public func create(_ type: ResourceType, _ object: JSONValue) throws(StoreError) -> StoredObject {
        try transaction { (tx: inout ObjectStoreTransaction) throws(StoreError) in try tx.create(type, object) }
    }

    /// Replaces an object through `mutate`; a mutation that changes nothing bumps nothing and emits no event.
    @discardableResult
    public func update(_ type: ResourceType, namespace: String = "", name: String,
                       _ mutate: (inout JSONValue) throws(StoreError) -> Void) throws(StoreError) -> StoredObject {
        try transaction { (tx: inout ObjectStoreTransaction) throws(StoreError) in
            try tx.update(type, namespace: namespace, name: name, mutate)
        }
    }

    @discardableResult
    public func delete(_ type: ResourceType, namespace: String = "", name: String) throws(StoreError) -> StoredObject {
        try transaction { (tx: inout ObjectStoreTransaction) throws(StoreError) in
            try tx.delete(type, namespace: namespace, name: name)
        }
    }

    /// Runs several writes atomically, then reconciles derived state, then publishes the events.
    func transaction<T>(_ body: (inout ObjectStoreTransaction) throws(StoreError) -> T) throws(StoreError) -> T {
        let result: Result<T, StoreError> = state.withLock { s in
            // Move the state out so the transaction's copy is uniquely referenced: no copy-on-write of the tables.
            var tx = ObjectStoreTransaction(state: s)
            s = State()
            let result: Result<T, StoreError>
            do throws(StoreError) { result = .success(try body(&tx)) } catch { result = .failure(error) }
            if !tx.events.isEmpty { reconcile(&tx) }
            s = tx.state
            publish(tx.events, in: &s)
            return result
        }
        return try result.get()
    }

    private func publish(_ events: [WatchEvent], in s: inout State) {
        for event in events {
            s.history.append(event)
            s.historyBytes += event.line.count
            for watcher in s.watchers.values where watcher.type == event.object.type {
                if let namespace = watcher.namespace, event.object.namespace != namespace { continue }
                watcher.continuation.yield(.event(event))
            }
        }
        while s.history.count - s.historyStart > historyLimit || s.historyBytes > historyByteLimit {
            let dropped = s.history[s.historyStart]
            s.historyBytes -= dropped.line.count
            s.compactedThrough = dropped.resourceVersion
            s.historyStart += 1
        }
        if s.historyStart > 4096, s.historyStart * 2 > s.history.count {
            s.history.removeFirst(s.historyStart)
            s.historyStart = 0
        }
    }

    /// Loads a cluster's starting objects without recording history (a fresh server has none to replay), then
    /// reconciles derived state. Serialization, the expensive part, runs on all cores.
    func load(_ objects: [(ResourceType, JSONValue)]) throws(StoreError) {
        let base = state.withLock { $0.resourceVersion }
        var prepared: [(type: ResourceType, object: JSONValue, key: String)] = []
        prepared.reserveCapacity(objects.count)
        for (offset, (type, input)) in objects.enumerated() {
            var object = input
            let key = try ObjectStore.prepareForStore(type, &object).key
            ObjectDefaults.stampMetadata(&object, resourceVersion: base + offset + 1)
            prepared.append((type, object, key))
        }
        let inputs = prepared
        let stored = ParallelMap.map(count: inputs.count) { index in
            StoredObject(type: inputs[index].type, object: inputs[index].object, resourceVersion: base + index + 1)
        }
        try state.withLock { (s: inout State) throws(StoreError) in
            var tx = ObjectStoreTransaction(state: s)
            s = State()
            defer { s = tx.state }
            tx.recordEvents = false
            var namespaces = Set<String>()
            for (index, object) in stored.enumerated() {
                let key = inputs[index].key
                if tx.state.tables[object.type.plural]?.objects[key] != nil { throw .alreadyExists(object.type, object.name) }
                tx.state.tables[object.type.plural, default: Table()].put(key, object)
                namespaces.insert(object.namespace)
            }
            tx.state.resourceVersion = max(tx.state.resourceVersion, base + stored.count)
            DisruptionController.reconcile(&tx, namespaces: namespaces)
            tx.events.removeAll()
            tx.state.compactedThrough = tx.state.resourceVersion
        }
    }

    /// Forgets all history up to now, so any watch or continue token from an older resourceVersion gets 410 Gone.
    public func compact() {
        state.withLock { s in
            // Like the lease writes of a live apiserver, time moves on: no version a client has seen survives.
            s.resourceVersion += 1
            s.compactedThrough = s.resourceVersion
            s.history.removeAll()
            s.historyStart = 0
            s.historyBytes = 0
        }
    }

    /// Result of opening a watch.
    enum WatchStart {
        /// Events after the requested version (replayed from history), then the live stream.
        case started(id: Int, backlog: [WatchEvent], live: AsyncStream<WatchSignal>, resourceVersion: Int)
        /// The requested version is older than the history kept: (requested, oldest still known).
        case tooOld(requested: Int, current: Int)
        case closed
    }

    /// Opens a watch on `type` from `resourceVersion` (nil: from now, with the current objects as ADDED backlog
    /// when `initialEvents` is set).
    func watch(_ type: ResourceType, namespace: String?, from resourceVersion: Int?, initialEvents: Bool) -> WatchStart {
        state.withLock { s in
            if s.closed { return .closed }
            var backlog: [WatchEvent] = []
            if initialEvents {
                let table = s.tables[type.plural] ?? Table()
                for key in table.sortedKeys {
                    guard let object = table.objects[key] else { continue }
                    if let namespace, object.namespace != namespace { continue }
                    backlog.append(WatchEvent(kind: .added, object: object))
                }
            } else if let rv = resourceVersion, rv < s.resourceVersion {
                if rv < s.compactedThrough { return .tooOld(requested: rv, current: s.resourceVersion) }
                for event in s.history[s.historyStart...] where event.resourceVersion > rv && event.object.type == type {
                    if let namespace, event.object.namespace != namespace { continue }
                    backlog.append(event)
                }
            }
            let (stream, continuation) = AsyncStream<WatchSignal>.makeStream()
            let id = s.nextWatcherID
            s.nextWatcherID += 1
            s.watchers[id] = Watcher(type: type, namespace: namespace, continuation: continuation)
            return .started(id: id, backlog: backlog, live: stream, resourceVersion: s.resourceVersion)
        }
    }

    /// Queues a tick carrying the current resourceVersion behind every event already queued for this watch, so a
    /// bookmark built from it never runs ahead of an undelivered event.
    func tick(_ id: Int) {
        state.withLock { s in
            _ = s.watchers[id]?.continuation.yield(.tick(resourceVersion: s.resourceVersion))
        }
    }

    /// Ends one watch (its stream finishes).
    func endWatch(_ id: Int) {
        let watcher = state.withLock { $0.watchers.removeValue(forKey: id) }
        watcher?.continuation.finish()
    }

    /// Ends every open watch, e.g. to simulate an apiserver restart or at shutdown (`closing` refuses new ones).
    public func endAllWatches(closing: Bool = false) {
        let watchers = state.withLock { s in
            if closing { s.closed = true }
            let all = s.watchers
            s.watchers.removeAll()
            return all
        }
        for watcher in watchers.values { watcher.continuation.finish() }
    }

    public var openWatchCount: Int { state.withLock { $0.watchers.count } }
}

/// What a watch's stream carries: events, and periodic ticks for bookmarks, timeouts and faults.
enum WatchSignal: Sendable {
    case event(WatchEvent)
    case tick(resourceVersion: Int)
}

/// One page of a list.
extension ObjectStore {
    /// An object as it is stored: kind and apiVersion dropped (its type says them), a name required, a namespaced
    /// object's namespace filled in ("default" when absent); returns its name and its key in the type's table.
    static func prepareForStore(_ type: ResourceType, _ object: inout JSONValue) throws(StoreError) -> (name: String, key: String) {
        object["kind"] = nil
        object["apiVersion"] = nil
        guard let name = object[["metadata", "name"]]?.stringValue, !name.isEmpty else {
            throw .invalid("name or generateName is required")
        }
        let namespace = type.namespaced ? (object[["metadata", "namespace"]]?.stringValue ?? "default") : ""
        if type.namespaced { object.set(["metadata", "namespace"], .string(namespace)) }
        return (name, StoredObject.key(namespace: namespace, name: name))
    }
}

struct ListPage {
    let items: [StoredObject]
    let resourceVersion: Int
    /// The key of the last item returned when more remain (the continue position).
    let lastKey: String?
    let remaining: Int
}

/// Writes made under the store's lock; `events` are published when the transaction commits.
public struct ObjectStoreTransaction {
    var state: ObjectStore.State
    var events: [WatchEvent] = []
    /// Off while bulk-loading, so no watch event lines are built for objects nobody can be watching yet.
    var recordEvents = true

    init(state: ObjectStore.State) { self.state = state }

    public func get(_ type: ResourceType, namespace: String = "", name: String) -> StoredObject? {
        state.tables[type.plural]?.objects[StoredObject.key(namespace: namespace, name: name)]
    }

    public func all(_ type: ResourceType, namespace: String? = nil) -> [StoredObject] {
        let table = state.tables[type.plural] ?? ObjectStore.Table()
        return table.sortedKeys.compactMap { table.objects[$0] }.filter { namespace == nil || $0.namespace == namespace }
    }

    private mutating func nextVersion() -> Int {
        state.resourceVersion += 1
        return state.resourceVersion
    }

    @discardableResult
    public mutating func create(_ type: ResourceType, _ input: JSONValue) throws(StoreError) -> StoredObject {
        var object = input
        let (name, key) = try ObjectStore.prepareForStore(type, &object)
        if state.tables[type.plural]?.objects[key] != nil { throw .alreadyExists(type, name) }
        let rv = nextVersion()
        ObjectDefaults.stampMetadata(&object, resourceVersion: rv)
        let stored = StoredObject(type: type, object: object, resourceVersion: rv)
        state.tables[type.plural, default: ObjectStore.Table()].put(key, stored)
        if recordEvents { events.append(WatchEvent(kind: .added, object: stored)) }
        return stored
    }

    @discardableResult
    public mutating func update(_ type: ResourceType, namespace: String = "", name: String,
                                _ mutate: (inout JSONValue) throws(StoreError) -> Void) throws(StoreError) -> StoredObject {
        let key = StoredObject.key(namespace: namespace, name: name)
        guard let current = state.tables[type.plural]?.objects[key] else { throw .notFound(type, name) }
        var object = current.object
        try mutate(&object)
        object["kind"] = nil
        object["apiVersion"] = nil
        // Identity fields are the server's, whatever the patch said.
        object.set(["metadata", "name"], .string(name))
        object.set(["metadata", "uid"], current.object[["metadata", "uid"]])
        object.set(["metadata", "creationTimestamp"], current.object[["metadata", "creationTimestamp"]])
        if type.namespaced { object.set(["metadata", "namespace"], .string(namespace)) }
        object.set(["metadata", "resourceVersion"], current.object[["metadata", "resourceVersion"]])
        if object == current.object { return current }
        let rv = nextVersion()
        object.set(["metadata", "resourceVersion"], .string(String(rv)))
        let stored = StoredObject(type: type, object: object, resourceVersion: rv)
        state.tables[type.plural, default: ObjectStore.Table()].put(key, stored)
        if recordEvents { events.append(WatchEvent(kind: .modified, object: stored)) }
        return stored
    }

    @discardableResult
    public mutating func delete(_ type: ResourceType, namespace: String = "", name: String) throws(StoreError) -> StoredObject {
        let key = StoredObject.key(namespace: namespace, name: name)
        guard let old = state.tables[type.plural]?.remove(key) else { throw .notFound(type, name) }
        let rv = nextVersion()
        var object = old.object
        object.set(["metadata", "resourceVersion"], .string(String(rv)))
        let stored = StoredObject(type: type, object: object, resourceVersion: rv)
        if recordEvents { events.append(WatchEvent(kind: .deleted, object: stored)) }
        return stored
    }
}
