import Foundation
import KubeClient
import NodeExec
import Simulator
import Testing
@testable import Upgrade

/// Step pods are privileged and hostPID: none may outlive its step, whatever ended the step.
@Suite(.serialized)
struct StepPodCleanupTests {
    /// An abort cancels the step's task: the pod must still be deleted, and the step waits for it.
    @Test func abortedStepLeavesNoPodBehind() async throws {
        try await StepPodSimulator.with(shellSpeed: 0.01) { _, client in
            let executor = PodExecutor(client: client)
            let node = try NodeTarget(name: "node02")
            // `systemctl daemon-reload` lasts 20 s at this shell speed: the step is in flight when it is aborted.
            let step = Task {
                try await executor.run(CommandSpec(["systemctl", "daemon-reload"], privileged: true, timeout: .seconds(300)), on: node) { _ in }
            }
            let running = try await StepPodSimulator.waitFor("the step pod running") {
                try await StepPodSimulator.stepPods(client).first { $0.status?.phase == "Running" }
            }
            step.cancel()
            let result = try await step.value
            #expect(result.status == .cancelled)
            let left = try await StepPodSimulator.stepPods(client).map(\.name)
            #expect(left.isEmpty, "after the abort, step pod(s) \(left) are still in kube-system (the step ran \(running.name))")
        }
    }

    /// A step that times out removes its pod too.
    @Test func timedOutStepLeavesNoPodBehind() async throws {
        try await StepPodSimulator.with(shellSpeed: 0.01) { _, client in
            let executor = PodExecutor(client: client)
            let result = try await executor.run(CommandSpec(["systemctl", "daemon-reload"], privileged: true, timeout: .seconds(2)),
                                                on: try NodeTarget(name: "node02")) { _ in }
            #expect(result.status == .timedOut)
            let left = try await StepPodSimulator.stepPods(client).map(\.name)
            #expect(left.isEmpty, "after the timeout, step pod(s) \(left) are still in kube-system")
        }
    }
}

