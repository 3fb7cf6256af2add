import Foundation
import Testing
@testable import TUI

/// Issue 12: "in the dashboard a cluster upgrade action (its key listed in help and the footer) that opens the same
/// plan review: per minor hop, the control-plane nodes first, then the workers … A pause point between hops asks
/// before the next control-plane apply."
struct ClusterUpgradeScreenTests {
    static var review: PlanReview {
        var cp = PlanReview.Node(name: "cp-1", from: "v1.33.3", target: "v1.34.9", hops: ["v1.34.9"], packageManager: "apt",
                                 commands: [.init(hop: 1, name: "kubeadm upgrade apply", location: "node", line: "sudo kubeadm upgrade apply v1.34.9 --yes")],
                                 blockers: [])
        cp.section = ["phase 1/2: control plane → v1.34.9: cp-1 runs kubeadm upgrade apply", "  before: every control-plane node Ready"]
        var worker = PlanReview.Node(name: "node01", from: "v1.33.3", target: "v1.34.9", hops: ["v1.34.9"], packageManager: "apt",
                                     commands: UpgradeFixtures.commands("node01"),
                                     blockers: [.init(kind: "emptydir-data", object: "default/cache-1", advice: "its emptyDir data is lost when it is evicted")])
        worker.section = ["phase 2/2: workers → v1.34.9: node01"]
        return PlanReview(target: "v1.34.9", nodes: [cp, worker],
                          refused: [.init(node: "node08", reason: "its drain cannot pass: pdb-allows-no-disruption shop/postgres-pdb; left at v1.33.2 (within the skew policy of v1.34.9): resolve it, then upgrade it with U or kubeskew upgrade node08")],
                          cluster: .init(header: ["control plane v1.33.3 → v1.34.9 (v1.34.9)", "fixes: closes CVE-2025-5187 (medium) in kube-apiserver v1.33.3"], phases: 2))
    }

    @Test func cOpensTheClusterReviewAndYStartsTheClusterRunNotANodeRun() {
        var state = Fixtures.state(width: 120, height: 40)
        #expect(state.press(.char("C")) == [.upgrade(.planCluster)])
        #expect(state.upgrade.review == .preparing(nodes: ["every node"]))
        _ = state.update(.upgrade(.planReady(Self.review)))
        let screen = state.screen
        #expect(screen.contains("cluster upgrade plan: 2 phases to v1.34.9"), "\(screen)")
        #expect(screen.contains("control plane v1.33.3 → v1.34.9 (v1.34.9)"))
        #expect(screen.contains("phase 1/2: control plane → v1.34.9: cp-1 runs kubeadm upgrade apply"))
        #expect(screen.contains("phase 2/2: workers → v1.34.9: node01"))
        // The reason a node is left out is the operator's next job: wrapped, never cut.
        #expect(screen.contains("resolve it, then upgrade it with U or kubeskew upgrade node08"), "\(screen)")
        #expect(state.press(.char("y")).isEmpty, "a blocker is not acknowledged yet")
        state.press(.char(" "))
        #expect(state.screen.contains("y starts the cluster upgrade to v1.34.9: 2 phases"))
        #expect(state.press(.char("y")) == [.upgrade(.startCluster)])
        #expect(state.flash == "cluster upgrade to v1.34.9 (2 phases) starting")
    }

    @Test func thePauseBetweenHopsAsksBeforeTheNextApply() {
        var state = Fixtures.state(width: 120, height: 40)
        _ = state.update(.upgrade(.clusterPause(lines: ["The control plane is at v1.34.9, and the workers have followed it.",
                                                        "Go on with kubeadm upgrade apply v1.35.9?"])))
        #expect(state.screen.contains("Go on with kubeadm upgrade apply v1.35.9?"))
        #expect(state.press(.char("y")).isEmpty, "a key typed before the question was drawn does not answer it")
        state.screenDrawn()
        #expect(state.press(.char("n")).isEmpty, "no: nothing runs")
        #expect(state.overlay == .none)
        _ = state.update(.upgrade(.clusterPause(lines: ["Go on with kubeadm upgrade apply v1.35.9?"])))
        state.screenDrawn()
        #expect(state.press(.char("y")) == [.upgrade(.startCluster)])
    }

    @Test func readOnlyHasNoClusterUpgradeAndTheKeyIsInHelpAndFooter() {
        var readOnly = Fixtures.state(width: 120, height: 40, readOnly: true)
        #expect(readOnly.press(.char("C")).isEmpty)
        #expect(readOnly.upgrade.review == nil)
        #expect(KeyMap.dashboard(readOnly: true).binding(of: .upgradeCluster) == nil)
        var state = Fixtures.state(width: 160, height: 40)
        #expect(state.screen.split(separator: "\n").last?.contains("C cluster upgrade") == true, "\(state.screen)")
        state.press(.char("?"))
        #expect(state.screen.contains("C") && state.screen.contains("upgrade the whole cluster to the target, control plane first"), "\(state.screen)")
    }

    @Test func aRunInProgressKeepsCFromPlanning() {
        var state = UpgradeFixtures.stateWithRun(width: 120, height: 40)
        #expect(state.press(.char("C")).isEmpty)
        #expect(state.flash == "a run is in progress: wait for it, or abort it (A)")
    }

    /// Between two phases of a cluster upgrade no run is active, but the cluster upgrade is: `q` asks and says that
    /// no later phase starts, `A` stops it (found: `q` quit at once, the screen reading the last phase "finished").
    @Test func betweenTwoPhasesQuittingAndAbortingSayTheClusterUpgradeStops() {
        var state = UpgradeFixtures.stateWithRun(width: 120, height: 40)
        _ = state.update(.upgrade(.clusterRun(active: true)))
        _ = state.update(.upgrade(.runFinished(paused: false, summary: "run 20261125T150000Z-abc123: node01, node02 now v1.35.2")))
        #expect(state.upgrade.run?.isActive == false)
        state.screenDrawn()
        #expect(state.press(.char("q")).isEmpty, "q must ask, not quit")
        #expect(state.screen.contains("A cluster upgrade is between two phases. Quitting stops it: no later phase starts;"), "\(state.screen)")
        state.screenDrawn()
        #expect(state.press(.char("n")).isEmpty)
        state.screenDrawn()
        #expect(state.press(.char("A")).isEmpty)
        #expect(state.screen.contains("Stop the cluster upgrade? It is between two phases: no later phase starts"), "\(state.screen)")
        state.screenDrawn()
        #expect(state.press(.char("y")) == [.upgrade(.abort)])
        #expect(state.press(.char("C")).isEmpty, "no second cluster upgrade while one goes on")
        _ = state.update(.upgrade(.clusterRun(active: false)))
        #expect(state.upgrade.run?.phase == .finished(summary: "cluster upgrade stopped before its next phase"))
        #expect(state.press(.char("q")) == [.quit])
    }
}
