import Foundation
import KubeClient
import NodeExec
import SkewCore
import Testing
import TestSupport
@testable import TUI
import Upgrade
@testable import KubeskewCLI

/// Issue 11, finding 5: an old run resumed showed steps 1–4 ✓ although node04 had never been drained on this cluster,
/// and the summary said "node03 now v1.33.3" while the cluster showed v1.32.7. Policy: "Resume reconciles the journal
/// with the cluster before it continues: each done step's effect is checked again (cordoned? version? packages?), a
/// mismatch is shown and decided by the operator, and nothing is claimed that the cluster does not show."
///
/// The cluster here is restarted from scratch under the same identity (a simulator keeps its kube-system uid with
/// its `--pki-file`, and the run's kubeconfig file is pointed at the new one): every step the journal holds done is
/// undone on the cluster, as when a cluster is restored from a backup.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct ResumeReconcilesTests {
    /// The mismatch question, or the notice the driver posted instead (a refusal).
    static func mismatchOrNotice(_ inbox: DashboardInbox) async -> (lines: [String]?, notice: String?) {
        while !Task.isCancelled {
            for item in inbox.drain() {
                if case .message(.upgrade(.resumeMismatch(_, let lines))) = item { return (lines, nil) }
                if case .message(.notice(let text)) = item { return (nil, text) }
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return (nil, nil)
    }

    @Test func stepsTheClusterDoesNotShowAreNamedAndRunAgainOnlyWhenTheOperatorSaysSo() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-reconcile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let pki = dir.appendingPathComponent("pki.pem").path
        let kubeconfig = dir.appendingPathComponent("kubeconfig")
        let env = ["XDG_STATE_HOME": dir.appendingPathComponent("state").path]
        func kubectl(_ args: [String]) async throws -> String {
            try await BinaryRunner.kubectl(["--kubeconfig", kubeconfig.path] + args).stdout
        }

        let first = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0", "--pki-file", pki])
        defer { first.stop() }
        try FileManager.default.copyItem(at: first.kubeconfig, to: kubeconfig)
        let before = try await kubectl(["get", "node", "node07", "-o", "jsonpath={.status.nodeInfo.kubeletVersion}"])
        #expect(before != "v1.33.3")
        // node07 is upgraded; node08's drain then fails on its PodDisruptionBudget, after its kubeadm steps.
        let run = try await BinaryRunner.run(["upgrade", "node07", "node08", "--yes", "--accept-blockers", "--executor", "simulated",
                                              "--drain-timeout", "3", "--kubeconfig", kubeconfig.path], environment: env, timeout: 120)
        #expect(run.status == 1, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("node07: done"), "\(run.stdout)")
        let id = try #require(run.stdout.firstMatch(of: /run ([0-9]{8}T[0-9]{6}Z-[0-9a-f]{6})/).map { String($0.output.1) })
        first.stop()

        // The same cluster (same CA, same kube-system uid) as it was before the run.
        let second = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0", "--pki-file", pki])
        defer { second.stop() }
        try FileManager.default.removeItem(at: kubeconfig)
        try FileManager.default.copyItem(at: second.kubeconfig, to: kubeconfig)
        #expect(try await kubectl(["get", "node", "node07", "-o", "jsonpath={.status.nodeInfo.kubeletVersion}"]) == before)

        // Without the operator's word (no --yes, no terminal): the differences are named and nothing runs.
        let refused = try await BinaryRunner.run(["upgrade", "--resume", id, "--drain-option=--ignore-daemonsets",
                                                 "--drain-option=--disable-eviction"], environment: env, timeout: 120)
        #expect(refused.status == 1, "\(refused.stdout)\n\(refused.stderr)")
        #expect(refused.stdout.contains("the journal and the cluster differ:"), "\(refused.stdout)")
        #expect(refused.stdout.contains("node07: step 4 install kubelet and kubectl 1.33.3 is done in the journal, but its check says: `kubelet --version` printed \"Kubernetes \(before)\""), "\(refused.stdout)")
        #expect(refused.stdout.contains("node08: step 1 install kubeadm 1.33.3 is done in the journal, but its check says:"), "\(refused.stdout)")
        #expect(refused.stderr.contains("not resumed: the cluster does not show what its journal says was done"), "\(refused.stderr)")
        #expect(!refused.stdout.contains("resuming run"), "\(refused.stdout)")
        #expect(try await kubectl(["get", "node", "node07", "-o", "jsonpath={.status.nodeInfo.kubeletVersion}"]) == before,
                "nothing ran")

        // With it: those steps run again, and what the run then claims is what the cluster shows.
        let resumed = try await BinaryRunner.run(["upgrade", "--resume", id, "--yes", "--drain-option=--ignore-daemonsets",
                                                 "--drain-option=--disable-eviction"], environment: env, timeout: 120)
        #expect(resumed.status == 0, "\(resumed.stdout)\n\(resumed.stderr)")
        #expect(resumed.stdout.contains("those steps and the ones after them run again"), "\(resumed.stdout)")
        for node in ["node07", "node08"] {
            #expect(resumed.stdout.contains("\(node): done"), "\(resumed.stdout)")
            #expect(try await kubectl(["get", "node", node, "-o", "jsonpath={.status.nodeInfo.kubeletVersion}"]) == "v1.33.3")
            #expect(try await kubectl(["get", "node", node, "-o", "jsonpath={.spec.unschedulable}"]) == "")
        }
    }

    /// The dashboard's resume (the start offer, and the demo's): a journal that claims node07 drained and not yet
    /// uncordoned, on a cluster where node07 is schedulable, asks before anything runs; `y` runs the drain again.
    @Test func theDashboardAsksAndRunsTheDrainAgain() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let client = KubeAPIClient(config: try KubeconfigLoader.load(explicitPath: sim.kubeconfig.path, environment: [:]))
        let stateHome = sim.directory.appendingPathComponent("state")
        let journal = Journal(root: stateHome.appendingPathComponent("kubeskew/runs"))
        let identity = try await runIdentity(client, executor: ExecutorIdentity(kind: "simulated"))
        // The run is made by another process, as runs are: this one must not hold its lock.
        let run = try await BinaryRunner.run(["upgrade", "node07", "--yes", "--executor", "simulated", "--kubeconfig", sim.kubeconfig.path],
                                             environment: ["XDG_STATE_HOME": stateHome.path], timeout: 120)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let id = try #require(journal.runIDs().first)

        // The journal of a run that stopped after node07's kubelet restart (drained, not uncordoned), by a process gone.
        var state = try journal.loadState(id)
        let steps = state.nodes[0].steps.count
        for s in (steps - 2)..<steps { state.nodes[0].steps[s].state = .pending }
        state.nodes[0].status = .aborted
        state.nodes[0].cordonedByRun = true
        state.endedAt = nil
        state.aborted = true
        state.pid = Int32.max
        try journal.save(state)
        let drainBefore = state.nodes[0].steps[2].startedAt

        let inbox = try DashboardInbox()
        let second = GuidedSession(setup: GuidedUpgradeDriver.Setup(
            client: client, context: AssessmentContext(today: DataOptions.currentDay()), journal: journal,
            nodeExecutor: RemoteSimulatedExecutor(client: client), controlPlaneExecutor: LocalExecutor(),
            kubectl: KubectlCommand.argv(context: client.config.contextName, kubeconfigFiles: [sim.kubeconfig.path]),
            drainTimeoutSeconds: 300, concurrency: 1, kubeadmProbes: KubeadmProbes(), identity: identity), inbox: inbox)
        second.onUpgrade(.resumeInterrupted(runID: id))
        let answer = await Self.mismatchOrNotice(inbox)
        let lines = try #require(answer.lines, "no question; the dashboard said: \(answer.notice ?? "-")")
        #expect(lines == ["node07: step 3 drain is done in the journal, but node07 is schedulable (not cordoned)"])
        #expect(try journal.loadState(id).nodes[0].status == .aborted, "nothing ran before the operator answered")

        second.onUpgrade(.resumeRunningAgain(runID: id))
        _ = await ReviewIsWhatRunsTests.next(inbox) { if case .runFinished = $0 { true } else { nil } }
        let after = try journal.loadState(id)
        #expect(after.nodes[0].status == .done)
        #expect(after.nodes[0].steps[2].state == .done && after.nodes[0].steps[2].startedAt != drainBefore, "the drain ran again")
        let node = try await client.getNode("node07")
        #expect(!node.isUnschedulable && node.nodeInfo?.kubeletVersion == "v1.33.3")
        await client.shutdown()
    }
}
