import Foundation
import Testing
@testable import TUI

/// Issue 11, findings 1 and 2: every dangerous action asks on every screen, and a dialog says what will happen when
/// the operator answers, not what was so when it opened (the run goes on behind it).
struct TruthfulDialogTests {
    /// Reproduced: during a run, `tmux resize-window -x 50 -y 12`, the too-small screen says "press q to quit", and
    /// `q` aborted the run at once.
    @Test func qOnTheTooSmallScreenAsksBeforeAbortingARun() {
        var state = UpgradeFixtures.stateWithRun()
        _ = state.update(.upgrade(.stepStarted(node: "node01", index: 0, at: UpgradeFixtures.start)))
        _ = state.update(.resize(width: 50, height: 12))
        #expect(state.press(.char("q")).isEmpty, "q must not quit at once during a run")
        guard case .confirm(let dialog) = state.overlay else {
            Issue.record("no dialog opened")
            return
        }
        #expect(dialog.title == "quit during a run")
        #expect(state.screen.contains("quit during a run"))
        #expect(state.press(.char("y")) == [.quit])
    }

    @Test func ctrlCOnTheTooSmallScreenAsksTheRunQuestionToo() {
        var state = UpgradeFixtures.stateWithRun()
        _ = state.update(.upgrade(.stepStarted(node: "node01", index: 0, at: UpgradeFixtures.start)))
        _ = state.update(.resize(width: 50, height: 12))
        #expect(state.press(.ctrl("c")).isEmpty)
        guard case .confirm(let dialog) = state.overlay else {
            Issue.record("no dialog opened")
            return
        }
        #expect(dialog.title == "quit during a run")
    }

    @Test func withoutARunTheTooSmallScreenStillQuitsOnQ() {
        var state = Fixtures.state(width: 50, height: 12)
        #expect(state.press(.char("q")) == [.quit])
    }

    /// Reproduced: `A` said "node04: stopped in install kubeadm (1/32), not cordoned by the run"; a second later `y`
    /// aborted it in its drain, and the node was left cordoned.
    @Test func theAbortDialogFollowsTheRunWhileItIsOpen() {
        var state = UpgradeFixtures.stateWithRun()
        _ = state.update(.upgrade(.stepStarted(node: "node01", index: 0, at: UpgradeFixtures.start)))
        #expect(state.press(.char("A")).isEmpty)
        #expect(state.screen.contains("node01: stopped in install kubeadm 1.35.2 (0/4), not cordoned by the run"))
        #expect(state.screen.contains("node02: not started, untouched"))
        _ = state.update(.upgrade(.stepFinished(node: "node01", index: 0, state: .done)))
        _ = state.update(.upgrade(.stepStarted(node: "node01", index: 1, at: UpgradeFixtures.start)))
        _ = state.update(.upgrade(.stepFinished(node: "node01", index: 1, state: .done)))
        _ = state.update(.upgrade(.stepStarted(node: "node01", index: 2, at: UpgradeFixtures.start)))
        _ = state.update(.upgrade(.stepStarted(node: "node02", index: 0, at: UpgradeFixtures.start)))
        let screen = state.screen
        #expect(screen.contains("node01: stopped in drain (2/4), cordoned if its drain got that far"))
        #expect(screen.contains("node02: stopped in install kubeadm 1.35.2 (0/4), not cordoned by the run"))
        #expect(!screen.contains("node02: not started"))
        #expect(state.press(.char("y")) == [.upgrade(.abort)])
    }

    /// Reproduced: the quit dialog said "node07: not started, untouched"; the summary then said "node07: aborted".
    @Test func theQuitDialogFollowsTheRunAndBecomesAPlainQuitWhenTheRunEnds() {
        var state = UpgradeFixtures.stateWithRun()
        _ = state.update(.upgrade(.stepStarted(node: "node01", index: 0, at: UpgradeFixtures.start)))
        #expect(state.press(.char("q")).isEmpty)
        #expect(state.screen.contains("node02: not started, untouched"))
        _ = state.update(.upgrade(.stepStarted(node: "node02", index: 0, at: UpgradeFixtures.start)))
        #expect(state.screen.contains("node02: stopped in install kubeadm 1.35.2 (0/4)"))
        for node in ["node01", "node02"] {
            _ = state.update(.upgrade(.nodeFinished(node: node, status: .done)))
        }
        _ = state.update(.upgrade(.runFinished(paused: false, summary: "run done: node01, node02 now v1.35.2")))
        guard case .confirm(let dialog) = state.overlay else {
            Issue.record("the dialog closed by itself")
            return
        }
        #expect(dialog.title == "quit kubeskew", "nothing is running any more: quitting aborts nothing")
        #expect(!state.screen.contains("Quitting aborts it"))
        #expect(state.press(.char("y")) == [.quit])
    }
}
