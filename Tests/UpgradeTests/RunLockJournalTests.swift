import Foundation
import Testing
@testable import Upgrade

/// "Is this run still driven?" is answered by the run's lock (flock on `<run>/lock`), not by the recorded pid:
/// pids are reused, and a pid says nothing about which process holds the run.
struct RunLockJournalTests {
    func save(_ journal: Journal, id: String, pid: Int32) throws -> RunState {
        let plan = EngineFixtures.plan(["node01"], id: id)
        try journal.create(plan)
        var state = RunState(plan: plan, pid: pid, startedAt: "2026-11-25T15:00:00Z")
        state.nodes[0].status = .running
        try journal.save(state)
        return state
    }

    func lockFile(_ journal: Journal, _ id: String) -> String { journal.runDirectory(id).appendingPathComponent("lock").path }

    /// The run's kubeskew was killed; its pid now belongs to another process (here: this test). The lock is free.
    @Test func aKilledRunWhosePidWasReusedIsStillOffered() throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let run = try save(journal, id: "20261125T120000Z-killed", pid: getpid())
        #expect(FileManager.default.createFile(atPath: lockFile(journal, run.runID), contents: Data("pid 1\nsince x\n".utf8)))
        #expect(journal.resumableRun()?.runID == run.runID, "the run's lock is free: nobody drives it, whatever runs under its old pid")
        #expect(journal.interruptedRuns().map(\.runID) == [run.runID])
    }

    /// A process holds the run's lock: the run is driven, even though the pid in its state is gone.
    @Test func aRunWhoseLockIsHeldIsNotOffered() throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let run = try save(journal, id: "20261125T120000Z-driven", pid: Int32.max)
        let fd = open(lockFile(journal, run.runID), O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        #expect(journal.resumableRun() == nil, "a process holds the run's lock: it is driven, not offered")
        #expect(journal.interruptedRuns().isEmpty)
    }
}
