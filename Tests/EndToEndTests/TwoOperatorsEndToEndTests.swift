import Foundation
import Testing
import TestSupport

/// Two operators, one cluster: two real `kubeskew upgrade` processes (two state folders, as two laptops have) against
/// one `kubeskew sim`. The first holds node02 in its drain (a stand-in `kubectl` waits for the test's go-ahead);
/// the second must not touch node02 while the first works on it.
@Suite(.serialized)
struct TwoOperatorsEndToEndTests {
    typealias SlowDrainKubectl = RunLifecycleEndToEndTests.SlowDrainKubectl

    /// Waits until `kubectl get leases -n kube-system` lists a kubeskew lease for `node` (the first run holds the
    /// node); the deadline only stops a hang.
    static func waitForLease(_ sim: SimProcess, node: String, within limit: Duration = .seconds(120)) async -> String? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let r = try? await BinaryRunner.kubectl(["--kubeconfig", sim.kubeconfig.path, "get", "leases", "-n", "kube-system",
                                                        "kubeskew-node-\(node)", "-o", "jsonpath={.spec.holderIdentity}"]),
               r.status == 0, !r.stdout.isEmpty {
                return r.stdout
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    @Test func secondOperatorIsRefusedTheNodeTheFirstIsUpgrading() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        // Each operator has its own kubectl stand-in (its drain waits for a go-ahead) and its own state folder.
        let firstDir = sim.directory.appendingPathComponent("alice")
        let secondDir = sim.directory.appendingPathComponent("bob")
        let firstKubectl = try SlowDrainKubectl(in: firstDir)
        let secondKubectl = try SlowDrainKubectl(in: secondDir)
        func env(_ dir: URL, _ kubectl: SlowDrainKubectl) -> [String: String] {
            ["XDG_STATE_HOME": dir.appendingPathComponent("state").path,
             "PATH": kubectl.directory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
        }
        let first = try BackgroundBinary(["upgrade", "node02", "--yes", "--accept-blockers", "--executor", "simulated",
                                          "--kubeconfig", sim.kubeconfig.path], environment: env(firstDir, firstKubectl))
        defer { first.stop() }
        let firstDrain = try #require(await firstKubectl.waitForPid(), "the first drain did not start: \(first.stdout)\n\(first.stderr)")
        defer { kill(firstDrain, SIGKILL) }
        let firstRun = try #require(RunLifecycleEndToEndTests.runID(first), "\(first.stdout)")

        // The second operator asks for node02 while the first drains it. It is let through its own drain at once
        // (go), so on a kubeskew without the lease it drains node02 a second time and the test sees it.
        secondKubectl.go()
        let second = try BackgroundBinary(["upgrade", "node02", "--yes", "--accept-blockers", "--executor", "simulated",
                                           "--kubeconfig", sim.kubeconfig.path], environment: env(secondDir, secondKubectl))
        defer { second.stop() }
        let secondStatus = await second.waitForExit(within: .seconds(300))
        #expect(secondStatus == 1, "\(second.stdout)\n\(second.stderr)")
        #expect(!FileManager.default.fileExists(atPath: secondKubectl.pidFile.path),
                "the second kubeskew drained node02 while the first was upgrading it:\n\(second.stdout)")
        let said = second.stdout + second.stderr
        // "node02  ✗ being upgraded by <user>@<host> run <first run> since 16:02 UTC; wait for it or ask them"
        #expect(said.contains("being upgraded by "), "\(said)")
        #expect(said.contains(" run \(firstRun) since "), "the refusal names the holder: \(said)")
        #expect(said.contains("node02: refused, 0/"), "the summary says node02 was refused: \(said)")
        #expect(!said.contains("▶ 1/"), "the second started a step on node02: \(said)")

        // The first goes on, finishes, and lets the node go: its lease is gone, and the second may proceed.
        firstKubectl.go()
        #expect(await first.waitForExit(within: .seconds(300)) == 0, "\(first.stdout)\n\(first.stderr)")
        let leases = try await BinaryRunner.kubectl(["--kubeconfig", sim.kubeconfig.path, "get", "leases", "-n", "kube-system",
                                                     "-l", "app.kubernetes.io/managed-by=kubeskew", "-o", "name"])
        #expect(leases.status == 0 && leases.stdout.isEmpty, "the finished run left its lease: \(leases.stdout)\(leases.stderr)")
        let again = try await BinaryRunner.run(["upgrade", "node02", "--yes", "--accept-blockers", "--executor", "simulated",
                                                "--kubeconfig", sim.kubeconfig.path], environment: env(secondDir, secondKubectl), timeout: 300)
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
        #expect(!(again.stdout + again.stderr).contains("being upgraded by"), "\(again.stdout)")
    }
}
