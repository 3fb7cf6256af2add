import Foundation
import KubeClient
import KubeModel
import NodeExec
import SkewCore
import Synchronization
import Testing
import TestSupport
import TUI
import Upgrade
@testable import KubeskewCLI

/// Issue 11, finding 11 (b), and the cause of (a): "Cells are recomputed from the live cluster during runs; columns
/// do not appear or vanish mid-run; focus stays where the operator put it." The KUBEADM cell, and the node's verdict
/// (the worst of kubelet, kube-proxy and kubeadm), read the kubeadm versions the driver records: once a step has
/// installed a new kubeadm, the version recorded is the one the node answers, not preflight's, while the node is
/// still in the middle of its upgrade.
@Suite(.timeLimit(.minutes(1))) struct KubeadmFollowsTheRunTests {
    /// One node's kubeadm package: `apt-get install -y kubeadm=V-*` installs V, `kubeadm version -o short` says it.
    /// Commands listed in `gates` wait there first.
    final class KubeadmNode: NodeExecutor, Sendable {
        let name = "kubeadm-node"
        private let installed: Mutex<String>
        private let gates: [String: Gate]

        init(kubeadm: String, gates: [String: Gate]) {
            installed = Mutex(kubeadm)
            self.gates = gates
        }

        var kubeadm: String { installed.withLock { $0 } }

        func run(_ command: CommandSpec, on node: NodeTarget, onOutput: @escaping OutputHandler) async throws(ExecutorError) -> ExecutionResult {
            let line = command.argv.joined(separator: " ")
            if let gate = gates[line], await !gate.wait() { return ExecutionResult(status: .cancelled, duration: .zero) }
            if command.argv == ["kubeadm", "version", "-o", "short"] {
                let version = kubeadm
                await onOutput(OutputLine(source: .stdout, content: OutputSanitizer().sanitize(version)))
            } else if let package = command.argv.first(where: { $0.hasPrefix("kubeadm=") }) {
                let version = "v" + package.dropFirst("kubeadm=".count).prefix { $0 != "-" }
                installed.withLock { $0 = version }
            }
            return ExecutionResult(status: .exited(0), duration: .milliseconds(1))
        }
    }

    /// What the feeds merge into the next snapshot for `node`.
    static func recorded(_ probes: KubeadmProbes, _ node: String) -> String? {
        var snapshot = ClusterSnapshot(context: "x", server: "https://127.0.0.1:9", nodes: [])
        probes.merge(into: &snapshot)
        return snapshot.kubeadmVersions[node]
    }

    @Test func theKubeadmCellReadsTheNodeAgainOnceAStepInstalledKubeadm() async throws {
        let offline = try OfflineCluster(uid: "kubeadm-follow-cluster")
        defer { try? FileManager.default.removeItem(at: offline.dir) }
        let (client, journal, identity) = (offline.client, offline.journal, offline.identity)
        var plan = try ShippedPlans.plan(["node01"], concurrency: 1, identity: identity)
        let install = ["apt-get", "install", "-y", "kubeadm=1.33.3-*"].joined(separator: " ")
        let installGate = Gate(), drainGate = Gate()
        let node = KubeadmNode(kubeadm: "v1.33.2", gates: [install: installGate, ShippedPlans.drainLine(plan, "node01"): drainGate])
        plan = RunPlan(id: plan.id, createdAt: plan.createdAt, target: plan.target, concurrency: plan.concurrency,
                       nodes: try await plan.nodes.asyncMap { nodePlan in
                           var nodePlan = nodePlan
                           nodePlan.destination = try await node.nodeDestination(for: try nodePlan.nodeTarget())
                           return nodePlan
                       }, identity: identity)
        try journal.create(plan)
        try journal.save(RunState(plan: plan, pid: Int32.max, startedAt: "2026-11-25T15:00:00Z"))
        let probes = KubeadmProbes()
        let session = GuidedSession(setup: GuidedUpgradeDriver.Setup(
            client: client, context: AssessmentContext(today: CalendarDate(year: 2026, month: 11, day: 25)), journal: journal,
            nodeExecutor: node, controlPlaneExecutor: node, kubectl: ["kubectl"], drainTimeoutSeconds: nil,
            concurrency: 1, kubeadmProbes: probes, identity: identity, gate: ReadyGate(),
            cordonMarks: RecordedCordonMarks(), leases: MemoryLeases()), inbox: try DashboardInbox())
        session.onUpgrade(.resumeInterrupted(runID: plan.id))

        // The resumed run asks the node first (it had no preflight here): the old kubeadm, before the install runs.
        await installGate.arrived(1)
        await waitFor { Self.recorded(probes, "node01") != nil }
        #expect(Self.recorded(probes, "node01") == "v1.33.2")
        installGate.open()
        // Past the install and held in its drain: the node is in the middle of its upgrade, kubeadm v1.33.3 on it.
        await drainGate.arrived(1)
        #expect(node.kubeadm == "v1.33.3")
        #expect(await session.driver.runState?.nodes[0].status == .running)
        // No deadline decides this: the answer comes when the node is asked; if nothing asks it (the old code asked
        // only once the upgrade was done), the suite's time limit cancels the wait and the expectation says so.
        while Self.recorded(probes, "node01") != "v1.33.3", !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
        #expect(Self.recorded(probes, "node01") == "v1.33.3", "the KUBEADM cell shows the kubeadm the run installed, mid-run")
        #expect(await session.driver.runState?.nodes[0].status == .running, "still in the middle of the upgrade")
        drainGate.open()
        _ = await session.stopForQuit(prefix: "test")
    }
}
