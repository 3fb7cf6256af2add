import Testing
@testable import TUI

/// Issue 11, finding 10: keys typed while the live dashboard started landed in the "interrupted run" dialog, and a
/// `y` resumed an aborted upgrade. A dialog that opens by itself takes keys only once it has been drawn.
struct TypeAheadTests {
    @Test func keysReadWithTheResumeOfferDoNotAnswerIt() {
        var state = Fixtures.state(width: 100, height: 40)
        // One runtime pass: the offer from the inbox, then the keys read from the terminal in the same pass.
        _ = state.update(.upgrade(.resumeOffer(runID: "r1", nodes: ["node08: aborted, 4/9 steps"])))
        #expect(state.press(.char("y")).isEmpty, "a y typed before the dialog was on screen resumed the run")
        #expect(state.press(.char("n")).isEmpty)
        #expect(state.press(.escape).isEmpty)
        guard case .confirm(let dialog) = state.overlay else {
            Issue.record("the offer was closed by keys typed before it appeared")
            return
        }
        #expect(dialog.title == "interrupted run")
        // Drawn: now the operator sees it and answers.
        state.screenDrawn()
        #expect(state.press(.char("y")) == [.upgrade(.resumeInterrupted(runID: "r1"))])
    }

    @Test func dialogsOpenedByAKeyTakeTheNextKeyAtOnce() {
        var state = Fixtures.state(width: 100, height: 40)
        state.press(.char("c"))
        guard case .confirm = state.overlay else {
            Issue.record("c opened no dialog")
            return
        }
        // The operator opened it and answers it; no draw in between is needed (keys typed fast are the operator's).
        #expect(!state.press(.char("y")).isEmpty)
    }
}
