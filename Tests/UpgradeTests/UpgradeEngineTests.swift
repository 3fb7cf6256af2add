import Foundation
import NodeExec
import Testing
import TestSupport
@testable import Upgrade

struct UpgradeEngineTests {
    @Test func runsEveryStepInOrderAndJournalsIt() async throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let node = FakeExecutor(script: ["kubeadm version -o short": (["v1.33.2"], 0), "apt-get install -y kubeadm=1.33.3-*": (["Setting up kubeadm (1.33.3-1.1) ..."], 0)])
        let cp = FakeExecutor(script: ["kubectl drain node01 --ignore-daemonsets": (["node/node01 drained"], 0)])
        let events = EventLog()
        let plan = EngineFixtures.plan(["node01"])
        let engine = try UpgradeEngine(plan: plan, journal: journal, nodeExecutor: node, controlPlaneExecutor: cp, gate: FakeGate(), onEvent: events.add)
        let state = try await engine.run()
        #expect(state.allDone)
        #expect(state.nodes[0].steps.map(\.state) == [.done, .done, .done, .done, .done])
        #expect(!state.nodes[0].cordonedByRun, "uncordoned at the end")
        #expect(node.calls.map { $0.argv.first ?? "" } == ["kubeadm", "apt-get", "apt-get"])
        #expect(cp.calls.map { $0.argv } == [["kubectl", "drain", "node01", "--ignore-daemonsets"], ["kubectl", "uncordon", "node01"]])
        #expect(events.outputLines.contains("$ sudo apt-get install -y kubeadm='1.33.3-*'"))
        #expect(events.outputLines.contains("node/node01 drained"))
        // The journal holds the same state, the plan, and each step's log; files are 0600.
        let saved = try journal.loadState(plan.id)
        #expect(saved == state)
        #expect(saved.isFinished)
        let log = try journal.logFile(run: plan.id, node: "node01", step: "h1-install-kubeadm")
        #expect(try String(contentsOf: log, encoding: .utf8).contains("Setting up kubeadm (1.33.3-1.1) ..."))
        let attrs = try FileManager.default.attributesOfItem(atPath: journal.runDirectory(plan.id).appendingPathComponent("state.json").path)
        #expect((attrs[.posixPermissions] as? Int) == 0o600)
        #expect(journal.interruptedRuns().isEmpty)
    }

    @Test func stepWhoseEffectIsThereIsSkippedAndSaysSo() async throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let node = FakeExecutor(script: ["kubeadm version -o short": (["v1.33.3"], 0)])  // the effect is there
        let state = try await (try UpgradeEngine(plan: EngineFixtures.plan(["node01"]), journal: journal, nodeExecutor: node,
                                             controlPlaneExecutor: FakeExecutor(), gate: FakeGate(), onEvent: { _ in })).run()
        #expect(state.nodes[0].steps[0].state == .skipped)
        #expect(state.nodes[0].steps[0].message?.contains("already done") == true)
        #expect(!node.calls.contains { $0.argv.contains("kubeadm=1.33.3-*") })
    }

    @Test func failedStepStopsTheNodeLeavesItCordonedAndStopsTheRun() async throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let node = FakeExecutor(script: ["kubeadm version -o short": (["v1.33.2"], 0), "apt-get install -y kubelet=1.33.3-*": (["E: Unable to locate package"], 100)])
        let plan = EngineFixtures.plan(["node01", "node02"])
        let engine = try UpgradeEngine(plan: plan, journal: journal, nodeExecutor: node, controlPlaneExecutor: FakeExecutor(), gate: FakeGate(), onEvent: { _ in })
        let state = try await engine.run()
        #expect(state.nodes[0].status == .failed)
        #expect(state.nodes[0].cordonedByRun, "drained before the failure: stays cordoned")
        #expect(state.nodes[0].steps.map(\.state) == [.done, .done, .failed, .pending, .pending])
        #expect(state.nodes[0].steps[2].exitStatus == "exit 100")
        #expect(state.nodes[0].steps[2].message?.contains("install kubelet failed") == true)
        #expect(state.nodes[1].status == .pending, "stop on the first failure")
        #expect(try journal.loadState(plan.id) == state)

        // Retry after fixing the cause: the failed step runs again and the node finishes.
        node.script["apt-get install -y kubelet=1.33.3-*"] = ([], 0)
        try await engine.retry(node: "node01")
        #expect(await engine.finished().nodes[0].status == .done)
        #expect(await engine.state.nodes[0].steps.map(\.state) == [.done, .done, .done, .done, .done])
    }

    @Test func gateTimeoutFailsTheNodeWithWhatWasSeen() async throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let state = try await (try UpgradeEngine(plan: EngineFixtures.plan(["node01"]), journal: journal, nodeExecutor: FakeExecutor(),
                                             controlPlaneExecutor: FakeExecutor(), gate: FakeGate(lastSeen: "Ready, kubelet v1.33.2"), onEvent: { _ in })).run()
        #expect(state.nodes[0].status == .failed)
        #expect(state.nodes[0].steps[3].message?.contains("last seen: Ready, kubelet v1.33.2") == true)
        #expect(state.nodes[0].cordonedByRun)
    }

    @Test func skipIsRefusedForStepsThatDoNotAllowIt() async throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let cp = FakeExecutor(script: ["kubectl drain node01 --ignore-daemonsets": (["error: cannot evict pod as it would violate the pod's disruption budget."], 1)])
        let engine = try UpgradeEngine(plan: EngineFixtures.plan(["node01"]), journal: journal, nodeExecutor: FakeExecutor(),
                                       controlPlaneExecutor: cp, gate: FakeGate(), onEvent: { _ in })
        _ = try await engine.run()
        do {
            try await engine.skipFailedStep(node: "node01")
            Issue.record("a drain must never be skipped")
        } catch {
            #expect(error.message.contains("drain cannot be skipped"))
        }
    }

    @Test func concurrencyRunsNodesSideBySide() async throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let slow = "apt-get install -y kubelet=1.33.3-*"
        let node = FakeExecutor(delays: [slow: 0.3])
        let state = try await (try UpgradeEngine(plan: EngineFixtures.plan(["n1", "n2", "n3", "n4"]), journal: journal, nodeExecutor: node,
                                             controlPlaneExecutor: FakeExecutor(), gate: FakeGate(), options: EngineOptions(concurrency: 2), onEvent: { _ in })).run()
        #expect(state.allDone)
        #expect(node.maxActive == 2, "two nodes in flight at once, never more")
        let serial = FakeExecutor(delays: [slow: 0.1])
        let journal2 = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal2.root) }
        _ = try await (try UpgradeEngine(plan: EngineFixtures.plan(["n1", "n2", "n3"]), journal: journal2, nodeExecutor: serial,
                                     controlPlaneExecutor: FakeExecutor(), gate: FakeGate(), onEvent: { _ in })).run()
        #expect(serial.maxActive == 1, "one node at a time by default")
    }

    @Test(.timeLimit(.minutes(2))) func abortStopsChildrenAndLeavesNodesReported() async throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let kubeletInstall = Gate()
        let node = GatedExecutor(output: ["kubeadm version -o short": ["v1.33.2"]], gates: ["apt-get install -y kubelet=1.33.3-*": kubeletInstall])
        let events = EventLog()
        let engine = try UpgradeEngine(plan: EngineFixtures.plan(["node01", "node02"]), journal: journal, nodeExecutor: node,
                                       controlPlaneExecutor: FakeExecutor(), gate: FakeGate(), onEvent: events.add)
        let run = Task { try await engine.run() }
        // Abort once the kubelet install is running, however long that takes on a busy machine.
        await kubeletInstall.arrived(1)
        await engine.abort()
        let state = try await run.value
        #expect(state.aborted)
        #expect(state.nodes[0].status == .aborted)
        #expect(state.nodes[0].cordonedByRun)
        #expect(state.nodes[0].steps[2].message?.hasPrefix("aborted by the operator") == true)
        #expect(state.nodes[1].status == .pending)
        #expect(try journal.loadState(state.runID) == state)
    }

    @Test func interruptedRunIsFoundAndResumesFromItsStep() async throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let plan = EngineFixtures.plan(["node01"])
        // A run that died during the drain: its process (pid 0x7fffffff) is gone, the journal says "running".
        try journal.create(plan)
        var crashed = RunState(plan: plan, pid: Int32.max, startedAt: "2026-11-25T15:00:00Z")
        crashed.nodes[0].status = .running
        crashed.nodes[0].steps[0].state = .done
        crashed.nodes[0].steps[1].state = .running
        crashed.nodes[0].cordonedByRun = true
        try journal.save(crashed)
        let found = journal.interruptedRuns()
        #expect(found.map(\.runID) == [plan.id])

        let node = FakeExecutor()
        let cp = FakeExecutor()
        let engine = try UpgradeEngine(plan: try journal.loadPlan(plan.id), resuming: found[0], journal: journal, nodeExecutor: node,
                                       controlPlaneExecutor: cp, gate: FakeGate(), onEvent: { _ in })
        let state = try await engine.run()
        #expect(state.allDone)
        #expect(!node.calls.contains { $0.argv.contains("kubeadm=1.33.3-*") }, "the done step is not run again")
        #expect(cp.calls.first?.argv == ["kubectl", "drain", "node01", "--ignore-daemonsets"], "resumed at the interrupted drain")
        #expect(journal.interruptedRuns().isEmpty)
    }
}
