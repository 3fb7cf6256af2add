import Foundation
import KubeClient
import KubeModel
import NodeExec

/// What the search for step pods left by a killed run found: pods removed, pods that may belong to a run still
/// going elsewhere (reported, not touched), and pods that could not be removed or searched for (reported).
public struct StepPodSweep: Sendable, Equatable {
    /// `namespace/name` of each removed pod, with the run and node that left it.
    public var removed: [String] = []
    /// One line per pod left alone or not removable, naming it and the command that removes it.
    public var problems: [String] = []

    public init() {}

    /// Lines for the operator: each removal and each problem.
    public var lines: [String] {
        removed.map { "removed step pod \($0), left by a kubeskew that is gone" } + problems
    }
}

extension PodExecutor {
    /// Finds the step pods (by label) whose kubeskew process is gone — a killed run, a lost terminal, a reboot —
    /// and deletes them; pods of a process that still runs on this machine are left to it, and pods made
    /// elsewhere (or by a kubeskew that did not record itself) are reported, never removed silently or blindly.
    public func removeLeftoverStepPods(driver here: StepPodDriver = .current) async -> StepPodSweep {
        var sweep = StepPodSweep()
        let pods: [Pod]
        do {
            pods = try await client.listPods(namespace: namespace, labelSelector: "app.kubernetes.io/managed-by=kubeskew")
        } catch {
            sweep.problems.append("cannot look for step pods left by an earlier run in \(namespace) (\(error)); check with "
                                  + "`" + ShellQuoting.displayLine(KubectlCommand.argv(for: client.config)
                                      + ["get", "pods", "-n", namespace, "-l", "app.kubernetes.io/managed-by=kubeskew"]) + "`")
            return sweep
        }
        for pod in pods where pod.name.hasPrefix(Self.namePrefix) {
            let origin = Self.origin(of: pod)
            let command = deleteCommand(pod.name)
            guard let driver = StepPodDriver(annotations: pod.metadata.annotations) else {
                sweep.problems.append("step pod \(namespace)/\(pod.name)\(origin) does not say which kubeskew made it; "
                                      + "if no other kubeskew is running a step on that node, remove it with \(command)")
                continue
            }
            switch driver.liveness(seenFrom: here) {
            case .thisProcess, .alive:
                continue
            case .elsewhere:
                sweep.problems.append("step pod \(namespace)/\(pod.name)\(origin) was made by kubeskew pid \(driver.pid) on host \(driver.host); "
                                      + "once that run is over there, remove it with \(command)")
            case .gone:
                if let problem = await Self.remove(client, namespace, pod.name, within: cleanupDeadline) {
                    sweep.problems.append(leftBehind(pod.name, node: pod.labels["kubeskew.io/node"] ?? "its node", problem: problem))
                } else {
                    sweep.removed.append("\(namespace)/\(pod.name)\(origin)")
                }
            }
        }
        return sweep
    }

    private static func origin(of pod: Pod) -> String {
        let run = pod.labels["kubeskew.io/run"].map { "run \($0)" }
        let node = pod.labels["kubeskew.io/node"].map { "node \($0)" }
        let parts = [run, node].compactMap { $0 }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
    }
}
