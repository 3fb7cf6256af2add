import Foundation
import NodeExec
import Synchronization
import Testing
import TestSupport
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
        let first = Task { try await engine.run() }
        await node02InDrain.arrived(1)
        await waitFor { await engine.state.nodes[1].status == .failed }

        // R on node08: the running loop takes the request; node02 stays the one task it was.
        try await engine.retry(node: "node08")
        // What the guided driver used to do next: run() again. Refused while the loop runs; it starts nothing.
        await #expect(throws: UpgradeEngine.RequestRefused.self) { _ = try await engine.run() }
        #expect(await engine.isRunning, "node02 is still in flight")
        node02InDrain.open()
        let state = try await first.value
        #expect(!(await engine.isRunning))
        #expect(executor.calls.filter { $0.line == drain02 }.count == 1, "node02's drain started \(executor.calls.filter { $0.line == drain02 }.count) times")
        #expect(state.nodes.map(\.status) == [.done, .done])
        #expect(executor.calls.filter { $0.line == drain08 }.count == 2, "node08's drain: the failure and the retry")
    }

    @Test func abortDuringAStepsCheckLeavesTheStepUnstarted() async throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let plan = try ShippedPlans.plan(["node01"])
        let installKubeadm = plan.nodes[0].steps.first { $0.kind == .installKubeadm }!
        let probes = installKubeadm.check!.probes.map { $0.argv.joined(separator: " ") }
        let check = probes[0]
        let inCheck = Gate()
        let executor = GatedExecutor(gates: [check: inCheck])
        let engine = try UpgradeEngine(plan: plan, journal: journal, nodeExecutor: executor, controlPlaneExecutor: executor,
                                       gate: FakeGate(), onEvent: { _ in })
        let run = Task { try await engine.run() }
        await inCheck.arrived(1)
        await engine.abort()
        inCheck.open()
        let state = try await run.value
        #expect(executor.calls.map(\.line).first == check)
        #expect(executor.calls.allSatisfy { probes.contains($0.line) }, "nothing but the check ran; ran: \(executor.calls.map(\.line))")
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
        let run = Task { try await engine.run() }
        await inDrain.arrived(1)
        // The run's folder becomes a file: every later write fails, also as root (where chmod would not stop it).
        let dir = journal.runDirectory(plan.id)
        try FileManager.default.removeItem(at: dir)
        #expect(FileManager.default.createFile(atPath: dir.path, contents: Data("not a folder".utf8)))
        inDrain.open()
        let state = try await run.value

        let drain = plan.nodes[0].steps.firstIndex { $0.kind == .drain }!
        #expect(state.nodes[0].steps[drain].state == .done, "the step in flight finished")
        #expect(state.nodes[0].steps[(drain + 1)...].allSatisfy { $0.state == .pending }, "no step started after the journal failed")
        #expect(executor.calls.filter { $0.line == ShippedPlans.firstLine(plan, "node01", .installKubelet) }.isEmpty)
        #expect(state.nodes[0].status == .aborted)
        #expect(state.nodes[1].status == .pending, "no node started either")
        #expect(executor.calls.allSatisfy { $0.node != "node02" && !$0.argv.contains("node02") })
        // The operator is told through the engine's events (the screen and the headless output show them).
        let told = events.all.compactMap { if case let .journalFailed(message) = $0 { return message } else { return nil } }
        #expect(told.count == 1)
        #expect(told.first?.contains("cannot write the journal of run \(plan.id)") == true)
        #expect(state.stopReason == told.first)
        // A retry is refused while the journal still cannot be written, and taken once it can.
        await #expect(throws: UpgradeEngine.RequestRefused.self) { try await engine.retry(node: "node01") }
        try FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try await engine.retry(node: "node01")
        let after = await engine.finished()
        #expect(after.nodes.map(\.status) == [.done, .done])
        #expect(after.stopReason == nil)
        #expect(try journal.loadState(plan.id) == after)
    }
}
