import Foundation
@testable import TUI

/// Plans and runs as the upgrade side sends them, for the guided-upgrade screen tests.
enum UpgradeFixtures {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func commands(_ node: String) -> [PlanReview.Command] {
        [
            .init(hop: 1, name: "install kubeadm 1.35.2", location: "node",
                  line: "sudo apt-mark unhold kubeadm && sudo apt-get update && sudo apt-get install -y kubeadm='1.35.2-*' && sudo apt-mark hold kubeadm"),
            .init(hop: 1, name: "kubeadm upgrade node", location: "node", line: "sudo kubeadm upgrade node"),
            .init(hop: 1, name: "drain", location: "control-plane", line: "kubectl drain \(node) --ignore-daemonsets"),
            .init(hop: 1, name: "wait until Ready", location: "control-plane",
                  line: "wait until the node is Ready with kubelet v1.35.2", isShellCommand: false),
            .init(hop: 1, name: "uncordon", location: "control-plane", line: "kubectl uncordon \(node)"),
        ]
    }

    static var review: PlanReview {
        PlanReview(target: "v1.35.2", nodes: [
            .init(name: "node01", from: "v1.35.1", target: "v1.35.2", hops: ["v1.35.2"], packageManager: "apt",
                  commands: commands("node01"), blockers: []),
            .init(name: "node02", from: "v1.34.4", target: "v1.35.2", hops: ["v1.35.2"], packageManager: "apt",
                  commands: commands("node02"),
                  blockers: [.init(kind: "pdb-allows-no-disruption", object: "shop/postgres-pdb",
                                   advice: "PodDisruptionBudget postgres-pdb allows no disruption of shop/postgres-0: scale the workload up or relax the budget"),
                             .init(kind: "emptydir-data", object: "default/cache-1", advice: "its emptyDir data is lost when it is evicted")]),
        ], refused: [.init(node: "node-bad", reason: "kubelet version unknown")])
    }

    static func steps() -> [PaneStep] {
        [PaneStep(name: "install kubeadm 1.35.2", location: "node"), PaneStep(name: "kubeadm upgrade node", location: "node"),
         PaneStep(name: "drain", location: "cp"), PaneStep(name: "uncordon", location: "cp")]
    }

    static var run: RunView {
        RunView(runID: "20261125T150000Z-abc123", target: "v1.35.2",
                panes: [RunPane(node: "node01", steps: steps()), RunPane(node: "node02", steps: steps())])
    }

    /// A dashboard state with the fixture cluster and a run of node01 and node02 started.
    static func stateWithRun(width: Int = 100, height: Int = 30, readOnly: Bool = false) -> DashboardState {
        var state = Fixtures.state(width: width, height: height, readOnly: readOnly)
        state.now = start.addingTimeInterval(12)
        _ = state.update(.upgrade(.runStarted(run)))
        return state
    }
}
