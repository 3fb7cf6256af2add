import Foundation
import KubeModel

/// Whether a step pod has started, is still on its way, or never will, read from the pod and its node as they are
/// now. Pure, so that every case a real cluster shows is tested without one.
///
/// "Never will" is said as soon as the cluster says so, instead of at the step's timeout: a pod the kubelet refused
/// (phase Failed, no container ran), a container that cannot be created, a node that no longer exists, or a node
/// whose kubelet has not posted status for `unreachableGrace` (nothing runs the pod there until it is back).
enum StepPodStart: Equatable {
    case started
    /// Not yet; what it is waiting for, for the message if the step's time runs out.
    case waiting(String)
    /// Never: why, with what to do.
    case failed(String)

    /// Container waiting reasons after which nothing changes without a change of the pod or the node.
    static let hopeless: Set = ["ErrImagePull", "ImagePullBackOff", "CreateContainerConfigError", "InvalidImageName",
                                "CreateContainerError"]

    /// How long a node may stay `Ready Unknown` while its step pod is Pending before the step gives up: a kubelet
    /// restart (the upgrade's own) comes back well within it; a stopped or unreachable kubelet does not.
    static let unreachableGrace: Duration = .seconds(20)

    /// - Parameters:
    ///   - pod: the step pod, as read now; nil when it is gone.
    ///   - node: its node, as read now; nil when the node does not exist.
    ///   - unreachableFor: how long this step has seen the node's Ready condition Unknown without a break.
    static func judge(_ podName: String, pod: Pod?, nodeName: String, node: Node?, unreachableFor: Duration) -> StepPodStart {
        guard let pod else { return .failed("the step pod \(podName) was deleted before it ran (by someone else, or its node was removed)") }
        let phase = pod.status?.phase ?? "Pending"
        let container = pod.status?.containerStatuses?.first
        if phase == "Running" || phase == "Succeeded" || container?.state?.terminated != nil { return .started }
        if phase == "Failed" {
            let why = [pod.status?.reason, pod.status?.message].compactMap { $0 }.joined(separator: ": ")
            return .failed("the kubelet on \(nodeName) refused the step pod \(podName)\(why.isEmpty ? "" : " (\(why))")")
        }
        if let waiting = container?.state?.waiting, let reason = waiting.reason, hopeless.contains(reason) {
            return .failed("the step pod \(podName) cannot start: \(reason)\(waiting.message.map { ": \($0)" } ?? "")")
        }
        guard let node else {
            return .failed("the step pod \(podName) cannot start: node \(nodeName) no longer exists")
        }
        let ready = node.status?.conditions?.first { $0.type == "Ready" }
        let nodeSays = ready.map { condition in
            "node \(nodeName) is Ready=\(condition.status)"
                + (condition.lastTransitionTime.map { " since \($0)" } ?? "")
                + (condition.message.map { " (\($0))" } ?? "")
        } ?? "node \(nodeName) reports no Ready condition"
        if ready?.status == "Unknown" && unreachableFor >= unreachableGrace {
            return .failed("the step pod \(podName) was not started: \(nodeSays); nothing runs pods on \(nodeName) until "
                           + "its kubelet posts status again: check the kubelet there (systemctl status kubelet), or use --executor ssh")
        }
        let waitingFor = container?.state?.waiting?.reason.map { "\(phase), \($0)" } ?? phase
        return .waiting("the step pod \(podName) is \(waitingFor); \(nodeSays)")
    }

    /// The time from `since` (the node condition's last transition) to `before` (the pod's creation), both written
    /// by the API server's side, so no clock of this machine enters; zero when either is missing or out of order.
    static func silence(before creation: String?, since transition: String?) -> Duration {
        guard let creation, let transition,
              let created = try? Date(creation, strategy: .iso8601), let changed = try? Date(transition, strategy: .iso8601),
              created > changed else { return .zero }
        return .milliseconds(Int64(created.timeIntervalSince(changed) * 1000))
    }
}
