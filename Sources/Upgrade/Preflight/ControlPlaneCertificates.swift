import Foundation
import NodeExec

/// Reads `kubeadm certs check-expiration` on control-plane nodes before a cluster run, through the executor.
public enum ControlPlaneCertificates {
    /// What was found on the nodes: what stops the run (per node), and the lines to show.
    public struct Findings: Sendable, Equatable {
        /// A node whose certificates stop the run, and why.
        public struct Blocking: Sendable, Equatable {
            public var node: String
            public var reason: String
            public var line: String { "\(node): \(reason)" }
        }

        public var blocking: [Blocking] = []
        public var warnings: [String] = []
    }

    public static func check(_ plans: [NodePlan], executor: any NodeExecutor, now: Date = Date()) async -> Findings {
        var findings = Findings()
        for plan in plans {
            do {
                let target = try plan.nodeTarget()
                let (result, lines) = try await executor.collect(
                    CommandSpec(["kubeadm", "certs", "check-expiration"], privileged: true, timeout: .seconds(60)), on: target)
                guard result.succeeded else {
                    findings.warnings.append("\(plan.node): kubeadm certs check-expiration failed (\(result.status)): \(lines.last?.text ?? "")")
                    continue
                }
                let report = CertificateExpiry.parse(lines.map(\.text))
                if report.entries.isEmpty {
                    findings.warnings.append("\(plan.node): kubeadm certs check-expiration printed no certificate kubeskew could read")
                }
                if let reason = report.blockingReason(now: now) { findings.blocking.append(.init(node: plan.node, reason: reason)) }
                findings.warnings += report.warnings(on: plan.node, now: now)
            } catch {
                findings.warnings.append("\(plan.node): kubeadm certs check-expiration: \(error)")
            }
        }
        return findings
    }
}
