import Foundation
import Testing
import TestSupport

/// Issue 11, finding 14: with `--ssh-user root` the plan, the panes and the journal showed `sudo …` for every node
/// command while the executor rightly drops sudo for root: the record must be what runs.
@Suite(.serialized)
struct RootRunsWithoutSudoTests {
    @Test func theNodeCommandsOfARootLoginAreShownWithoutSudo() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let asRoot = try await BinaryRunner.run(["plan", "node01", "--ssh-user", "root", "--kubeconfig", sim.kubeconfig.path])
        #expect(asRoot.stdout.contains("root@"), "\(asRoot.stdout)\n\(asRoot.stderr)")
        let nodeLines = asRoot.stdout.split(separator: "\n").filter { $0.contains("[node]") }
        #expect(!nodeLines.isEmpty, "\(asRoot.stdout)")
        #expect(nodeLines.allSatisfy { !$0.contains("sudo") }, "\(nodeLines.joined(separator: "\n"))")
        #expect(nodeLines.contains { $0.contains("apt-mark unhold kubeadm && apt-get update") }, "\(nodeLines.joined(separator: "\n"))")

        let asOps = try await BinaryRunner.run(["plan", "node01", "--ssh-user", "ops", "--kubeconfig", sim.kubeconfig.path])
        let opsLines = asOps.stdout.split(separator: "\n").filter { $0.contains("[node]") }
        #expect(!opsLines.isEmpty && opsLines.allSatisfy { $0.contains("sudo ") }, "\(asOps.stdout)\n\(asOps.stderr)")
    }
}
