import Foundation
import KubeModel
import Testing
@testable import Upgrade

/// Issue 16: "the `pod` executor's step pod never starting … must name the pod and why it did not run, from its
/// status and events, and stop waiting once nothing can change."
struct StepPodStartTests {
    static func pod(phase: String?, waiting: String? = nil, terminated: Int32? = nil, reason: String? = nil, message: String? = nil) -> Pod {
        var status: [String: Any] = [:]
        if let phase { status["phase"] = phase }
        if let reason { status["reason"] = reason }
        if let message { status["message"] = message }
        if let waiting { status["containerStatuses"] = [["name": "step", "state": ["waiting": ["reason": waiting, "message": "detail"]]]] }
        if let terminated { status["containerStatuses"] = [["name": "step", "state": ["terminated": ["exitCode": terminated]]]] }
        let object: [String: Any] = ["metadata": ["name": "kubeskew-step-abcde", "namespace": "kube-system"], "status": status]
        // Decoded from JSON, as the client reads pods.
        return try! JSONDecoder().decode(Pod.self, from: JSONSerialization.data(withJSONObject: object))
    }

    static func node(ready: String) -> Node {
        var condition = NodeCondition(type: "Ready", status: ready, reason: nil,
                                      message: ready == "Unknown" ? "Kubelet stopped posting node status." : nil)
        condition.lastTransitionTime = "2026-12-07T10:00:00Z"
        return Node(metadata: ObjectMeta(name: "node03"), status: NodeStatus(conditions: [condition]))
    }

    func judge(_ pod: Pod?, _ node: Node?, unknownFor: Duration = .zero) -> StepPodStart {
        StepPodStart.judge("kube-system/kubeskew-step-abcde", pod: pod, nodeName: "node03", node: node, unreachableFor: unknownFor)
    }

    @Test func aRunningOrEndedContainerHasStarted() {
        #expect(judge(Self.pod(phase: "Running"), nil) == .started)
        #expect(judge(Self.pod(phase: "Succeeded"), nil) == .started)
        #expect(judge(Self.pod(phase: "Pending", terminated: 1), nil) == .started)
    }

    @Test func aPodTheKubeletRefusedFailsAtOnceWithItsReason() {
        let verdict = judge(Self.pod(phase: "Failed", reason: "OutOfcpu", message: "Pod was rejected: Node didn't have enough resource: cpu"),
                            Self.node(ready: "True"))
        #expect(verdict == .failed("the kubelet on node03 refused the step pod kube-system/kubeskew-step-abcde (OutOfcpu: Pod was rejected: Node didn't have enough resource: cpu)"))
    }

    @Test func anImageThatCannotBePulledFailsAtOnce() {
        #expect(judge(Self.pod(phase: "Pending", waiting: "ImagePullBackOff"), Self.node(ready: "True"))
                == .failed("the step pod kube-system/kubeskew-step-abcde cannot start: ImagePullBackOff: detail"))
    }

    @Test func aDeletedPodOrNodeFailsAtOnce() {
        guard case .failed(let why) = judge(nil, Self.node(ready: "True")) else { Issue.record("not failed"); return }
        #expect(why.contains("was deleted before it ran"))
        #expect(judge(Self.pod(phase: "Pending"), nil)
                == .failed("the step pod kube-system/kubeskew-step-abcde cannot start: node node03 no longer exists"))
    }

    @Test func aSilentKubeletIsWaitedForThroughTheGraceThenNamed() {
        let pending = Self.pod(phase: "Pending")
        let silent = Self.node(ready: "Unknown")
        #expect(judge(pending, silent, unknownFor: .seconds(19)) == .waiting(
            "the step pod kube-system/kubeskew-step-abcde is Pending; node node03 is Ready=Unknown since 2026-12-07T10:00:00Z (Kubelet stopped posting node status.)"))
        guard case .failed(let why) = judge(pending, silent, unknownFor: StepPodStart.unreachableGrace) else {
            Issue.record("a kubelet silent past the grace must end the wait"); return
        }
        #expect(why.hasPrefix("the step pod kube-system/kubeskew-step-abcde was not started: node node03 is Ready=Unknown since 2026-12-07T10:00:00Z"))
        #expect(why.contains("check the kubelet there (systemctl status kubelet), or use --executor ssh"))
    }

    @Test func aPostingButNotReadyKubeletMayStillStartItsPods() {
        // Ready=False (a CNI not ready, pressure): the kubelet runs host-network pods; only the step's timeout ends it.
        #expect(judge(Self.pod(phase: "Pending", waiting: "ContainerCreating"), Self.node(ready: "False"), unknownFor: .seconds(600))
                == .waiting("the step pod kube-system/kubeskew-step-abcde is Pending, ContainerCreating; node node03 is Ready=False since 2026-12-07T10:00:00Z"))
    }

    /// A kubelet silent long before the step began is not waited for again: the pod's creation and the node's
    /// transition are both the server's times.
    @Test func silenceBeforeThePodWasMadeCounts() {
        #expect(StepPodStart.silence(before: "2026-12-07T10:05:00Z", since: "2026-12-07T10:00:00Z") == .seconds(300))
        #expect(StepPodStart.silence(before: "2026-12-07T10:00:00Z", since: "2026-12-07T10:05:00Z") == .zero)
        #expect(StepPodStart.silence(before: nil, since: "2026-12-07T10:05:00Z") == .zero)
        #expect(StepPodStart.silence(before: "garbage", since: "2026-12-07T10:05:00Z") == .zero)
    }
}
