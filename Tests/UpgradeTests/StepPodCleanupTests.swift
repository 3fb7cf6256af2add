import Foundation
import KubeClient
import NodeExec
import Simulator
import Synchronization
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

    /// Issue 16: on a node whose kubelet is gone the step pod never starts. The step said only "timed out" after 90 s
    /// (preflight's `cat /etc/os-release`); it must name the pod and why it did not run, and stop waiting once
    /// nothing can change.
    @Test func aStepOnANodeWhoseKubeletIsGoneNamesThePodAndTheNodeAndStopsWaiting() async throws {
        try await StepPodSimulator.with(shellSpeed: 1) { sim, client in
            try await sim.cluster.setReady("node02", false)
            let executor = PodExecutor(client: client)
            let lines = LineBox()
            let result = try await executor.run(CommandSpec(["cat", "/etc/os-release"], timeout: .seconds(600)),
                                                on: try NodeTarget(name: "node02")) { lines.add($0.content.text) }
            let text = lines.all.joined(separator: "\n")
            #expect(result.status == .exited(255), "it ends as soon as the node shows nothing will run it, not at its timeout: \(text)")
            #expect(text.contains(/the step pod kube-system\/kubeskew-step-[a-z0-9]+ was not started: node node02 is Ready=Unknown/), "\(text)")
            #expect(text.contains("Kubelet stopped posting node status."), "\(text)")
            #expect(text.contains("check the kubelet there"), "\(text)")
            let left = try await StepPodSimulator.stepPods(client).map(\.name)
            #expect(left.isEmpty, "step pod(s) \(left) left behind")
        }
    }

    /// A kubelet that comes back within the grace (its own restart) runs the step: no give-up on a blip.
    @Test func aKubeletBackWithinTheGraceRunsTheStep() async throws {
        try await StepPodSimulator.with(shellSpeed: 1) { sim, client in
            try await sim.cluster.setReady("node02", false)
            let executor = PodExecutor(client: client)
            let lines = LineBox()
            let step = Task {
                try await executor.run(CommandSpec(["cat", "/etc/os-release"], timeout: .seconds(600)),
                                       on: try NodeTarget(name: "node02")) { lines.add($0.content.text) }
            }
            let pending = try await StepPodSimulator.waitFor("the step pod pending") {
                try await StepPodSimulator.stepPods(client).first { $0.status?.phase ?? "Pending" == "Pending" }
            }
            try await sim.cluster.setReady("node02", true)
            let result = try await step.value
            #expect(result.status == .exited(0), "\(pending.name): \(lines.all)")
            #expect(lines.all.contains { $0.hasPrefix("NAME=") }, "\(lines.all)")
        }
    }
}

/// Output lines collected from a step, across the executor's tasks.
final class LineBox: Sendable {
    private let lines = Mutex<[String]>([])
    func add(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
