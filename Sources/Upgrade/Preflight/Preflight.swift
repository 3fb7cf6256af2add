import Foundation
import NodeExec

/// Checks a node before anything changes on it: reachable, privileged commands allowed (`sudo -n`), the package
/// manager the plan assumes, and the kubeadm it runs (`kubeadm version -o short`, also the dashboard's kubeadm column).
public enum Preflight {
    /// What preflight learned, or why the node must not be touched.
    public struct Report: Sendable {
        public let node: String
        public let kubeadmVersion: String?
        public let packageManager: PackageManager?
        public let problems: [String]
        public var passed: Bool { problems.isEmpty }
    }

    public static func check(_ plan: NodePlan, executor: any NodeExecutor) async -> Report {
        var problems: [String] = []
        let target: NodeTarget
        do { target = try plan.nodeTarget() } catch {
            return Report(node: plan.node, kubeadmVersion: nil, packageManager: nil, problems: [error.description])
        }
        var manager: PackageManager?
        do {
            let (result, lines) = try await executor.collect(CommandSpec(["cat", "/etc/os-release"], timeout: .seconds(30)), on: target)
            if result.succeeded {
                manager = PackageManagerGuess.from(osRelease: lines.map(\.text).joined(separator: "\n"))
                if let manager, !compatible(manager, plan.packageManager) {
                    problems.append("\(plan.node): the node uses \(manager.rawValue), the plan assumed \(plan.packageManager.rawValue); pass --package-manager \(manager.rawValue)")
                }
            } else {
                problems.append("\(plan.node): cannot read /etc/os-release (\(result.status))\(result.stderrTail.last.map { ": \($0)" } ?? "")")
                // The node was not reached (ssh's 255, a step pod that never ran, no answer): the other checks would
                // only wait for the same answer again.
                if result.status == .exited(255) || result.status == .timedOut {
                    return Report(node: plan.node, kubeadmVersion: nil, packageManager: nil, problems: problems)
                }
            }
        } catch {
            return Report(node: plan.node, kubeadmVersion: nil, packageManager: nil, problems: [error.description])
        }
        do {
            let result = try await executor.run(CommandSpec(["true"], privileged: true, timeout: .seconds(30)), on: target) { _ in }
            if !result.succeeded { problems.append("\(plan.node): privileged commands fail (\(result.status)): \(result.stderrTail.last ?? "")") }
        } catch {
            problems.append(error.description)
        }
        let kubeadm = await kubeadmVersion(on: target, executor: executor)
        return Report(node: plan.node, kubeadmVersion: kubeadm, packageManager: manager, problems: problems)
    }

    /// The kubeadm the node runs (`kubeadm version -o short`), or nil when it cannot be asked.
    public static func kubeadmVersion(on target: NodeTarget, executor: any NodeExecutor) async -> String? {
        await KubeadmVersionProbe.ask(target, executor: executor).version
    }

    /// yum is dnf on current RHEL; DNF5 spells the exclude option differently, so it must match exactly.
    static func compatible(_ found: PackageManager, _ planned: PackageManager) -> Bool {
        found == planned || Set([found, planned]).isSubset(of: [.dnf, .yum])
    }
}
