import Foundation
import Testing
@testable import TUI

/// Issue 13: "Node details list only kube-system pods (node08's PodDisruptionBudget-protected `shop/postgres-0` is
/// missing: the pod that blocks its drain)." The snapshot keeps only the version-bearing kube-system pods, so opening
/// details asks the runtime for every pod of that node, and the answer is listed with what blocks a drain.
struct DetailsPodsTests {
    @Test func openingDetailsAsksForEveryPodOfTheNodeAndListsThem() {
        var state = Fixtures.state(width: 80, height: 60)
        state.press(.char("G"))
        let node = state.cursorRow?.name ?? ""
        let effects = state.press(.enter)
        #expect(effects == [.readNodePods(node: node)])
        #expect(state.screen.contains("reading every pod on the node"))
        _ = state.update(.nodePods(NodePods(node: node, pods: [
            NodePods.Pod(namespace: "shop", name: "postgres-0", phase: "Running",
                         blocksDrain: "PodDisruptionBudget shop/postgres allows no disruption"),
            NodePods.Pod(namespace: "kube-system", name: "kube-proxy-abcde", phase: "Running", staysOnDrain: true),
            NodePods.Pod(namespace: "web", name: "frontend-5d9c-x2x", phase: "Running"),
        ])))
        let screen = state.screen
        #expect(screen.contains("Pods on this node (3, 1 blocking a drain)"))
        #expect(screen.contains("shop/postgres-0"))
        #expect(screen.contains("blocks a drain: PodDisruptionBudget shop/postgres allows no disruption"))
        #expect(screen.contains("web/frontend-5d9c-x2x"))
        #expect(screen.contains("kube-system/kube-proxy-abcde"))
    }

    @Test func anAnswerForAnotherNodeIsIgnoredAndAProblemFallsBackToTheSnapshot() {
        var state = Fixtures.state(width: 80, height: 60)
        state.press(.enter)
        let node = state.cursorRow?.name ?? ""
        _ = state.update(.nodePods(NodePods(node: "other", pods: [NodePods.Pod(namespace: "shop", name: "x", phase: "Running")])))
        #expect(!state.screen.contains("shop/x"))
        _ = state.update(.nodePods(NodePods(node: node, pods: [], problem: "forbidden")))
        #expect(state.screen.contains("every pod could not be read: forbidden"))
        #expect(state.screen.contains("kube-system/kube-apiserver-\(node)"))
    }
}
