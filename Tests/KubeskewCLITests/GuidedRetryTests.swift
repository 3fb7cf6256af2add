import Foundation
import KubeClient
import KubeModel
import Synchronization
import NodeExec
import SkewCore
import Testing
import TestSupport
import TUI
import Upgrade
@testable import KubeskewCLI

/// The guided driver as the dashboard drives it (requests through `GuidedSession.onUpgrade`): `R` on a node that
/// failed while another node is in its drain (concurrency 2) drains that node once, and the run reads as running
/// (so quitting aborts it) as long as a node is in flight. Plans come from the real Planner and shipped runbooks.
@Suite(.timeLimit(.minutes(2))) struct GuidedRetryTests {
    struct Run {
        let session: GuidedSession
        let executor: GatedExecutor
        let node02InDrain: Gate
        let plan: RunPlan
        let journal: Journal
        var drains02: Int { executor.calls.filter { $0.line == ShippedPlans.drainLine(plan, "node02") }.count }
        func state() async -> RunState? { await session.driver.runState }
    }

    /// A journaled run of `nodes` (node02 and node08 first) the session resumes: node02 waits in its drain, node08's
    /// drain fails once.
    func startRun(_ nodes: [String]) async throws -> Run {
        let offline = try OfflineCluster(uid: "guided-test-cluster")
        let (client, journal, identity) = (offline.client, offline.journal, offline.identity)
        let node02InDrain = Gate()
        let executor = GatedExecutor(failFirst: [ShippedPlans.drainLine(try ShippedPlans.plan(nodes, concurrency: 2), "node08"): 1],
                                     gates: [ShippedPlans.drainLine(try ShippedPlans.plan(nodes, concurrency: 2), "node02"): node02InDrain])
        var plan = try ShippedPlans.plan(nodes, concurrency: 2, identity: identity)
        // Recorded as planning records them: a resume re-resolves each node's destination and refuses a change.
        plan = RunPlan(id: plan.id, createdAt: plan.createdAt, target: plan.target, concurrency: plan.concurrency,
                       nodes: try await plan.nodes.asyncMap { node in
                           var node = node
                           node.destination = try await executor.nodeDestination(for: try node.nodeTarget())
                           return node
                       }, identity: identity)
        try journal.create(plan)
        try journal.save(RunState(plan: plan, pid: Int32.max, startedAt: "2026-11-25T15:00:00Z"))
        let session = GuidedSession(setup: GuidedUpgradeDriver.Setup(
            client: client, context: AssessmentContext(today: CalendarDate(year: 2026, month: 11, day: 25)), journal: journal,
            nodeExecutor: executor, controlPlaneExecutor: executor, kubectl: ["kubectl"], drainTimeoutSeconds: nil,
            concurrency: 2, kubeadmProbes: KubeadmProbes(), identity: identity, gate: ReadyGate(),
            cordonMarks: RecordedCordonMarks(), leases: MemoryLeases()), inbox: try DashboardInbox())
        session.onUpgrade(.resumeInterrupted(runID: plan.id))
        let run = Run(session: session, executor: executor, node02InDrain: node02InDrain, plan: plan, journal: journal)
        await node02InDrain.arrived(1)
        await waitFor { await run.state()?.nodes[1].status == .failed }
        return run
    }

    @Test func retryWhileAnotherNodeDrainsDrainsItOnce() async throws {
        let run = try await startRun(["node02", "node08", "node09"])
        defer { try? FileManager.default.removeItem(at: run.journal.root.deletingLastPathComponent()) }
        run.session.onUpgrade(.retry(node: "node08"))
        // node08 goes on after its retry, and node09 after it: node02 is still in its drain all along.
        await waitFor { await run.state()?.nodes[2].status == .done }
        #expect(await run.session.driver.isRunning, "node02 is in flight: the run is running")
        run.node02InDrain.open()
        await waitFor {
            let running = await run.session.driver.isRunning
            let nodes = await run.state()?.nodes ?? []
            return !running && nodes.allSatisfy { $0.status == .done }
        }
        #expect(run.drains02 == 1, "node02's drain started \(run.drains02) times")
        _ = await run.session.stopForQuit(prefix: "test")
    }

    @Test func quittingAfterARetryStillAbortsTheNodeInFlight() async throws {
        let run = try await startRun(["node02", "node08"])
        defer { try? FileManager.default.removeItem(at: run.journal.root.deletingLastPathComponent()) }
        run.session.onUpgrade(.retry(node: "node08"))
        await waitFor { await run.state()?.nodes[1].status == .done }
        #expect(await run.session.driver.isRunning, "node02 is in flight: the run is running")
        let (wasRunning, state, _) = await run.session.stopForQuit(prefix: "test")
        #expect(wasRunning)
        #expect(state?.aborted == true, "quitting aborted the run")
        #expect(state?.nodes[0].status == .aborted)
        #expect(run.drains02 == 1)
    }
}

/// A node gate that answers at once: the node is back.
struct ReadyGate: NodeGate {
    func waitForNode(_ node: String, kubelet version: String, timeout: Duration) async throws -> String? { nil }
    func waitForControlPlane(_ node: String, version: String, timeout: Duration) async throws -> String? { nil }
}

/// Cordon marks kept in memory, for runs with no API server to write them to.
final class RecordedCordonMarks: CordonMarking, @unchecked Sendable {
    private let lock = NSLock()
    private var marks: [String: String] = [:]
    var current: [String: String] { lock.withLock { marks } }
    func mark(_ node: String, runID: String) async throws { lock.withLock { marks[node] = runID } }
    func clear(_ node: String) async throws { _ = lock.withLock { marks.removeValue(forKey: node) } }
    /// No cluster behind it: the run's own record stands.
    func isCordoned(_ node: String) async throws -> Bool { throw CancellationError() }
}

/// Leases kept in memory, for runs with no API server to hold them in: create of a taken name and a write at a
/// stale resourceVersion are 409s, as on the server.
final class MemoryLeases: LeaseAPI, Sendable {
    private let leases = Mutex<(items: [String: Lease], version: Int)>(([:], 0))

    func get(_ name: String) async throws -> LeaseReading? {
        leases.withLock { $0.items[name].map { LeaseReading(lease: $0, serverDate: Date()) } }
    }

    func create(_ lease: Lease) async throws -> LeaseReading { try write(lease, creating: true) }
    func update(_ lease: Lease) async throws -> LeaseReading { try write(lease, creating: false) }

    func delete(_ lease: Lease) async throws {
        try leases.withLock { s in
            guard let current = s.items[lease.metadata.name] else { throw KubeClientError.notFound(kind: "lease", name: lease.metadata.name) }
            guard current.metadata.resourceVersion == lease.metadata.resourceVersion else { throw KubeClientError.conflict(serverMessage: "stale") }
            s.items[lease.metadata.name] = nil
        }
    }

    private func write(_ lease: Lease, creating: Bool) throws -> LeaseReading {
        try leases.withLock { s in
            let current = s.items[lease.metadata.name]
            if creating, current != nil { throw KubeClientError.conflict(serverMessage: "already exists") }
            if !creating {
                guard let current else { throw KubeClientError.notFound(kind: "lease", name: lease.metadata.name) }
                guard current.metadata.resourceVersion == lease.metadata.resourceVersion else { throw KubeClientError.conflict(serverMessage: "stale") }
            }
            var written = lease
            s.version += 1
            written.metadata.resourceVersion = String(s.version)
            written.metadata.uid = current?.metadata.uid ?? UUID().uuidString
            s.items[lease.metadata.name] = written
            return LeaseReading(lease: written, serverDate: Date())
        }
    }
}

/// A journal and an API client that is never reached, for driver tests whose gate and executors answer everything:
/// the resumed run needs no API, the client only has to exist. The run belongs to this cluster (`identity`).
struct OfflineCluster {
    let dir: URL
    let client: KubeAPIClient
    let journal: Journal
    let identity: RunIdentity

    init(uid: String) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-\(uid)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let kubeconfig = dir.appendingPathComponent("kubeconfig").path
        try """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: x, context: {cluster: c, user: u}}]
        current-context: x
        """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        client = KubeAPIClient(config: try KubeconfigLoader.load(explicitPath: kubeconfig, environment: [:]))
        journal = Journal(root: dir.appendingPathComponent("runs"))
        identity = RunIdentity(clusterUID: uid, server: "https://127.0.0.1:9", kubeconfigFiles: [kubeconfig],
                               context: "x", executor: ExecutorIdentity(kind: "simulated"))
    }
}

/// Plans made by the real Planner from the shipped apt runbook (v1.33.2 → v1.33.3).
enum ShippedPlans {
    static func plan(_ nodes: [String], concurrency: Int, identity: RunIdentity? = nil) throws -> RunPlan {
        let v = { (s: String) in KubeVersion.parse(s)! }
        let plans = try nodes.enumerated().map { i, node in
            try Planner().plan(name: node, internalIP: "127.0.1.\(i + 1)", from: v("v1.33.2"), target: v("v1.33.3"),
                               hops: [Hop(version: v("v1.33.3"), changesMinor: false)], packageManager: .apt)
        }
        return RunPlan(id: "20261125T150000Z-guided", createdAt: "2026-11-25T15:00:00Z", target: v("v1.33.3"),
                       concurrency: concurrency, nodes: plans, identity: identity)
    }

    static func drainLine(_ plan: RunPlan, _ node: String) -> String {
        let step = plan.nodes.first { $0.node == node }!.steps.first { $0.kind == .drain }!
        guard case let .commands(argvs, _) = step.action else { return "" }
        return argvs[0].joined(separator: " ")
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
