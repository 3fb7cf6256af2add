import Foundation
@testable import Simulator
import Testing

/// The store under the API: resourceVersions, paging order, history limits and PDB status.
@Suite("object store")
struct ObjectStoreTests {
    func pod(_ name: String, namespace: String, labels: [String: String] = [:], phase: String = "Running") -> JSONValue {
        var random = SeededRandom(seed: UInt64(name.utf8.count))
        return PodFactory.pod(name: name, namespace: namespace, node: "n1", hostIP: "10.0.0.1", podIP: "10.1.0.1", labels: labels,
                              owner: nil, containers: [.init(name: "c", image: "busybox:1")], phase: phase,
                              created: "2026-11-25T13:00:00Z", random: &random)
    }

    @Test("every write bumps one global resourceVersion; a no-op update bumps nothing")
    func versions() throws {
        let store = ObjectStore()
        let a = try store.create(.pods, pod("a", namespace: "x"))
        let b = try store.create(.configMaps, .object([("metadata", .object([("name", .string("cm")), ("namespace", .string("x"))]))]))
        #expect(b.resourceVersion == a.resourceVersion + 1)
        #expect(b.object[["metadata", "resourceVersion"]] == .string(String(b.resourceVersion)))
        let same = try store.update(.pods, namespace: "x", name: "a") { _ in }
        #expect(same.resourceVersion == a.resourceVersion)
        #expect(store.resourceVersion == b.resourceVersion)
        #expect(throws: StoreError.alreadyExists(.pods, "a")) { try store.create(.pods, pod("a", namespace: "x")) }
        #expect(throws: StoreError.notFound(.pods, "zz")) { try store.delete(.pods, namespace: "x", name: "zz") }
    }

    @Test("lists page in namespace/name order, within a namespace too, and past the end safely")
    func paging() throws {
        let store = ObjectStore()
        for (ns, name) in [("b", "p2"), ("a", "p9"), ("b", "p1"), ("c", "p0")] { try store.create(.pods, pod(name, namespace: ns)) }
        let first = store.list(.pods, namespace: nil, startAfter: nil, limit: 2)
        #expect(first.items.map { "\($0.namespace)/\($0.name)" } == ["a/p9", "b/p1"])
        #expect(first.remaining == 2)
        let second = store.list(.pods, namespace: nil, startAfter: first.lastKey, limit: 2)
        #expect(second.items.map { "\($0.namespace)/\($0.name)" } == ["b/p2", "c/p0"])
        #expect(second.lastKey == nil)
        #expect(store.list(.pods, namespace: "b", startAfter: nil, limit: nil).items.map(\.name) == ["p1", "p2"])
        #expect(store.list(.pods, namespace: "b", startAfter: "z/zz", limit: 1).items.isEmpty)
        #expect(store.list(.pods, namespace: "a", startAfter: "b/p1", limit: 1).items.isEmpty)
    }

    @Test("history older than its limit is compacted: watches from before it are told 410")
    func historyLimit() throws {
        let store = ObjectStore(historyLimit: 3)
        let start = store.resourceVersion
        for i in 0..<5 { try store.create(.pods, pod("p\(i)", namespace: "x")) }
        guard case .tooOld = store.watch(.pods, namespace: nil, from: start, initialEvents: false) else {
            Issue.record("a watch from a compacted version was accepted"); return
        }
        guard case .started(let id, let backlog, _, _) = store.watch(.pods, namespace: nil, from: store.resourceVersion - 2, initialEvents: false) else {
            Issue.record("a watch within the history was refused"); return
        }
        #expect(backlog.map(\.object.name) == ["p3", "p4"])
        store.endWatch(id)
        #expect(store.openWatchCount == 0)
    }

    @Test("PDB status follows the pods it selects", arguments: [
        ("minAvailable", JSONValue.int(2), 3, 1), ("minAvailable", .string("50%"), 3, 1), ("maxUnavailable", .int(0), 3, 0),
        ("maxUnavailable", .string("34%"), 3, 1),
    ])
    func disruptionBudget(field: String, value: JSONValue, pods: Int, allowed: Int) throws {
        let store = ObjectStore(reconcile: { DisruptionController.reconcile(&$0) })
        for i in 0..<pods { try store.create(.pods, pod("web-\(i)", namespace: "d", labels: ["app": "web"])) }
        try store.create(.pods, pod("other", namespace: "d", labels: ["app": "db"]))
        try store.create(.pods, pod("pending", namespace: "d", labels: ["app": "web"], phase: "Pending"))
        let spec: JSONValue = .object([(field, value), ("selector", .object([("matchLabels", .object([("app", .string("web"))]))]))])
        try store.create(.podDisruptionBudgets, .object([("metadata", .object([("name", .string("pdb")), ("namespace", .string("d")),
                                                                               ("generation", .int(1))])), ("spec", spec)]))
        let status = try #require(store.get(.podDisruptionBudgets, namespace: "d", name: "pdb")?.object["status"])
        #expect(status["expectedPods"] == .int(pods + 1))
        #expect(status["currentHealthy"] == .int(pods))
        // The Pending pod is expected but not healthy.
        #expect(status["disruptionsAllowed"] == .int(allowed))
        try store.delete(.pods, namespace: "d", name: "web-0")
        let after = try #require(store.get(.podDisruptionBudgets, namespace: "d", name: "pdb")?.object["status"])
        #expect(after["currentHealthy"] == .int(pods - 1))
    }
}
