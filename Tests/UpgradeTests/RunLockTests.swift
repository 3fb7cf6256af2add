import Foundation
import Testing
@testable import Upgrade

/// One process drives a run: the lock is exclusive, names its holder, and is free again once released.
struct RunLockTests {
    @Test func secondLockIsRefusedNamingTheHolderAndFreedOnRelease() throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let plan = EngineFixtures.plan(["node01"], id: "20261125T120000Z-lock")
        try journal.create(plan)
        var first: RunLock? = try RunLock.acquire(plan.id, in: journal)
        #expect(first != nil)
        #expect(RunLock.state(of: plan.id, in: journal) != .free)
        do {
            _ = try RunLock.acquire(plan.id, in: journal)
            Issue.record("a second lock of the same run was granted")
        } catch let busy as RunLock.Busy {
            #expect(busy.holder?.pid == getpid())
            #expect(busy.description.hasPrefix("run \(plan.id) is being driven by pid \(getpid()) (since 20"))
        }
        first = nil
        #expect(RunLock.state(of: plan.id, in: journal) == .free)
        #expect(throws: Never.self) { _ = try RunLock.acquire(plan.id, in: journal) }
    }

    @Test func aRunWithoutALockFileFallsBackToItsPid() throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let plan = EngineFixtures.plan(["node01"], id: "20261125T120000Z-old")
        try journal.create(plan)
        let state = RunState(plan: plan, pid: 4242, startedAt: "2026-11-25T15:00:00Z")
        #expect(RunLock.state(of: plan.id, in: journal) == .unknown)
        #expect(journal.isDriven(state, isAlive: { $0 == 4242 }))
        #expect(!journal.isDriven(state, isAlive: { _ in false }))
    }
}
