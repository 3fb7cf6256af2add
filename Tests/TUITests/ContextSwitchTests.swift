import Foundation
import Testing
@testable import TUI

/// Issue 17: the k9s-style `:` command line, the `:ctx` picker, `esc` back to the fleet view, and the rule that a
/// cluster with a run in progress is not left.
struct ContextSwitchTests {
    static let contexts = KubeContexts(names: ["prod-eu", "staging", "prod-us", "dev"], current: "prod-eu")

    static func state(returnsToFleet: Bool = false, contexts: KubeContexts? = ContextSwitchTests.contexts,
                      width: Int = 100, height: Int = 30) -> DashboardState {
        let options = DashboardOptions(glyphs: .unicode, timeZone: TimeZone(identifier: "UTC") ?? .current,
                                       contexts: contexts, returnsToFleet: returnsToFleet)
        var state = DashboardState(options: options, width: width, height: height, watch: .live)
        _ = state.update(.snapshotChanged(Fixtures.data()))
        return state
    }

    @Test func colonOpensThePromptAndCtxListsTheContextsWithTheCurrentMarked() {
        var s = Self.state()
        #expect(s.press(.char(":")) == [])
        s.type("ctx")
        #expect(s.screen.split(separator: "\n").last?.hasPrefix(" :ctx_") == true, "\(s.screen)")
        #expect(s.press(.enter) == [])
        guard case .contexts(let picker) = s.overlay else {
            Issue.record("no picker: \(s.overlay)")
            return
        }
        #expect(picker.names == ["prod-eu", "staging", "prod-us", "dev"])
        s.screenDrawn()
        let screen = s.screen
        #expect(screen.contains("contexts"))
        #expect(screen.contains("▸* prod-eu  (current)"), "\(screen)")
        #expect(screen.contains("   staging"))
        #expect(screen.contains("j/k move · enter switch · esc cancel"))
        // Enter on the current one switches nothing.
        #expect(s.press(.enter) == [])
        #expect(s.flash == "already on prod-eu")
        _ = s.press(.char(":"))
        s.type("ctx")
        _ = s.press(.enter)
        #expect(s.press(.char("j"), .enter) == [.switchContext("staging")])
        #expect(s.overlay == .none)
    }

    @Test func ctxNameSwitchesAtOnceAndAMistypedNameListsTheNearOnes() {
        var s = Self.state()
        _ = s.press(.char(":"))
        s.type("ctx staging")
        #expect(s.press(.enter) == [.switchContext("staging")])
        #expect(s.prompt == nil)

        _ = s.press(.char(":"))
        s.type("ctx prod")
        #expect(s.press(.enter) == [])
        #expect(s.flash == "no context \"prod\" in the kubeconfig; did you mean \"prod-eu\", \"prod-us\"", "\(s.flash ?? "")")
        _ = s.press(.char(":"))
        s.type("ctx stagign")
        _ = s.press(.enter)
        #expect(s.flash == "no context \"stagign\" in the kubeconfig; did you mean \"staging\"")
        _ = s.press(.char(":"))
        s.type("ctx zzzzzzzzzz")
        _ = s.press(.enter)
        #expect(s.flash == "no context \"zzzzzzzzzz\" in the kubeconfig; its contexts: \"prod-eu\", \"staging\", \"prod-us\", \"dev\"")
        // Tab completes a context name that starts so.
        _ = s.press(.char(":"))
        s.type("ctx sta")
        _ = s.press(.tab)
        #expect(s.prompt == "ctx staging")
        #expect(s.press(.enter) == [.switchContext("staging")])
    }

    @Test func escCancelsThePromptAndQQuitsAndUnknownCommandsSaySo() {
        var s = Self.state()
        _ = s.press(.char(":"))
        s.type("ctx")
        #expect(s.press(.escape) == [])
        #expect(s.prompt == nil)
        #expect(s.overlay == .none)
        // Typed while the prompt was open, `q` was text, not quit.
        _ = s.press(.char(":"))
        s.type("bogus")
        #expect(s.press(.enter) == [])
        #expect(s.flash == "unknown command :bogus (try :ctx, :ctx NAME, :q)")
        _ = s.press(.char(":"))
        s.type("q")
        #expect(s.press(.enter) == [.quit])
        // Backspace on an empty prompt closes it.
        var t = Self.state()
        _ = t.press(.char(":"), .backspace)
        #expect(t.prompt == nil)
    }

    @Test func offlineDashboardsHaveNoContexts() {
        var s = Self.state(contexts: nil)
        _ = s.press(.char(":"))
        s.type("ctx")
        #expect(s.press(.enter) == [])
        #expect(s.overlay == .none)
        #expect(s.flash?.hasPrefix("contexts are not available here") == true, "\(s.flash ?? "")")
    }

    @Test func escReturnsToTheFleetOneLevelAtATime() {
        var s = Self.state(returnsToFleet: true)
        #expect(s.screen.contains("esc fleet"), "the footer says how to go back: \(s.screen)")
        // A filter is cleared first, an overlay closed first.
        _ = s.press(.char("/"))
        s.type("node0")
        _ = s.press(.enter)
        #expect(s.press(.escape) == [])
        #expect(s.filter.isEmpty)
        _ = s.press(.char("?"))
        #expect(s.press(.escape) == [])
        #expect(s.overlay == .none)
        #expect(s.press(.escape) == [.back])
        // Not opened from the fleet: esc leaves nothing.
        var alone = Self.state()
        #expect(alone.press(.escape) == [])
        #expect(!alone.screen.contains("esc fleet"))
    }

    @Test func aClusterWithARunInProgressIsNotLeft() {
        var s = Self.state(returnsToFleet: true)
        s.now = UpgradeFixtures.start.addingTimeInterval(12)
        _ = s.update(.upgrade(.runStarted(UpgradeFixtures.run)))
        s.screenDrawn()
        // The first esc takes the keys off the run's panes (one level at a time), the next would leave.
        #expect(s.upgrade.run?.keysOnPanes == true)
        #expect(s.press(.escape) == [])
        #expect(s.upgrade.run?.keysOnPanes == false && s.flash == nil)
        #expect(s.press(.escape) == [], "esc must not leave a run going on unseen")
        #expect(s.flash == "a run is in progress on prod-eu; stop it (A) or wait before leaving")
        #expect(s.screen.contains("a run is in progress on prod-eu; stop it (A) or wait before leaving"))
        _ = s.press(.char(":"))
        s.type("ctx staging")
        #expect(s.press(.enter) == [])
        #expect(s.flash == "a run is in progress on prod-eu; stop it (A) or wait before leaving")
        _ = s.press(.char(":"))
        s.type("ctx")
        _ = s.press(.enter)
        #expect(s.press(.char("j"), .enter) == [])
        #expect(s.flash == "a run is in progress on prod-eu; stop it (A) or wait before leaving")
        // :q asks as q does during a run.
        _ = s.press(.char(":"))
        s.type("q")
        #expect(s.press(.enter) == [])
        if case .confirm(let dialog) = s.overlay { #expect(dialog.title == "quit during a run") } else { Issue.record("no quit question") }
        _ = s.press(.char("n"))

        // Once the run is over, esc closes its panes first, then goes back.
        _ = s.update(.upgrade(.nodeFinished(node: "node01", status: .done)))
        _ = s.update(.upgrade(.nodeFinished(node: "node02", status: .done)))
        _ = s.update(.upgrade(.runFinished(paused: false, summary: "2 nodes upgraded")))
        s.screenDrawn()
        #expect(s.leaveRefusal == nil)
        #expect(s.press(.escape) == [])
        #expect(s.upgrade.run == nil)
        #expect(s.press(.escape) == [.back])
    }

    @Test func aSingleActionInFlightIsNotLeftEither() {
        var s = Self.state(returnsToFleet: true)
        _ = s.press(.char("c"), .char("y"))
        #expect(s.upgrade.run?.hasActionInFlight == true, "\(String(describing: s.upgrade.run))")
        s.screenDrawn()
        #expect(s.press(.escape, .escape) == [])
        #expect(s.flash == "an action is in progress on prod-eu; stop it (A) or wait before leaving")
    }

    @Test func thePickerScrollsToKeepTheSelectionInView() {
        let names = (1...40).map { "cluster-\($0)" }
        var s = Self.state(contexts: KubeContexts(names: names, current: "cluster-30"), height: 20)
        _ = s.press(.char(":"))
        s.type("ctx")
        _ = s.press(.enter)
        #expect(s.screen.contains("▸* cluster-30  (current)"))
        _ = s.press(.char("G"))
        #expect(s.screen.contains("▸  cluster-40"))
        #expect(!s.screen.contains("cluster-1 "))
        #expect(s.press(.enter) == [.switchContext("cluster-40")])
    }
}
