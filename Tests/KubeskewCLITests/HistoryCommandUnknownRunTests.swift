import Foundation
import TestSupport
import Testing
import Upgrade
@testable import KubeskewCLI

/// Issue 17: `kubeskew history bogus-id` named a plan.json it could not read; a `../` id must not become a path.
struct HistoryCommandUnknownRunTests {
    @Test(arguments: ["20261125T151242Z-b6f417", "run1", "a.b_c-d"])
    func kubeskewsOwnIdsAndPlainNamesAreRunIDs(_ id: String) {
        #expect(RunID.isValid(id))
    }

    @Test(arguments: ["", "..", "../etc", ".hidden", "a/b", "/etc", "-rf", "x y", "rün", String(repeating: "a", count: 129)])
    func pathsAndOddCharactersAreNot(_ id: String) {
        #expect(!RunID.isValid(id))
    }

    @Test func anUnknownIdNamesTheJournalAndTheListCommand() async throws {
        try await BinaryRunner.withTempDir { state in
            let r = try await BinaryRunner.run(["history", "bogus-id"], environment: ["XDG_STATE_HOME": state.path])
            #expect(r.status == 1)
            let runs = state.appendingPathComponent("kubeskew/runs").path
            #expect(r.stderr == "kubeskew history: no run \"bogus-id\" in \(runs); kubeskew history lists the runs\n")
        }
    }

    @Test func aPathIsRefusedAsNoRunID() async throws {
        try await BinaryRunner.withTempDir { state in
            // A plan.json where `../etc` would lead from the journal: it must not be read.
            let outside = state.appendingPathComponent("kubeskew/etc")
            try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
            try Data("{}".utf8).write(to: outside.appendingPathComponent("plan.json"))
            let r = try await BinaryRunner.run(["history", "../etc"], environment: ["XDG_STATE_HOME": state.path])
            #expect(r.status == 1)
            #expect(r.stderr.hasPrefix("kubeskew history: \"../etc\" is not a run id"))
            #expect(r.stderr.contains("kubeskew history lists the runs"))
            #expect(!r.stderr.contains("plan.json"))
        }
    }

    @Test func resumeRefusesTheSameWay() async throws {
        try await BinaryRunner.withTempDir { state in
            let bogus = try await BinaryRunner.run(["upgrade", "--resume", "bogus-id"], environment: ["XDG_STATE_HOME": state.path])
            #expect(bogus.status == 1)
            #expect(bogus.stderr.contains("no run \"bogus-id\" in \(state.appendingPathComponent("kubeskew/runs").path); kubeskew history lists the runs"))
            let path = try await BinaryRunner.run(["upgrade", "--resume", "../etc"], environment: ["XDG_STATE_HOME": state.path])
            #expect(path.status == 1)
            #expect(path.stderr.contains("\"../etc\" is not a run id"))
        }
    }
}
