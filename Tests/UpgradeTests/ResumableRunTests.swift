import Foundation
import Testing
import TestSupport
@testable import Upgrade

/// Which runs the dashboard offers for resume, and that an aborted run resumes from the step each node stopped at.
struct ResumableRunTests {
    /// A journal with one run per state, saved with the given pid.
    func save(_ journal: Journal, id: String, pid: Int32 = Int32.max, _ change: (inout RunState) -> Void) throws -> RunState {
        let plan = EngineFixtures.plan(["node01"], id: id)
        try journal.create(plan)
        var state = RunState(plan: plan, pid: pid, startedAt: "2026-11-25T15:00:00Z")
        change(&state)
        try journal.save(state)
        return state
    }

    @Test func abortedRunWithNodesNotDoneIsResumableAndFinishedOnesAreNot() throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        _ = try save(journal, id: "20261125T100000Z-done") { s in
            s.nodes[0].status = .done; s.endedAt = "2026-11-25T10:05:00Z"
        }
        #expect(journal.resumableRun() == nil, "a finished run is not offered")
        _ = try save(journal, id: "20261125T110000Z-failed") { s in
            s.nodes[0].status = .failed; s.nodes[0].steps[2].state = .failed; s.endedAt = "2026-11-25T11:05:00Z"
        }
        #expect(journal.resumableRun() == nil, "a run that ended on a failure is resumed explicitly, not offered")
        let aborted = try save(journal, id: "20261125T120000Z-aborted") { s in
            s.nodes[0].status = .aborted; s.nodes[0].steps[0].state = .done; s.nodes[0].steps[1].state = .failed
            s.aborted = true; s.endedAt = "2026-11-25T12:05:00Z"
        }
        #expect(journal.resumableRun()?.runID == aborted.runID)
        #expect(journal.interruptedRuns().isEmpty, "it ended: not interrupted in the old sense")
    }

    @Test func newestRunIsOfferedAndALiveOwnerIsSkipped() throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        _ = try save(journal, id: "20261125T120000Z-older") { s in s.nodes[0].status = .running }
        let newer = try save(journal, id: "20261125T130000Z-newer", pid: 4242) { s in s.nodes[0].status = .running }
        #expect(journal.resumableRun(isAlive: { _ in false })?.runID == newer.runID)
        // The newer run's process is alive (another kubeskew drives it): not offered; the older one is.
        #expect(journal.resumableRun(isAlive: { $0 == 4242 })?.runID == "20261125T120000Z-older")
    }

    @Test func declinedRunIsNotOfferedAgainButStaysListed() throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        _ = try save(journal, id: "20261125T110000Z-older") { s in s.aborted = true; s.endedAt = "2026-11-25T11:05:00Z" }
        let run = try save(journal, id: "20261125T120000Z-quit") { s in
            s.nodes[0].status = .aborted; s.aborted = true; s.endedAt = "2026-11-25T12:05:00Z"
        }
        #expect(journal.resumableRun()?.runID == run.runID)
        try journal.declineResume(run.runID, at: "2026-11-25T12:10:00Z")
        #expect(journal.resumableRun() == nil, "declining the newest run means start over: no older run is offered either")
        #expect(journal.resumableRuns().map(\.runID) == [run.runID, "20261125T110000Z-older"])
        #expect(try journal.loadState(run.runID).resumeDeclinedAt == "2026-11-25T12:10:00Z")
        #expect(throws: Journal.JournalError.self) { try journal.declineResume("20261125T000000Z-none", at: "x") }
    }

    @Test func stateWrittenBeforeTheDeclineFieldStillLoads() throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let run = try save(journal, id: "20261125T120000Z-old") { s in s.nodes[0].status = .running }
        let file = journal.runDirectory(run.runID).appendingPathComponent("state.json")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(!text.contains("resumeDeclinedAt"))
        #expect(try journal.loadState(run.runID) == run)
    }

    @Test(.timeLimit(.minutes(2))) func abortedRunResumesFromTheStepEachNodeStoppedAt() async throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let plan = EngineFixtures.plan(["node01", "node02"])
        // The install of node01's kubelet waits at a gate until the abort cancels it. The test waits for that
        // command to begin, however long a busy machine takes: no deadline decides where the abort lands.
        let kubeletInstall = Gate()
        let node = GatedExecutor(output: ["kubeadm version -o short": ["v1.33.2"]], gates: ["apt-get install -y kubelet=1.33.3-*": kubeletInstall])
        let first = try UpgradeEngine(plan: plan, journal: journal, nodeExecutor: node, controlPlaneExecutor: GatedExecutor(),
                                      gate: FakeGate(), onEvent: { _ in })
        let run = Task { try await first.run() }
        await kubeletInstall.arrived(1)
        await first.abort()
        let aborted = try await run.value
        #expect(aborted.aborted && aborted.isFinished && aborted.isResumable)
        #expect(aborted.nodes[0].steps.map(\.state) == [.done, .done, .failed, .pending, .pending])
        #expect(journal.resumableRun(isAlive: { _ in false })?.runID == plan.id)

        // The next start resumes it: node01 goes on at the kubelet install, node02 starts from the beginning.
        let node2 = FakeExecutor(script: ["kubeadm version -o short": (["v1.33.2"], 0)])
        let cp2 = FakeExecutor()
        let second = try UpgradeEngine(plan: try journal.loadPlan(plan.id), resuming: try journal.loadState(plan.id), journal: journal,
                                       nodeExecutor: node2, controlPlaneExecutor: cp2, gate: FakeGate(), onEvent: { _ in })
        let state = try await second.run()
        #expect(state.allDone)
        #expect(!state.aborted)
        let node01Calls = node2.calls.filter { $0.node == "node01" }.map { $0.argv.joined(separator: " ") }
        #expect(node01Calls == ["apt-get install -y kubelet=1.33.3-*"], "done steps are not run again")
        #expect(cp2.calls.filter { $0.argv.contains("node01") }.map(\.argv) == [["kubectl", "uncordon", "node01"]], "no second drain")
        #expect(cp2.calls.contains { $0.argv == ["kubectl", "drain", "node02", "--ignore-daemonsets"] })
        #expect(journal.resumableRun(isAlive: { _ in false }) == nil)
    }
}

/// The owner-process check behind "skip runs whose owner pid is alive".
struct OwnerProcessTests {
    @Test func thisProcessIsAliveAndAGoneOneIsNot() {
        #expect(Journal.processIsAlive(ProcessInfo.processInfo.processIdentifier))
        #expect(!Journal.processIsAlive(0))
        #expect(!Journal.processIsAlive(Int32.max))
    }

    @Test func aZombieIsNotAlive() async throws {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { for p in argv { free(p) } }
        #expect(posix_spawn(&pid, "/bin/true", nil, nil, argv, environ) == 0)
        // Not reaped yet: once it has exited it is a zombie, which owns nothing.
        let deadline = ContinuousClock.now + .seconds(20)
        while Journal.processIsAlive(pid) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!Journal.processIsAlive(pid))
        #expect(kill(pid, 0) == 0, "still in the process table until reaped")
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
    }
}
