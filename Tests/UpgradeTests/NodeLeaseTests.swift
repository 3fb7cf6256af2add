import Foundation
import KubeClient
import KubeModel
import NodeExec
import Synchronization
import Testing
import TestSupport
@testable import Upgrade

/// An in-memory Lease store with the API server's optimistic concurrency: create of an existing name and a write
/// at a stale resourceVersion (or with stale delete preconditions) are `.conflict` (409); a missing one `.notFound`.
final class FakeLeaseAPI: LeaseAPI, Sendable {
    struct Store {
        var leases: [String: Lease] = [:]
        var resourceVersion = 100
        /// Every call, in order ("get kubeskew-node-node01", "update …", …).
        var calls: [String] = []
        /// Thrown by every call while set (an API server that does not answer).
        var failing: KubeClientError?
        /// Run once, just before the next create or update: another writer getting there first.
        var beforeNextWrite: (@Sendable (inout Store) -> Void)?
        /// When the last create or update was written.
        var lastWrite: ContinuousClock.Instant?
    }
    let store = Mutex(Store())

    var calls: [String] { store.withLock { $0.calls } }
    func lease(_ node: String) -> Lease? { store.withLock { $0.leases[NodeLease.name(for: node)] } }

    func get(_ name: String) async throws -> LeaseReading? {
        try store.withLock { s in
            s.calls.append("get \(name)")
            if let failing = s.failing { throw failing }
            return s.leases[name].map { LeaseReading(lease: $0, serverDate: Date()) }
        }
    }

    func create(_ lease: Lease) async throws -> LeaseReading {
        try store.withLock { s in
            s.calls.append("create \(lease.metadata.name)")
            if let failing = s.failing { throw failing }
            if let before = s.beforeNextWrite { s.beforeNextWrite = nil; before(&s) }
            guard s.leases[lease.metadata.name] == nil else {
                throw KubeClientError.conflict(serverMessage: "leases.coordination.k8s.io \"\(lease.metadata.name)\" already exists")
            }
            var created = lease
            s.resourceVersion += 1
            created.metadata.uid = UUID().uuidString.lowercased()
            created.metadata.resourceVersion = String(s.resourceVersion)
            s.leases[lease.metadata.name] = created
            s.lastWrite = .now
            return LeaseReading(lease: created, serverDate: Date())
        }
    }

    func update(_ lease: Lease) async throws -> LeaseReading {
        try store.withLock { s in
            s.calls.append("update \(lease.metadata.name)")
            if let failing = s.failing { throw failing }
            if let before = s.beforeNextWrite { s.beforeNextWrite = nil; before(&s) }
            guard let current = s.leases[lease.metadata.name] else { throw KubeClientError.notFound(kind: "lease", name: lease.metadata.name) }
            guard current.metadata.resourceVersion == lease.metadata.resourceVersion else {
                throw KubeClientError.conflict(serverMessage: "the object has been modified")
            }
            var updated = lease
            s.resourceVersion += 1
            updated.metadata.uid = current.metadata.uid
            updated.metadata.resourceVersion = String(s.resourceVersion)
            s.leases[lease.metadata.name] = updated
            s.lastWrite = .now
            return LeaseReading(lease: updated, serverDate: Date())
        }
    }

    func delete(_ lease: Lease) async throws {
        try store.withLock { s in
            s.calls.append("delete \(lease.metadata.name)")
            if let failing = s.failing { throw failing }
            guard let current = s.leases[lease.metadata.name] else { throw KubeClientError.notFound(kind: "lease", name: lease.metadata.name) }
            guard current.metadata.uid == lease.metadata.uid, current.metadata.resourceVersion == lease.metadata.resourceVersion else {
                throw KubeClientError.conflict(serverMessage: "Precondition failed")
            }
            s.leases[lease.metadata.name] = nil
        }
    }

    /// Another holder's Lease on `node`, renewed `renewedAgo` seconds ago, written straight into the store.
    static func lease(_ node: String, holder: String?, renewedAgo: TimeInterval, duration: Int = 60, rv: Int) -> Lease {
        let renewed = MicroTime.format(Date().addingTimeInterval(-renewedAgo))
        var metadata = ObjectMeta(name: NodeLease.name(for: node), namespace: NodeLease.namespace, labels: [NodeLease.managedByLabel: "kubeskew"])
        metadata.uid = UUID().uuidString.lowercased()
        metadata.resourceVersion = String(rv)
        return Lease(metadata: metadata, spec: .init(holderIdentity: holder, leaseDurationSeconds: duration,
                                                     acquireTime: renewed, renewTime: renewed, leaseTransitions: 0))
    }

    func put(_ node: String, holder: String?, renewedAgo: TimeInterval, duration: Int = 60) {
        store.withLock { s in
            s.resourceVersion += 1
            s.leases[NodeLease.name(for: node)] = Self.lease(node, holder: holder, renewedAgo: renewedAgo, duration: duration, rv: s.resourceVersion)
        }
    }

    /// Someone else takes the Lease of `node` over (as an update would: same uid, a new resourceVersion).
    func steal(_ node: String, by holder: String) {
        store.withLock { s in
            guard var lease = s.leases[NodeLease.name(for: node)] else { return }
            s.resourceVersion += 1
            lease.spec.holderIdentity = holder
            lease.metadata.resourceVersion = String(s.resourceVersion)
            s.leases[lease.metadata.name] = lease
        }
    }

    func fail(with error: KubeClientError?) { store.withLock { $0.failing = error } }
}

/// Keeps the holds it hands out, so a test can see what the engine's node holds.
final class RecordingLeasing: NodeLeasing, Sendable {
    let inner: NodeLeases
    private let holds = Mutex<[String: NodeLeaseHold]>([:])
    init(_ inner: NodeLeases) { self.inner = inner }
    func hold(_ node: String) -> NodeLeaseHold? { holds.withLock { $0[node] } }
    func acquire(_ node: String) async -> LeaseAcquisition {
        let outcome = await inner.acquire(node)
        if case .held(let hold) = outcome { holds.withLock { $0[node] = hold } }
        return outcome
    }
}

@Suite struct LeaseDecisionTests {
    let me = LeaseHolder(user: "bob", host: "desk", id: "20261207T160000Z-bbbbbb")
    let alice = "alice@laptop run 20261207T155900Z-aaaaaa"
    let now = Date()

    @Test func freeOwnLiveExpiredAndReleased() {
        #expect(LeaseDecision.decide(nil, holder: me, serverNow: now) == .create)
        let own = FakeLeaseAPI.lease("node01", holder: me.identity, renewedAgo: 10, rv: 1)
        #expect(LeaseDecision.decide(own, holder: me, serverNow: now) == .takeBack)
        // Our own Lease is taken back even when it expired (a resumed run whose process was killed).
        let ownExpired = FakeLeaseAPI.lease("node01", holder: me.identity, renewedAgo: 600, rv: 1)
        #expect(LeaseDecision.decide(ownExpired, holder: me, serverNow: now) == .takeBack)
        let live = FakeLeaseAPI.lease("node01", holder: alice, renewedAgo: 10, rv: 1)
        guard case .refuse(let holder, let since, _) = LeaseDecision.decide(live, holder: me, serverNow: now) else {
            Issue.record("a live Lease of another holder was not refused"); return
        }
        #expect(holder == alice)
        #expect(since != nil)
        let expired = FakeLeaseAPI.lease("node01", holder: alice, renewedAgo: 61 + LeaseDecision.margin, rv: 1)
        #expect(LeaseDecision.decide(expired, holder: me, serverNow: now) == .takeOver(previousHolder: alice))
        let released = FakeLeaseAPI.lease("node01", holder: nil, renewedAgo: 1, rv: 1)
        #expect(LeaseDecision.decide(released, holder: me, serverNow: now) == .takeOver(previousHolder: nil))
    }

    /// Within the margin after its expiry a Lease still counts as live; a Lease without renew time counts as live.
    @Test func conservativeAtTheEdges() {
        let justExpired = FakeLeaseAPI.lease("node01", holder: alice, renewedAgo: 60.5, rv: 1)
        if case .refuse = LeaseDecision.decide(justExpired, holder: me, serverNow: now) {} else {
            Issue.record("a Lease half a second past its expiry was taken over (clock margin)")
        }
        var noTimes = FakeLeaseAPI.lease("node01", holder: alice, renewedAgo: 0, rv: 1)
        noTimes.spec.renewTime = nil
        noTimes.spec.acquireTime = nil
        if case .refuse = LeaseDecision.decide(noTimes, holder: me, serverNow: now) {} else {
            Issue.record("a held Lease without renew time was taken over")
        }
    }

    @Test func holderIdentityKeepsOnlySafeCharacters() {
        let holder = LeaseHolder(user: "ev\u{1b}[31mil user", host: "host.example.com", id: "run;rm -rf")
        #expect(holder.identity == "ev31miluser@host.example.com run runrm-rf")
        #expect(LeaseHolder.local(run: "20261207T160000Z-abcdef").identity.hasSuffix(" run 20261207T160000Z-abcdef"))
    }

    @Test func leaseNamesFitAndLongNodesDoNotCollide() {
        #expect(NodeLease.name(for: "node03") == "kubeskew-node-node03")
        // A first label of 60 characters: valid for a node, too long once prefixed.
        let a = String(repeating: "a", count: 60) + "." + String(repeating: "b", count: 60) + ".x"
        let b = String(repeating: "a", count: 60) + "." + String(repeating: "b", count: 60) + ".y"
        #expect(throws: Never.self) { try ObjectName.validate(a, what: "node") }
        #expect(NodeLease.name(for: a) != NodeLease.name(for: b))
        #expect(NodeLease.name(for: a).hasPrefix("kubeskew-node-aaaa"))
        #expect(throws: Never.self) { try ObjectName.validate(NodeLease.name(for: a), what: "lease") }
        #expect(throws: Never.self) { try ObjectName.validate(NodeLease.name(for: "ab." + a), what: "lease") }
    }

    @Test func refusalNamesTheHolderAndTheTime() {
        let since = MicroTime.parse("2026-12-07T16:02:11.123456Z")!
        let text = LeaseDecision.refusal(node: "node03", holder: alice, since: since)
        #expect(text.hasPrefix("node03: being upgraded by \(alice) since "))
        #expect(text.contains("16:02 UTC"))
        #expect(text.hasSuffix("; wait for it or ask them"))
    }

    @Test func microTimeRoundTrips() {
        let text = MicroTime.format(Date(timeIntervalSince1970: 1_796_659_331.25))
        #expect(text == "2026-12-07T16:02:11.250000Z")
        #expect(MicroTime.parse(text)?.timeIntervalSince1970 == 1_796_659_331.25)
    }
}

@Suite struct NodeLeasesTests {
    let fast = LeaseTiming(duration: .seconds(2), renewInterval: .milliseconds(20), retryInterval: .milliseconds(10))
    let alice = "alice@laptop run 20261207T155900Z-aaaaaa"

    func leases(_ api: FakeLeaseAPI, run: String = "20261207T160000Z-bbbbbb") -> NodeLeases {
        NodeLeases(api: api, holder: LeaseHolder(user: "bob", host: "desk", id: run), timing: fast)
    }

    @Test func freeNodeIsHeldRenewedAndReleased() async throws {
        let api = FakeLeaseAPI()
        guard case .held(let hold) = await leases(api).acquire("node01") else { Issue.record("not held"); return }
        let lease = try #require(api.lease("node01"))
        #expect(lease.spec.holderIdentity == "bob@desk run 20261207T160000Z-bbbbbb")
        #expect(lease.spec.leaseDurationSeconds == 2)
        #expect(lease.metadata.labels?[NodeLease.managedByLabel] == "kubeskew")
        #expect(lease.metadata.annotations?[NodeLease.nodeAnnotation] == "node01")
        #expect(lease.spec.acquireTime.flatMap(MicroTime.parse) != nil)
        await waitFor { hold.renewals >= 2 }
        #expect(hold.lost == nil)
        #expect(await hold.release() == nil)
        #expect(api.lease("node01") == nil, "released: the Lease is deleted")
    }

    @Test func liveLeaseOfAnotherHolderRefusesAndWritesNothing() async {
        let api = FakeLeaseAPI()
        api.put("node01", holder: alice, renewedAgo: 5)
        guard case .refused(let reason) = await leases(api).acquire("node01") else { Issue.record("not refused"); return }
        #expect(reason.hasPrefix("node01: being upgraded by \(alice) since "), "\(reason)")
        #expect(api.calls == ["get kubeskew-node-node01"], "a refusal writes nothing")
        #expect(api.lease("node01")?.spec.holderIdentity == alice)
    }

    @Test func expiredLeaseIsTakenOver() async {
        let api = FakeLeaseAPI()
        api.put("node01", holder: alice, renewedAgo: 300)
        guard case .held(let hold) = await leases(api).acquire("node01") else { Issue.record("not taken over"); return }
        #expect(api.lease("node01")?.spec.holderIdentity == "bob@desk run 20261207T160000Z-bbbbbb")
        #expect(api.lease("node01")?.spec.leaseTransitions == 1)
        await hold.release()
    }

    /// The same run resumed by the same holder takes its own Lease back at once, even unexpired.
    @Test func ownLeaseIsTakenBackOnResume() async {
        let api = FakeLeaseAPI()
        api.put("node01", holder: "bob@desk run 20261207T160000Z-bbbbbb", renewedAgo: 5)
        guard case .held(let hold) = await leases(api).acquire("node01") else { Issue.record("own Lease refused"); return }
        await hold.release()
        // Another run of the same person on the same machine is another holder.
        api.put("node01", holder: "bob@desk run 20261207T160000Z-bbbbbb", renewedAgo: 5)
        guard case .refused = await leases(api, run: "20261207T170000Z-cccccc").acquire("node01") else {
            Issue.record("another run took a live Lease"); return
        }
    }

    /// Two writers race: the other creates the Lease between our read and our create (409 AlreadyExists), or takes
    /// an expired one over between our read and our update (409 Conflict). Ours is refused, naming the winner.
    @Test func conflictMeansSomeoneElseWon() async {
        let api = FakeLeaseAPI()
        let alice = self.alice
        api.store.withLock { s in
            s.beforeNextWrite = { s in s.leases[NodeLease.name(for: "node01")] = FakeLeaseAPI.lease("node01", holder: alice, renewedAgo: 0, rv: 500) }
        }
        guard case .refused(let created) = await leases(api).acquire("node01") else { Issue.record("create race not refused"); return }
        #expect(created.contains("being upgraded by \(alice)"), "\(created)")

        let racy = FakeLeaseAPI()
        racy.put("node02", holder: "carol@pc run 20261207T100000Z-dddddd", renewedAgo: 600)
        racy.store.withLock { s in
            s.beforeNextWrite = { s in
                s.resourceVersion += 1
                s.leases[NodeLease.name(for: "node02")] = FakeLeaseAPI.lease("node02", holder: alice, renewedAgo: 0, rv: s.resourceVersion)
            }
        }
        guard case .refused(let updated) = await leases(racy).acquire("node02") else { Issue.record("takeover race not refused"); return }
        #expect(updated.contains("being upgraded by \(alice)"), "\(updated)")
        #expect(racy.lease("node02")?.spec.holderIdentity == alice)
    }

    @Test func anAPIErrorRefusesTheNode() async {
        let api = FakeLeaseAPI()
        api.fail(with: .forbidden(user: "bob", verb: "get", resource: "leases", serverMessage: "forbidden"))
        guard case .refused(let reason) = await leases(api).acquire("node01") else { Issue.record("not refused"); return }
        #expect(reason.contains("nothing was done to the node"), "\(reason)")
        #expect(reason.contains("leases in kube-system"), "\(reason)")
    }

    /// Renewal finds the Lease someone else's: lost, said with the new holder, and release leaves their Lease alone.
    @Test func renewalLosesTheLeaseToAnotherHolder() async {
        let api = FakeLeaseAPI()
        guard case .held(let hold) = await leases(api).acquire("node01") else { Issue.record("not held"); return }
        api.steal("node01", by: alice)
        await waitFor { hold.lost != nil }
        #expect(hold.lost == "lost the lease on node01 to \(alice)")
        await hold.release()
        #expect(api.lease("node01")?.spec.holderIdentity == alice, "release deleted the new holder's Lease")
    }

    @Test func renewalSeesTheLeaseDeleted() async {
        let api = FakeLeaseAPI()
        guard case .held(let hold) = await leases(api).acquire("node01") else { Issue.record("not held"); return }
        api.store.withLock { $0.leases.removeAll() }
        await waitFor { hold.lost != nil }
        #expect(hold.lost?.contains("someone deleted kube-system/kubeskew-node-node01") == true, "\(hold.lost ?? "")")
        await hold.release()
    }

    /// API errors while renewing are retried while the Lease lasts, and a renewal after them keeps it. (The duration
    /// is long here, and the loss is its own test below: on a loaded CI machine three retries once took longer than
    /// a short Lease, the Lease was rightly lost, and a test waiting for the next renewal waited for ever.)
    @Test func transientErrorsAreRetriedWhileTheLeaseLasts() async {
        let api = FakeLeaseAPI()
        let timing = LeaseTiming(duration: .seconds(60), renewInterval: .milliseconds(20), retryInterval: .milliseconds(10))
        let leases = NodeLeases(api: api, holder: LeaseHolder(user: "bob", host: "desk", id: "r1"), timing: timing)
        guard case .held(let hold) = await leases.acquire("node01") else { Issue.record("not held"); return }
        api.fail(with: .connectionRefused(server: "https://cp:6443"))
        let failedBefore = api.calls.count
        await waitFor { api.calls.count >= failedBefore + 3 }
        #expect(hold.lost == nil, "lost on the first errors: \(hold.lost ?? "")")
        // The API answers again: renewed, still held.
        api.fail(with: nil)
        let renewed = hold.renewals
        await waitFor { hold.renewals > renewed || hold.lost != nil }
        #expect(hold.lost == nil)
        await hold.release()
    }

    /// An API that stays down: the Lease is lost once a whole duration passed since the last renewal written, not
    /// before, and the message says why.
    @Test func aLeaseNotRenewedForItsDurationIsLost() async {
        let api = FakeLeaseAPI()
        let timing = LeaseTiming(duration: .milliseconds(1500), renewInterval: .milliseconds(20), retryInterval: .milliseconds(10))
        let leases = NodeLeases(api: api, holder: LeaseHolder(user: "bob", host: "desk", id: "r1"), timing: timing)
        guard case .held(let hold) = await leases.acquire("node01") else { Issue.record("not held"); return }
        api.fail(with: .connectionRefused(server: "https://cp:6443"))
        await waitFor { hold.lost != nil }
        let lastWrite = api.store.withLock { $0.lastWrite }
        #expect(lastWrite != nil, "the Lease was written before the renewals failed")
        if let lastWrite { #expect(ContinuousClock.now - lastWrite >= .milliseconds(1500)) }
        #expect(hold.lost?.contains("could not be renewed for 1 s") == true, "\(hold.lost ?? "")")
        await hold.release()
    }
}

/// The engine under Leases: two runs on one node, and a run that loses its node's Lease mid-way.
@Suite struct EngineLeaseTests {
    let fast = LeaseTiming(duration: .seconds(2), renewInterval: .milliseconds(20), retryInterval: .milliseconds(10))

    func engine(_ plan: RunPlan, executor: any NodeExecutor, leases: any NodeLeasing, events: EventLog = EventLog()) throws -> UpgradeEngine {
        try UpgradeEngine(plan: plan, journal: EngineFixtures.tempJournal(), nodeExecutor: executor, controlPlaneExecutor: executor,
                          gate: FakeGate(), leases: leases, onEvent: { events.add($0) })
    }

    /// The safety case in one process: run A drains node01 (held at its drain); run B, another holder on the same
    /// cluster, is refused node01 and runs nothing on it; once A is done, the Lease is gone and B may go on.
    @Test func secondRunIsRefusedTheNodeTheFirstHolds() async throws {
        let api = FakeLeaseAPI()
        let planA = try ShippedPlans.plan(["node01"], id: "20261207T160000Z-aaaaaa")
        let planB = try ShippedPlans.plan(["node01"], id: "20261207T160100Z-bbbbbb")
        let inDrain = Gate()
        let executorA = GatedExecutor(gates: [ShippedPlans.drainLine(planA, "node01"): inDrain])
        let executorB = GatedExecutor()
        let a = try engine(planA, executor: executorA, leases: NodeLeases(api: api, holder: LeaseHolder(user: "alice", host: "laptop", id: planA.id), timing: fast))
        let eventsB = EventLog()
        let b = try engine(planB, executor: executorB, leases: NodeLeases(api: api, holder: LeaseHolder(user: "bob", host: "desk", id: planB.id), timing: fast), events: eventsB)
        try await a.start()
        await inDrain.arrived()
        let stateB = try await b.run()
        #expect(stateB.nodes[0].status == .refused)
        #expect(stateB.nodes[0].message?.hasPrefix("node01: being upgraded by alice@laptop run \(planA.id) since ") == true, "\(stateB.nodes[0].message ?? "")")
        #expect(stateB.nodes[0].steps.allSatisfy { $0.state == .pending })
        #expect(executorB.calls.isEmpty, "run B ran \(executorB.calls.map(\.line)) on node01 while run A held it")
        #expect(eventsB.all.contains { if case .nodeStopped("node01", let r) = $0 { return r.contains("being upgraded by") } else { return false } })
        inDrain.open()
        let stateA = await a.finished()
        #expect(stateA.allDone)
        #expect(api.lease("node01") == nil, "run A's Lease outlived its node")
        // B goes on once A is done: the refused node is retried and runs.
        try await b.retry(node: "node01")
        #expect(await b.finished().allDone)
    }

    /// The Lease is lost while the drain runs: the drain finishes (a running step is never killed for it), no
    /// further step starts, the node stops aborted with the reason, and the new holder's Lease is left alone.
    @Test func lostLeaseStopsTheNodeAtTheNextSafePoint() async throws {
        let api = FakeLeaseAPI()
        let plan = try ShippedPlans.plan(["node01"], id: "20261207T160000Z-aaaaaa")
        let inDrain = Gate()
        let drain = ShippedPlans.drainLine(plan, "node01")
        let executor = GatedExecutor(gates: [drain: inDrain])
        let leasing = RecordingLeasing(NodeLeases(api: api, holder: LeaseHolder(user: "alice", host: "laptop", id: plan.id), timing: fast))
        let events = EventLog()
        let e = try engine(plan, executor: executor, leases: leasing, events: events)
        try await e.start()
        await inDrain.arrived()
        api.steal("node01", by: "carol@pc run 20261207T161000Z-cccccc")
        await waitFor { leasing.hold("node01")?.lost != nil }
        inDrain.open()
        let state = await e.finished()
        let node = state.nodes[0]
        let drainIndex = try #require(plan.nodes[0].steps.firstIndex { $0.kind == .drain })
        #expect(node.steps[drainIndex].state == .done, "the drain in flight finishes")
        #expect(node.steps[(drainIndex + 1)...].allSatisfy { $0.state == .pending }, "a step started after the Lease was lost")
        #expect(node.status == .aborted)
        #expect(node.message?.hasPrefix("lost the lease on node01 to carol@pc run 20261207T161000Z-cccccc; stopped before step ") == true,
                "\(node.message ?? "")")
        #expect(node.cordonedByRun, "the node is reported left cordoned")
        let afterDrain = executor.calls.drop { $0.line != drain }.dropFirst()
        #expect(afterDrain.isEmpty, "ran after the drain: \(afterDrain.map(\.line))")
        #expect(api.lease("node01")?.spec.holderIdentity == "carol@pc run 20261207T161000Z-cccccc")
    }

    /// R right after a failure: the node's Lease may still be being given up, yet the retry is taken at once and
    /// the node runs again under a new Lease, which is gone when the run ends.
    @Test func retryRightAfterAFailureIsTakenWhileTheLeaseIsGivenUp() async throws {
        let api = FakeLeaseAPI()
        let plan = try ShippedPlans.plan(["node01"], id: "20261207T160000Z-aaaaaa")
        let executor = GatedExecutor(failFirst: [ShippedPlans.drainLine(plan, "node01"): 1])
        let e = try engine(plan, executor: executor,
                           leases: NodeLeases(api: api, holder: LeaseHolder(user: "alice", host: "laptop", id: plan.id), timing: fast),
                           events: EventLog())
        try await e.start()
        await waitFor { await e.state.nodes[0].status == .failed }
        try await e.retry(node: "node01")
        #expect(await e.finished().allDone)
        #expect(api.lease("node01") == nil)
    }
}
