import Foundation
import Testing
import TestSupport

/// Issue 11, finding 12: for automation, "nothing to do" is success. Reproduced on the demo cluster: `upgrade node05
/// --yes` (node05 already at the target) exited 2, and `upgrade node07 node05` refused node07 too.
@Suite(.serialized)
struct NothingToDoCommandTests {
    @Test func nodesAlreadyAtTheTargetAreSuccessAndTheRestIsUpgraded() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let env = ["XDG_STATE_HOME": sim.directory.appendingPathComponent("state").path]

        let current = try await BinaryRunner.run(["upgrade", "node05", "--yes", "--executor", "simulated",
                                                  "--kubeconfig", sim.kubeconfig.path], environment: env, timeout: 120)
        #expect(current.status == 0, "stdout:\n\(current.stdout)\nstderr:\n\(current.stderr)")
        #expect(current.stdout.contains("node05  nothing to do: already at the target v1.33.3"), "\(current.stdout)")
        #expect(current.stdout.contains("nothing to do: every named node is already at the target"), "\(current.stdout)")

        let plan = try await BinaryRunner.run(["plan", "node05", "--kubeconfig", sim.kubeconfig.path], environment: env)
        #expect(plan.status == 0, "stdout:\n\(plan.stdout)\nstderr:\n\(plan.stderr)")

        let mixed = try await BinaryRunner.run(["upgrade", "node07", "node05", "--yes", "--executor", "simulated",
                                                "--kubeconfig", sim.kubeconfig.path], environment: env, timeout: 120)
        #expect(mixed.status == 0, "stdout:\n\(mixed.stdout)\nstderr:\n\(mixed.stderr)")
        #expect(mixed.stdout.contains("node05  nothing to do: already at the target v1.33.3"), "\(mixed.stdout)")
        #expect(mixed.stdout.contains("node07: done"), "\(mixed.stdout)")
        let version = try await BinaryRunner.kubectl(["--kubeconfig", sim.kubeconfig.path, "get", "node", "node07",
                                                      "-o", "jsonpath={.status.nodeInfo.kubeletVersion}"])
        #expect(version.stdout == "v1.33.3", "node07 was upgraded")

        // A node that cannot be upgraded still fails the command: nothing to do is not a refusal.
        let refused = try await BinaryRunner.run(["upgrade", "no-such-node", "node05", "--yes", "--executor", "simulated",
                                                  "--kubeconfig", sim.kubeconfig.path], environment: env, timeout: 120)
        #expect(refused.status == 2, "\(refused.stdout)\n\(refused.stderr)")
    }
}
