import Foundation
import Testing
@testable import TUI

/// Issue 11, finding 11 (d): "Cells are recomputed from the live cluster during runs; columns do not appear or vanish
/// mid-run; focus stays where the operator put it." Focus follows the working node until the operator chooses a
/// pane (tab, or reading one); after that the run's news never take it away, in split or full screen; a failure is
/// announced by its notice.
struct FocusStaysTests {
    /// node01 upgraded, node02 in its first step: the pane that follows the run is node02's.
    static func node01DoneNode02Running() -> DashboardState {
        var state = UpgradeFixtures.stateWithRun()
        for index in 0..<4 {
            _ = state.update(.upgrade(.stepStarted(node: "node01", index: index, at: UpgradeFixtures.start)))
            _ = state.update(.upgrade(.stepFinished(node: "node01", index: index, state: .done)))
        }
        _ = state.update(.upgrade(.nodeFinished(node: "node01", status: .done)))
        _ = state.update(.upgrade(.stepStarted(node: "node02", index: 0, at: UpgradeFixtures.start)))
        return state
    }

    @Test func aPaneChosenWithTabStaysInFullScreenWhileTheRunGoesOn() {
        var state = Self.node01DoneNode02Running()
        state.press(.char("f"))
        #expect(state.screen.contains("── node02 ─ 0/4 running"), "until a choice, focus follows the run")
        state.press(.tab)
        #expect(state.screen.contains("── node01 ─ 4/4 done"))
        _ = state.update(.upgrade(.stepFinished(node: "node02", index: 0, state: .done)))
        _ = state.update(.upgrade(.stepStarted(node: "node02", index: 1, at: UpgradeFixtures.start)))
        #expect(state.screen.contains("── node01 ─ 4/4 done"), "the next step of node02 took the chosen pane:\n\(state.screen)")
        #expect(!state.screen.contains("── node02 ─"))
        // A failure is announced over the chosen pane, which stays.
        _ = state.update(.upgrade(.stepFinished(node: "node02", index: 1, state: .failed(exitStatus: "exit 1", message: "upgrade failed"))))
        _ = state.update(.upgrade(.nodeFinished(node: "node02", status: .failed)))
        #expect(state.screen.contains("┌─ ✗ node02 failed"))
        state.press(.enter)
        #expect(state.screen.contains("── node01 ─ 4/4 done"), "the failure took the chosen pane:\n\(state.screen)")
        #expect(state.press(.char("R")) == [.upgrade(.retry(node: "node02"))], "R still finds the failed node")
    }

    @Test func readingAPaneChoosesItToo() {
        var state = UpgradeFixtures.stateWithRun()
        for index in 0..<4 {
            _ = state.update(.upgrade(.stepStarted(node: "node01", index: index, at: UpgradeFixtures.start)))
            _ = state.update(.upgrade(.output(node: "node01", line: "node01 step \(index)")))
            _ = state.update(.upgrade(.stepFinished(node: "node01", index: index, state: .done)))
        }
        _ = state.update(.upgrade(.nodeFinished(node: "node01", status: .done)))
        state.press(.char("f"), .char("g"))
        _ = state.update(.upgrade(.stepStarted(node: "node02", index: 0, at: UpgradeFixtures.start)))
        #expect(state.screen.contains("── node01 ─ 4/4 done"), "node02's start took the pane being read:\n\(state.screen)")
    }

    @Test func withoutAChoiceFocusFollowsTheRun() {
        var state = Self.node01DoneNode02Running()
        state.press(.char("f"))
        #expect(state.screen.contains("── node02 ─ 0/4 running"))
        _ = state.update(.upgrade(.stepFinished(node: "node02", index: 0, state: .failed(exitStatus: "exit 1", message: "failed"))))
        _ = state.update(.upgrade(.nodeFinished(node: "node02", status: .failed)))
        #expect(state.upgrade.run?.panes[state.upgrade.run?.focused ?? 0].node == "node02", "a failure brings an unchosen focus to it")
    }
}
