import Foundation
import NodeExec
import Testing
@testable import Upgrade

/// Issue 11, finding 13: a real `kubeadm upgrade node` (v1.36.2) failed with its cause on one line and kubeadm's
/// stack-trace hint after it; the summary quoted only the hint. The cause is the line that says why.
struct FailureCauseTests {
    @Test func kubeadmsCauseNotItsStackTraceHint() {
        let stderr = [
            "[upgrade] Reading configuration from the cluster...",
            "error execution phase kubelet-config: could not download the kubelet configuration from ConfigMap \"kubelet-config\": configmaps \"kubelet-config\" not found",
            "To see the stack trace of this error execute with --v=5 or higher",
        ]
        #expect(FailureCause.line(in: stderr)
            == "error execution phase kubelet-config: could not download the kubelet configuration from ConfigMap \"kubelet-config\": configmaps \"kubelet-config\" not found")
    }

    @Test func aptsErrorLineOverItsAdvice() {
        let stderr = [
            "E: Unable to locate package kubeadm",
            "N: See apt-secure(8) manpage for repository creation and user configuration details.",
        ]
        #expect(FailureCause.line(in: stderr) == "E: Unable to locate package kubeadm")
    }

    @Test func withoutAnErrorLineTheLastLineThatIsNotAHint() {
        #expect(FailureCause.line(in: ["sudo: a password is required", ""]) == "sudo: a password is required")
        #expect(FailureCause.line(in: ["To see the stack trace of this error execute with --v=5 or higher"]) == nil)
        #expect(FailureCause.line(in: []) == nil)
    }
}

/// The same through the engine: the failed step's message, the one the summary and the failure box quote.
struct FailureCauseEngineTests {
    /// Fails `kubeadm upgrade node` as kubeadm 1.36.2 did on a real API server; everything else succeeds.
    struct KubeadmFails: NodeExecutor {
        let name = "kubeadm-fails"
        func run(_ command: CommandSpec, on node: NodeTarget, onOutput: @escaping OutputHandler) async throws(ExecutorError) -> ExecutionResult {
            guard command.argv == ["kubeadm", "upgrade", "node"] else { return ExecutionResult(status: .exited(0), duration: .zero) }
            return ExecutionResult(status: .exited(1), duration: .zero, stderrTail: [
                "error execution phase kubelet-config: could not download the kubelet configuration from ConfigMap \"kubelet-config\": configmaps \"kubelet-config\" not found",
                "To see the stack trace of this error execute with --v=5 or higher",
            ])
        }
    }

    @Test func theFailedStepQuotesKubeadmsCause() async throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let plan = try ShippedPlans.plan(["node01"])
        let engine = try UpgradeEngine(plan: plan, journal: journal, nodeExecutor: KubeadmFails(), controlPlaneExecutor: KubeadmFails(),
                                       gate: FakeGate(), onEvent: { _ in })
        let state = try await engine.run()
        let failed = try #require(state.nodes[0].steps.first { $0.state == .failed })
        let message = failed.message ?? ""
        #expect(message.contains("configmaps \"kubelet-config\" not found"), "\(message)")
        #expect(!message.contains("To see the stack trace"), "\(message)")
    }
}
