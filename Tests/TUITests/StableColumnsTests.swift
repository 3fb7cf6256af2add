import Foundation
import KubeModel
import Testing
@testable import TUI

/// Issue 11, finding 11 (c): "Cells are recomputed from the live cluster during runs; columns do not appear or vanish
/// mid-run; focus stays where the operator put it." As nodes are upgraded their risk badges shrink, a drain cordons
/// them and the run writes its progress in front of the badges: none of it may bring the wide-only RUNTIME column in
/// (or push it out), nor cut the progress.
struct StableColumnsTests {
    /// The fixture cluster without its long node name, node03 and node04 at `version` (v1.31.9 and v1.32.5 at first).
    static func data(upgraded: Set<String> = [], cordoned: String? = nil) -> DashboardData {
        let nodes = Fixtures.nodes.filter { !$0.name.hasPrefix("gpu-worker") }.map { node -> Node in
            guard upgraded.contains(node.name) || node.name == cordoned else { return node }
            return Fixtures.node(node.name, kubelet: upgraded.contains(node.name) ? "v1.35.2" : node.nodeInfo?.kubeletVersion ?? "",
                                 cordoned: node.name == cordoned)
        }
        return Fixtures.data(Fixtures.snapshot(nodes: nodes))
    }

    static func steps() -> [PaneStep] {
        [PaneStep(name: "install kubeadm 1.35.2", location: "node"), PaneStep(name: "drain", location: "cp"),
         PaneStep(name: "uncordon", location: "cp")]
    }

    static func header(_ state: DashboardState) -> String {
        state.screen.split(separator: "\n").first { $0.contains("NAME↓") }.map(String.init) ?? ""
    }

    static func row(_ state: DashboardState, _ node: String) -> String {
        state.screen.split(separator: "\n").first { $0.contains(" \(node) ") }.map(String.init) ?? ""
    }

    /// Runs node03 then node04 through their steps, with the snapshots the cluster shows on the way; returns the
    /// table header of every frame.
    static func headersThroughARun(width: Int) -> (headers: [String], state: DashboardState) {
        var state = Fixtures.state(width: width, height: 40, data: data())
        var headers = [header(state)]
        _ = state.update(.upgrade(.runStarted(RunView(runID: "r1", target: "v1.35.2", panes: [
            RunPane(node: "node03", steps: steps()), RunPane(node: "node04", steps: steps()),
        ]))))
        headers.append(header(state))
        var upgraded: Set<String> = []
        for node in ["node03", "node04"] {
            for index in 0..<3 {
                _ = state.update(.upgrade(.stepStarted(node: node, index: index, at: UpgradeFixtures.start)))
                headers.append(header(state))
                if index == 1 { _ = state.update(.snapshotChanged(data(upgraded: upgraded, cordoned: node))) }
                if index == 2 { upgraded.insert(node); _ = state.update(.snapshotChanged(data(upgraded: upgraded))) }
                headers.append(header(state))
                _ = state.update(.upgrade(.stepFinished(node: node, index: index, state: .done)))
            }
            _ = state.update(.upgrade(.nodeFinished(node: node, status: .done)))
            headers.append(header(state))
        }
        return (headers, state)
    }

    @Test func noColumnAppearsOrVanishesWhileTheRunChangesTheCells() {
        for width in [100, 115, 130, 160, 200] {
            let (headers, state) = Self.headersThroughARun(width: width)
            let first = headers[0]
            for (frame, header) in headers.enumerated() {
                #expect(header == first, "at \(width) columns, frame \(frame): the column set changed mid-run:\n\(first)\n\(header)")
            }
            if width >= 115 {
                // Room is made for the progress: it is never cut.
                #expect(Self.row(state, "node03").contains("✓ upgraded"), "at \(width) columns: \(Self.row(state, "node03"))")
            }
        }
    }

    @Test func theColumnSetStillFollowsTheWidth() {
        #expect(!Self.header(Fixtures.state(width: 115, height: 40, data: Self.data())).contains("RUNTIME"))
        #expect(Self.header(Fixtures.state(width: 200, height: 40, data: Self.data())).contains("RUNTIME"))
    }
}
