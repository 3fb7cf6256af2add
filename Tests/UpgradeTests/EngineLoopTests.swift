import Foundation
import NodeExec
import Synchronization
import Testing
@testable import Upgrade

/// One engine loop per run: a retry while another node is in flight never starts that node again; an abort during a
/// step's check means the step does not start; a journal that cannot be written stops the run at a safe point.
/// Plans come from the real Planner and the shipped runbooks.
@Suite(.timeLimit(.minutes(2))) struct EngineLoopTests {
    @Test func retryWhileAnotherNodeDrainsDrainsItOnce() async throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let plan = try ShippedPlans.plan(["node02", "node08"], concurrency: 2)
        let drain02 = ShippedPlans.drainLine(plan, "node02"), drain08 = ShippedPlans.drainLine(plan, "node08")
        let node02InDrain = Gate()
        let executor = GatedExecutor(failFirst: [drain08: 1], gates: [drain02: node02InDrain])
        let engine = try UpgradeEngine(plan: plan, journal: journal, nodeExecutor: executor, controlPlaneExecutor: executor,
                                       gate: FakeGate(), options: EngineOptions(concurrency: 2), onEvent: { _ in })
        let first = Task { await engine.run() }
        await node02InDrain.arrived(1)
        await waitFor { await engine.state.nodes[1].status == .failed }

        // What the guided driver did on R: retry the failed node, then run() again to go on with the rest.
        _ = await engine.retry(node: "node08")
        let secondEnded = Mutex(false)
        let second = Task {
            let state = await engine.run()
            secondEnded.withLock { $0 = true }
            return state
        }
        // Either the second run() came back, or it started node02's drain again.
        await waitFor { secondEnded.withLock { $0 } || node02InDrain.arrivals >= 2 }
        node02InDrain.open()
        _ = await second.value
        let state = await first.value
        #expect(executor.calls.filter { $0.line == drain02 }.count == 1, "node02's drain started \(executor.calls.filter { $0.line == drain02 }.count) times")
        #expect(state.nodes.map(\.status) == [.done, .done])
        #expect(executor.calls.filter { $0.line == drain08 }.count == 2, "node08's drain: the failure and the retry")
    }

    @Test func abortDuringAStepsCheckLeavesTheStepUnstarted() async throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let plan = try ShippedPlans.plan(["node01"])
        let installKubeadm = plan.nodes[0].steps.first { $0.kind == .installKubeadm }!
        let check = installKubeadm.check!.argv.joined(separator: " ")
        let inCheck = Gate()
        let executor = GatedExecutor(gates: [check: inCheck])
        let engine = try UpgradeEngine(plan: plan, journal: journal, nodeExecutor: executor, controlPlaneExecutor: executor,
                                       gate: FakeGate(), onEvent: { _ in })
        let run = Task { await engine.run() }
        await inCheck.arrived(1)
        await engine.abort()
        inCheck.open()
        let state = await run.value
        #expect(executor.calls.map(\.line) == [check], "nothing but the check ran; ran: \(executor.calls.map(\.line))")
        let s = plan.nodes[0].steps.firstIndex { $0.kind == .installKubeadm }!
        #expect(state.nodes[0].steps[s].state == .pending, "the step did not start")
        #expect(state.nodes[0].status == .aborted)
        #expect(state.aborted)
        #expect(try journal.loadState(plan.id) == state)
    }

    @Test func journalThatCannotBeWrittenStopsTheRunAfterTheStepInFlight() async throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let plan = try ShippedPlans.plan(["node01", "node02"])
        let inDrain = Gate()
        let executor = GatedExecutor(gates: [ShippedPlans.drainLine(plan, "node01"): inDrain])
        let events = EventLog()
        let engine = try UpgradeEngine(plan: plan, journal: journal, nodeExecutor: executor, controlPlaneExecutor: executor,
                                       gate: FakeGate(), onEvent: events.add)
        let run = Task { await engine.run() }
        await inDrain.arrived(1)
        // The run's folder becomes a file: every later write fails, also as root (where chmod would not stop it).
        let dir = journal.runDirectory(plan.id)
        try FileManager.default.removeItem(at: dir)
        #expect(FileManager.default.createFile(atPath: dir.path, contents: Data("not a folder".utf8)))
        inDrain.open()
        let state = await run.value

        let drain = plan.nodes[0].steps.firstIndex { $0.kind == .drain }!
        #expect(state.nodes[0].steps[drain].state == .done, "the step in flight finished")
        #expect(state.nodes[0].steps[(drain + 1)...].allSatisfy { $0.state == .pending }, "no step started after the journal failed")
        #expect(executor.calls.filter { $0.line == ShippedPlans.firstLine(plan, "node01", .installKubelet) }.isEmpty)
        #expect(state.nodes[0].status == .aborted)
        #expect(state.nodes[1].status == .pending, "no node started either")
        #expect(executor.calls.allSatisfy { $0.node != "node02" && !$0.argv.contains("node02") })
    }
}
