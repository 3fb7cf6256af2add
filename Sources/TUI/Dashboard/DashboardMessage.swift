import SkewCore
import Foundation

/// Everything that can happen to the dashboard; the runtime turns terminal input and other tasks' news into these.
public enum DashboardMessage: Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    case snapshotChanged(DashboardData)
    case watchState(WatchState)
    case tick(Date)
    /// A one-line notice for the footer (e.g. what became of a requested action).
    case notice(String)
    /// News from the guided upgrade (plan ready, step output, node finished, …).
    case upgrade(UpgradeEvent)
    /// News from a single action (cordon, uncordon, drain) for its pane.
    case nodeAction(NodeActionEvent)
    /// The pods on a node, read because its details were opened (`DashboardEffect.readNodePods`).
    case nodePods(NodePods)
    /// The nodes other kubeskews hold now (their live Leases), by node name; replaces the previous set.
    case nodeHolds([String: NodeHold])
}

/// What `update` asks the runtime to do.
public enum DashboardEffect: Equatable, Sendable {
    case quit
    /// Back to the fleet view (`esc` on a cluster opened from it, nothing else open, no run in progress).
    case back
    /// Reopen the dashboard on this kubeconfig context (`:ctx`, no run in progress).
    case switchContext(String)
    /// A confirmed action on nodes; the runtime hands it to the caller's callback.
    case nodeAction(NodeActionRequest)
    /// Stop the single action with this request number (kubectl is stopped; queued nodes are not started).
    case stopNodeAction(requestID: Int)
    /// Something for the guided upgrade to do (plan, start, abort, retry, …).
    case upgrade(UpgradeRequest)
    /// Ask these nodes for their kubeadm again (empty: every node).
    case probeKubeadm(nodes: [String])
    /// List every pod on this node (its details opened) and answer with `DashboardMessage.nodePods`.
    case readNodePods(node: String)
    /// Assess the cluster against this target from now on (`t`).
    case chooseTarget(TargetChoice)
}
