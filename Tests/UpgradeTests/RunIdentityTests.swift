import Foundation
import NodeExec
import SkewCore
import Testing
@testable import Upgrade

/// A run belongs to one cluster (issue 10, finding 2): what the resume offer lists, what a resume refuses and why.
struct RunIdentityTests {
    static func version(_ s: String) -> KubeVersion { KubeVersion.parse(s)! }

    static let sim = RunIdentity(clusterUID: "6f1c2a40-0000-4000-8000-000000000001", server: "https://127.0.0.1:39343",
                                 kubeconfigFiles: ["/home/op/.kube/sim"], context: "sim",
                                 executor: ExecutorIdentity(kind: "simulated"))
    static let prod = RunIdentity(clusterUID: "9a2e7b10-0000-4000-8000-000000000002", server: "https://prod.example:6443",
                                  kubeconfigFiles: ["/home/op/.kube/config"], context: "prod-eu",
                                  executor: ExecutorIdentity(kind: "ssh", options: ["ssh-user": "ops"]))

    static func plan(id: String, identity: RunIdentity?, destination: NodeDestination? = nil) -> RunPlan {
        var node = NodePlan(node: "node01", internalIP: "10.0.0.5", from: version("v1.33.2"), target: version("v1.33.3"),
                            hops: [Hop(version: version("v1.33.3"), changesMinor: false)], packageManager: .apt,
                            steps: [PlannedStep(id: "h1-uncordon", name: "uncordon", kind: .uncordon, location: .controlPlane,
                                                action: .commands(argvs: [["kubectl", "uncordon", "node01"]], privileged: false),
                                                idempotent: true)])
        node.destination = destination
        return RunPlan(id: id, createdAt: "2026-11-25T15:00:00Z", target: version("v1.33.3"), concurrency: 1, nodes: [node],
                       identity: identity)
    }

    func journal() -> Journal {
        Journal(root: FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-identity-\(UUID().uuidString)"))
    }

    /// Saves an aborted (resumable) run of `plan`.
    func saveAborted(_ journal: Journal, _ plan: RunPlan) throws {
        try journal.create(plan)
        var state = RunState(plan: plan, pid: Int32.max, startedAt: "2026-11-25T15:00:00Z")
        state.nodes[0].status = .aborted
        state.aborted = true
        state.endedAt = "2026-11-25T15:05:00Z"
        try journal.save(state)
    }

    @Test func theOfferListsOnlyRunsOfThisCluster() throws {
        let journal = journal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        try saveAborted(journal, Self.plan(id: "20261125T100000Z-prod", identity: Self.prod))
        try saveAborted(journal, Self.plan(id: "20261125T110000Z-old", identity: nil))
        try saveAborted(journal, Self.plan(id: "20261125T120000Z-sim", identity: Self.sim))
        #expect(journal.resumableRun(of: Self.prod, isAlive: { _ in false })?.runID == "20261125T100000Z-prod",
                "the newest run of this cluster, not the newer runs of others")
        #expect(journal.resumableRun(of: Self.sim, isAlive: { _ in false })?.runID == "20261125T120000Z-sim")
        var elsewhere = Self.prod
        elsewhere.clusterUID = "0d0d0d0d-0000-4000-8000-000000000003"
        #expect(journal.resumableRun(of: elsewhere, isAlive: { _ in false }) == nil, "a run that recorded no cluster is never offered")
        var otherContext = Self.prod
        otherContext.context = "prod-eu-admin"
        #expect(journal.resumableRun(of: otherContext, isAlive: { _ in false }) == nil)
    }

    @Test func aResumeElsewhereIsRefusedWithTheReason() throws {
        let plan = Self.plan(id: "20261125T120000Z-ab12", identity: Self.sim)
        let refusal = try #require(RunIdentity.resumeRefusal(plan, current: Self.prod))
        #expect(refusal == "run 20261125T120000Z-ab12 belongs to cluster https://127.0.0.1:39343 (kube-system uid 6f1c2a40…), context sim; this is cluster https://prod.example:6443 (kube-system uid 9a2e7b10…), context prod-eu: not resumed")
        #expect(RunIdentity.resumeRefusal(plan, current: Self.sim) == nil)

        var otherExecutor = Self.sim
        otherExecutor.executor = ExecutorIdentity(kind: "ssh", options: ["ssh-user": "root"])
        let executor = try #require(RunIdentity.resumeRefusal(plan, current: otherExecutor))
        #expect(executor.contains("--executor simulated") && executor.contains("--executor ssh (ssh-user root)") && executor.contains("not resumed"))

        var otherKubeconfig = Self.sim
        otherKubeconfig.kubeconfigFiles = ["/tmp/other"]
        #expect(RunIdentity.resumeRefusal(plan, current: otherKubeconfig)?.contains("/home/op/.kube/sim") == true)

        let old = Self.plan(id: "20261101T000000Z-old", identity: nil)
        #expect(RunIdentity.resumeRefusal(old, current: Self.sim)?.contains("no recorded cluster") == true)
    }

    @Test func identityAndDestinationSurviveTheJournalAndOldPlansLoadWithout() throws {
        let journal = journal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let destination = NodeDestination(address: "ops@10.0.0.5:22", source: "InternalIP", connectsTo: "10.0.0.5")
        try journal.create(Self.plan(id: "20261125T120000Z-kept", identity: Self.prod, destination: destination))
        let loaded = try journal.loadPlan("20261125T120000Z-kept")
        #expect(loaded.identity == Self.prod)
        #expect(loaded.nodes[0].destination == destination)

        // A plan.json written before these fields existed.
        let oldDir = journal.runDirectory("20261101T000000Z-old")
        try FileManager.default.createDirectory(at: oldDir, withIntermediateDirectories: true)
        var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(Self.plan(id: "20261101T000000Z-old", identity: nil))) as? [String: Any])
        object.removeValue(forKey: "identity")
        try JSONSerialization.data(withJSONObject: object).write(to: oldDir.appendingPathComponent("plan.json"))
        let old = try journal.loadPlan("20261101T000000Z-old")
        #expect(old.identity == nil && old.nodes[0].destination == nil)
    }

    /// A test executor resolving each node to a host it is told.
    struct FixedDestinations: NodeExecutor {
        let name = "fixed"
        let hosts: [String: String]
        func run(_ command: CommandSpec, on node: NodeTarget, onOutput: @escaping OutputHandler) async throws(ExecutorError) -> ExecutionResult {
            throw ExecutorError(.launchFailed, node: node.name, "not in this test")
        }
        func nodeDestination(for node: NodeTarget) async throws(ExecutorError) -> NodeDestination {
            let host = hosts[node.name] ?? "unknown"
            return NodeDestination(address: "ops@\(host):22", source: "InternalIP", connectsTo: host)
        }
    }

    @Test func aChangedDestinationIsNamedOnResume() async throws {
        let recorded = NodeDestination(address: "ops@10.0.0.5:22", source: "InternalIP", connectsTo: "10.0.0.5")
        let plan = Self.plan(id: "20261125T120000Z-dest", identity: Self.prod, destination: recorded)
        #expect(await DestinationCheck.changes(plan, executor: FixedDestinations(hosts: ["node01": "10.0.0.5"])).isEmpty)
        let changed = await DestinationCheck.changes(plan, executor: FixedDestinations(hosts: ["node01": "10.9.9.9"]))
        #expect(changed == ["node01: its commands went to ops@10.0.0.5:22 (from: InternalIP), now they would go to ops@10.9.9.9:22 (from: InternalIP)"])
    }
}
