import Testing
@testable import TUI

/// The resume offer's three answers: `y` resumes, `n` declines (remembered by the upgrade side), `esc` asks later.
struct ResumeDeclineTests {
    @Test func declineSendsTheDeclineRequest() {
        var state = Fixtures.state(width: 100, height: 40)
        _ = state.update(.upgrade(.resumeOffer(runID: "20261125T150000Z-abc123", nodes: ["node02: aborted, 4/9 steps"])))
        state.screenDrawn()
        #expect(state.screen.contains("n decline"))
        #expect(state.press(.char("n")) == [.upgrade(.declineResume(runID: "20261125T150000Z-abc123"))])
        #expect(state.overlay == .none)
    }

    @Test func escapeClosesWithoutDeciding() {
        var state = Fixtures.state(width: 100, height: 40)
        _ = state.update(.upgrade(.resumeOffer(runID: "r1", nodes: ["node02: aborted, 4/9 steps"])))
        state.screenDrawn()
        #expect(state.press(.escape).isEmpty)
        #expect(state.overlay == .none)
    }

    @Test func otherDialogsStillCancelOnN() {
        var state = Fixtures.state(width: 100, height: 40)
        state.press(.char("c"))
        #expect(state.screen.contains("n/esc cancel"), "\(state.screen)")
        #expect(state.press(.char("n")).isEmpty)
        #expect(state.overlay == .none)
    }
}

/// Issue 11, finding 5: a resume whose journal claims what the cluster does not show asks, listing each difference.
struct ResumeMismatchDialogTests {
    @Test func theDifferencesAreListedAndYesRunsThemAgain() {
        var state = Fixtures.state(width: 120, height: 40)
        _ = state.update(.upgrade(.resumeMismatch(runID: "r1", lines: ["node07: step 3 drain is done in the journal, but node07 is schedulable (not cordoned)"])))
        state.screenDrawn()
        #expect(state.screen.contains("journal ≠ cluster"), "\(state.screen)")
        #expect(state.screen.contains("node07: step 3 drain is done in the journal, but node07 is schedulable"), "\(state.screen)")
        #expect(state.press(.char("y")) == [.upgrade(.resumeRunningAgain(runID: "r1"))])
    }

    @Test func escapeRunsNothing() {
        var state = Fixtures.state(width: 120, height: 40)
        _ = state.update(.upgrade(.resumeMismatch(runID: "r1", lines: ["node07: …"])))
        state.screenDrawn()
        #expect(state.press(.escape).isEmpty)
        #expect(state.overlay == .none)
    }
}
