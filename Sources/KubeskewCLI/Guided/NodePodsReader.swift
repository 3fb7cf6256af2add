import KubeClient
import KubeModel
import TUI
import Upgrade

/// Answers the dashboard's `readNodePods`: lists every pod on the node (`fieldSelector=spec.nodeName=`, one small
/// request, made only when details open) and the PodDisruptionBudgets, and marks what a drain would stop on with the
/// same rules the plan review's blockers use.
enum NodePodsReader {
    /// The runtime's callback: returns at once, the answer arrives in the inbox.
    static func callback(client: KubeAPIClient, inbox: DashboardInbox) -> @Sendable (String) -> Void {
        { node in Task { inbox.post(.nodePods(await read(node, client: client))) } }
    }

    static func read(_ node: String, client: KubeAPIClient) async -> NodePods {
        do {
            async let pods = client.listPods(nodeName: node)
            // Budgets only mark what blocks a drain: without them (forbidden) the pods are still listed.
            async let budgets = try? client.listPDBs()
            return NodePods(node: node, pods: entries(try await pods, budgets: await budgets ?? []))
        } catch {
            return NodePods(node: node, pods: [], problem: "\(error)")
        }
    }

    /// Each pod with the first reason a drain would stop on it.
    static func entries(_ pods: [Pod], budgets: [PodDisruptionBudget]) -> [NodePods.Pod] {
        pods.map { pod in
            let blocker = DrainBlockers.find(podsOnNode: [pod], budgets: budgets).first
            return NodePods.Pod(namespace: pod.namespace, name: pod.name, phase: pod.status?.phase ?? "",
                                blocksDrain: blocker.map(reason), staysOnDrain: pod.isMirror || pod.controller?.kind == "DaemonSet")
        }
    }

    static func reason(_ blocker: Blocker) -> String {
        switch blocker.kind {
        case .pdbAllowsNoDisruption: "PodDisruptionBudget \(blocker.object) allows no disruption"
        case .podHasSeveralBudgets: "covered by several PodDisruptionBudgets"
        case .podWithoutController: "no controller (drain needs --force)"
        case .emptyDirData: "emptyDir data (drain needs --delete-emptydir-data)"
        case .loopbackDestination, .foreignDestination, .removedAPIInUse: blocker.advice
        }
    }
}
