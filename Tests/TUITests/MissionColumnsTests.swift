import Foundation
import Testing
@testable import TUI

/// Issue 13: "KUBELET and KUBEADM are the mission's columns: they stay on screen at 80×24; other columns give way
/// first. The footer always shows `U`." and "Column widths do not jump while the set of nodes stays the same
/// (today NAME widens when a run ends)."
struct MissionColumnsTests {
    static func lines(_ state: DashboardState) -> [String] {
        state.screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    static func header(_ state: DashboardState) -> String {
        lines(state).first { $0.contains("NAME↓") } ?? ""
    }

    @Test(arguments: [(80, 24), (100, 30), (200, 50)])
    func kubeletAndKubeadmStayOnScreen(width: Int, height: Int) {
        // The fixture's 39-column node name is the case that pushed KUBEADM off.
        let state = Fixtures.state(width: width, height: height)
        let header = Self.header(state)
        #expect(header.contains("KUBELET"), "\(width)×\(height): \(header)")
        #expect(header.contains("KUBEADM"), "\(width)×\(height): \(header)")
        // The long name is cut with an ellipsis rather than pushing a mission column off.
        #expect(Self.lines(state).contains { $0.contains("gpu-worker-with") })
    }

    @Test func atEightyColumnsRoleGivesWayAndTheRestStays() {
        let header = Self.header(Fixtures.state(width: 80, height: 24))
        for title in ["NAME", "STATUS", "KUBELET", "KUBEADM", "SKEW", "RISK"] {
            #expect(header.contains(title), "\(title) missing: \(header)")
        }
        #expect(!header.contains("ROLE"))
    }

    @Test(arguments: [80, 100, 120, 200])
    func theFooterAlwaysShowsUpgradeMarkHelpAndQuit(width: Int) {
        let footer = Self.lines(Fixtures.state(width: width, height: 24)).last ?? ""
        for hint in ["U upgrade", "space mark", "? help", "q quit"] {
            #expect(footer.contains(hint), "\(width) columns: \(hint) missing from \(footer)")
        }
        // Help and quit stay at the end, where the eye finds them.
        #expect(footer.hasSuffix("? help · q quit"))
    }

    @Test func readOnlyFooterHasNoUpgrade() {
        let footer = Self.lines(Fixtures.state(width: 80, height: 24, readOnly: true)).last ?? ""
        #expect(!footer.contains("U upgrade"))
        #expect(footer.hasSuffix("? help · q quit"))
    }

    /// A run opens, shows progress, finishes and is closed: the table's header (every column and its width) and
    /// the name cells stay as they were.
    @Test(arguments: [80, 100, 120])
    func widthsDoNotJumpWhenARunEnds(width: Int) {
        var state = Fixtures.state(width: width, height: 40, data: StableColumnsTests.data())
        let before = Self.header(state)
        let nameCell = Self.lines(state).first { $0.contains(" node03 ") } ?? ""
        _ = state.update(.upgrade(.runStarted(RunView(runID: "r1", target: "v1.35.2", panes: [
            RunPane(node: "node03", steps: StableColumnsTests.steps()),
        ]))))
        var headers = [Self.header(state)]
        for index in 0..<3 {
            _ = state.update(.upgrade(.stepStarted(node: "node03", index: index, at: UpgradeFixtures.start)))
            headers.append(Self.header(state))
            _ = state.update(.upgrade(.stepFinished(node: "node03", index: index, state: .done)))
        }
        _ = state.update(.snapshotChanged(StableColumnsTests.data(upgraded: ["node03"])))
        _ = state.update(.upgrade(.nodeFinished(node: "node03", status: .done)))
        headers.append(Self.header(state))
        _ = state.update(.upgrade(.runFinished(paused: false, summary: "done")))
        headers.append(Self.header(state))
        // esc back to the table, esc again closes the finished run.
        state.press(.escape, .escape)
        #expect(state.upgrade.run == nil, "the run is still open")
        headers.append(Self.header(state))
        for (frame, header) in headers.enumerated() {
            #expect(header == before, "\(width) columns, frame \(frame):\n\(before)\n\(header)")
        }
        let nameAfter = Self.lines(state).first { $0.contains(" node03 ") } ?? ""
        #expect(nameAfter.prefix(20) == nameCell.prefix(20))
    }
}
