import Foundation
import Testing
import TestSupport
@testable import Upgrade

/// A large run's state is journaled as appended changes, not rewritten whole (issue 15: "journal writes that do not
/// grow with the square of the run"), and reads back exactly as it was, whatever a crash cut short.
struct StateWriterTests {
    func names(_ count: Int) -> [String] { (1...count).map { String(format: "node%04d", $0) } }

    /// A new run of `count` nodes in a fresh journal, and its first state.
    func newRun(_ count: Int) throws -> (journal: Journal, plan: RunPlan, state: RunState) {
        let journal = EngineFixtures.tempJournal()
        let plan = EngineFixtures.plan(names(count))
        try journal.create(plan)
        return (journal, plan, RunState(plan: plan, pid: 42, startedAt: "2026-12-08T00:00:00Z"))
    }

    func files(_ journal: Journal, _ id: String) -> (state: URL, log: URL) {
        (journal.runDirectory(id).appendingPathComponent("state.json"), journal.runDirectory(id).appendingPathComponent("state.log"))
    }

    /// `state` as the journal reads it back: the same, with the log line it includes.
    func expectLoads(_ journal: Journal, _ state: RunState, sequence: Int?, sourceLocation: SourceLocation = #_sourceLocation) throws {
        var expected = state
        expected.journalSequence = sequence
        #expect(try journal.loadState(state.runID) == expected, sourceLocation: sourceLocation)
    }

    /// Every node through every step, saved after each change, as the engine does.
    func runThrough(_ state: inout RunState, _ writer: inout StateWriter, afterEach: (RunState) throws -> Void = { _ in }) throws {
        for n in state.nodes.indices {
            state.nodes[n].status = .running
            try writer.save(state); try afterEach(state)
            for s in state.nodes[n].steps.indices {
                state.nodes[n].steps[s].state = .running
                try writer.save(state); try afterEach(state)
                state.nodes[n].steps[s].state = .done
                state.nodes[n].steps[s].message = "done in 1 s"
                try writer.save(state); try afterEach(state)
            }
            state.nodes[n].status = .done
            try writer.save(state); try afterEach(state)
        }
    }

    @Test func aLargeRunAppendsOnlyWhatChangedAndReadsBackTheSame() throws {
        let (journal, plan, first) = try newRun(100)
        defer { try? FileManager.default.removeItem(at: journal.root) }
        var state = first
        var writer = StateWriter(journal: journal, logFromNodes: 64, snapshotEvery: 256)
        try writer.save(state)
        let (stateFile, logFile) = files(journal, plan.id)
        var snapshot = try Data(contentsOf: stateFile)
        var saves = 0, snapshots = 0, longestLine = 0
        try runThrough(&state, &writer) { state throws in
            saves += 1
            var loaded = try journal.loadState(state.runID)
            loaded.journalSequence = nil
            #expect(loaded == state, "save \(saves) reads back")
            let now = try Data(contentsOf: stateFile)
            if now != snapshot { snapshots += 1; snapshot = now }
            let last = (try? Data(contentsOf: logFile))?.split(separator: 0x0A).last?.count ?? 0
            longestLine = max(longestLine, last)
        }
        #expect(snapshot.count > 15_000, "100 nodes' state")
        #expect(longestLine < 2_000, "a line holds the one node that changed, not the run: \(longestLine) bytes")
        #expect(snapshots == saves / 257, "one snapshot after each 256 lines: \(snapshots) in \(saves) saves")
        state.endedAt = "2026-12-08T00:10:00Z"
        try writer.save(state)
        #expect(!FileManager.default.fileExists(atPath: logFile.path), "the end of the run leaves state.json whole")
        var whole = try JSONDecoder().decode(RunState.self, from: Data(contentsOf: stateFile))
        #expect(whole.journalSequence == saves - snapshots, "every line is in the last snapshot")
        whole.journalSequence = nil
        #expect(whole == state)
    }

    @Test func bytesWrittenGrowWithTheRunNotWithItsSquare() throws {
        // The same run at two sizes: the log's bytes per node stay the same when the run is four times as large.
        func bytesPerNode(_ count: Int) throws -> Double {
            let (journal, plan, first) = try newRun(count)
            defer { try? FileManager.default.removeItem(at: journal.root) }
            var state = first
            var writer = StateWriter(journal: journal, logFromNodes: 64)
            try writer.save(state)
            try runThrough(&state, &writer)
            return Double(try Data(contentsOf: files(journal, plan.id).log).count) / Double(count)
        }
        let small = try bytesPerNode(100), large = try bytesPerNode(400)
        #expect(large < small * 1.2, "\(small) bytes per node at 100 nodes, \(large) at 400")
    }

    @Test func aLastLineCutShortByACrashIsIgnored() throws {
        let (journal, plan, first) = try newRun(3)
        defer { try? FileManager.default.removeItem(at: journal.root) }
        var state = first
        var writer = StateWriter(journal: journal, logFromNodes: 1)
        try writer.save(state)
        state.nodes[1].status = .running
        state.nodes[1].steps[0].state = .running
        try writer.save(state)
        let before = state
        state.nodes[1].steps[0].state = .done
        try writer.save(state)
        // The crash: the second line is only half written.
        let logFile = files(journal, plan.id).log
        var log = try Data(contentsOf: logFile)
        let lines = log.split(separator: 0x0A)
        log = Data(lines[0]) + Data([0x0A]) + Data(lines[1].prefix(lines[1].count / 2))
        try log.write(to: logFile)
        try expectLoads(journal, before, sequence: 1)
    }

    @Test func aSnapshotIncludesTheLinesBeforeIt() throws {
        // A crash after the snapshot was written and before the log was removed: the old lines are not applied again
        // (they would take nodes back to older states).
        let (journal, plan, first) = try newRun(2)
        defer { try? FileManager.default.removeItem(at: journal.root) }
        var state = first
        var writer = StateWriter(journal: journal, logFromNodes: 1)
        try writer.save(state)
        state.nodes[0].status = .running
        try writer.save(state)
        state.nodes[0].status = .failed
        try writer.save(state)
        let logFile = files(journal, plan.id).log
        let oldLines = try Data(contentsOf: logFile)
        state.endedAt = "2026-12-08T00:10:00Z"
        try writer.save(state)
        try oldLines.write(to: logFile)
        #expect(try journal.loadState(plan.id).nodes[0].status == .failed)
        try expectLoads(journal, state, sequence: 2)
    }

    @Test func aResumedLargeRunGoesOnFromItsLog() throws {
        let (journal, plan, first) = try newRun(3)
        defer { try? FileManager.default.removeItem(at: journal.root) }
        var state = first
        var writer = StateWriter(journal: journal, logFromNodes: 1)
        try writer.save(state)
        state.nodes[0].status = .done
        try writer.save(state)
        // The process dies; a resume reads the state back and writes on from there.
        var resumed = try journal.loadState(plan.id)
        #expect(resumed.nodes[0].status == .done)
        var next = StateWriter(journal: journal, logFromNodes: 1, resumingAt: resumed.journalSequence)
        try next.save(resumed)
        resumed.nodes[1].status = .running
        try next.save(resumed)
        #expect(try journal.loadState(plan.id).nodes.map(\.status) == [.done, .running, .pending])
    }

    @Test func aSmallRunKeepsReplacingStateJSON() throws {
        let (journal, plan, first) = try newRun(3)
        defer { try? FileManager.default.removeItem(at: journal.root) }
        var state = first
        var writer = StateWriter(journal: journal, logFromNodes: 64)
        try runThrough(&state, &writer) { state throws in
            let (stateFile, logFile) = files(journal, plan.id)
            #expect(!FileManager.default.fileExists(atPath: logFile.path))
            #expect(try JSONDecoder().decode(RunState.self, from: Data(contentsOf: stateFile)) == state)
        }
    }

    @Test(.timeLimit(.minutes(2))) func theEngineJournalsALargeRunThatReadsBackAsItRan() async throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let node = FakeExecutor(script: ["kubeadm version -o short": (["v1.33.2"], 0)])
        let plan = EngineFixtures.plan(["node01", "node02", "node03"])
        let engine = try UpgradeEngine(plan: plan, journal: journal, nodeExecutor: node, controlPlaneExecutor: FakeExecutor(),
                                       gate: FakeGate(), options: EngineOptions(concurrency: 2, journalLogFromNodes: 1), onEvent: { _ in })
        let state = try await engine.run()
        #expect(state.allDone)
        var saved = try journal.loadState(plan.id)
        saved.journalSequence = nil
        #expect(saved == state)
    }
}
