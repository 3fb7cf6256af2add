import Foundation
import Testing
@testable import TUI

/// Another kubeskew holds a node (its Lease): the table and the details say who and since when, and this
/// dashboard's cordon, drain, uncordon and upgrade of that node are refused with that reason, nothing requested.
struct NodeHoldScreenTests {
    static let since = Date(timeIntervalSince1970: 1_796_659_331)  // 2026-12-07 16:02:11 UTC
    static let holder = "alice@laptop run 20261207T160211Z-abcdef"

    static func heldState() -> DashboardState {
        var state = Fixtures.state(width: 160, height: 40)
        _ = state.update(.nodeHolds(["node02": NodeHold(holder: holder, since: since)]))
        state.now = since.addingTimeInterval(120)
        return state
    }

    static func moveTo(_ node: String, _ state: inout DashboardState) {
        for _ in 0..<state.order.count where state.cursorRow?.name != node { state.press(.down) }
    }

    @Test func tableAndDetailsSayWhoIsUpgradingTheNode() {
        var state = Self.heldState()
        let row = state.screen.split(separator: "\n").first { $0.contains("node02") } ?? ""
        #expect(row.contains("being upgraded by alice@laptop"), "\(state.screen)")
        #expect(!state.screen.split(separator: "\n").contains { $0.contains("node03") && $0.contains("being upgraded") })
        Self.moveTo("node02", &state)
        state.press(.enter)
        #expect(state.screen.contains("being upgraded by \(Self.holder) since 16:02 UTC"), "\(state.screen)")
    }

    @Test func actionsOnAHeldNodeAreRefusedWithTheHolder() {
        var state = Self.heldState()
        Self.moveTo("node02", &state)
        let refusal = "node02: being upgraded by \(Self.holder) since 16:02 UTC; wait for it or ask them"
        for key in ["c", "u", "r", "U"] {
            #expect(state.press(.char(Character(key))).isEmpty, "\(key) requested something")
            #expect(state.overlay == .none, "\(key) opened \(state.overlay)")
            #expect(state.flash == refusal, "\(key): \(state.flash ?? "")")
        }
        // Marked with another node, the whole request is refused: nothing runs on node02 by the back door.
        state.press(.char("a"))
        #expect(state.press(.char("c")).isEmpty)
        #expect(state.flash == refusal)
        // Once the hold is gone (the other run finished), the same keys ask as usual.
        _ = state.update(.nodeHolds([:]))
        state.press(.char("x"))
        Self.moveTo("node02", &state)
        state.press(.char("c"))
        guard case .confirm = state.overlay else { Issue.record("no confirmation once the hold is gone"); return }
    }
}
