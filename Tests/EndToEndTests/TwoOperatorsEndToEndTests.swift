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

    /// The second operator's dashboard (tmux) while the first's headless run drains node02: the row says who is
    /// upgrading it, and `r` (drain) on it is refused with the holder; once the first is done, the row is clear.
    @Test func secondDashboardShowsWhoIsUpgradingTheNodeAndRefusesToDrainIt() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let firstDir = sim.directory.appendingPathComponent("alice")
        let firstKubectl = try SlowDrainKubectl(in: firstDir)
        let first = try BackgroundBinary(["upgrade", "node02", "--yes", "--accept-blockers", "--executor", "simulated",
                                          "--kubeconfig", sim.kubeconfig.path],
                                         environment: ["XDG_STATE_HOME": firstDir.appendingPathComponent("state").path,
                                                       "PATH": firstKubectl.directory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")])
        defer { first.stop() }
        let drain = try #require(await firstKubectl.waitForPid(), "the first drain did not start: \(first.stdout)\n\(first.stderr)")
        defer { kill(drain, SIGKILL) }
        let firstRun = try #require(RunLifecycleEndToEndTests.runID(first), "\(first.stdout)")

        let state = sim.directory.appendingPathComponent("bob-state")
        let tmux = try await TmuxSession(["--kubeconfig", sim.kubeconfig.path, "--executor", "simulated"],
                                         environment: ["XDG_STATE_HOME": state.path])
        defer { tmux.stop() }
        func row(_ screen: String, _ node: String) -> String {
            screen.split(separator: "\n").map(String.init).first { $0.contains(" \(node) ") } ?? ""
        }
        _ = try await tmux.waitFor(text: "◉ live")
        _ = try await tmux.waitFor("node02's row says who upgrades it") { row($0, "node02").contains("being upgraded by") }
        try await tmux.send("/")
        try await tmux.send("-l", "node02")
        try await tmux.send("Enter")
        try await tmux.waitFor("cursor on node02") { row($0, "node02").contains("▸") }
        try await tmux.send("r")
        let refused = try await tmux.waitFor("the drain refused with the holder") { $0.contains("node02: being upgraded by ") }
        #expect(!refused.contains("drain nodes"), "a drain dialog opened: \(refused)")
        try await tmux.send("Enter")
        let details = try await tmux.waitFor("details name the run") { $0.contains("run \(firstRun) since ") }
        #expect(details.contains("being upgraded by "), "\(details)")
        try await tmux.send("Escape")

        firstKubectl.go()
        #expect(await first.waitForExit(within: .seconds(300)) == 0, "\(first.stdout)\n\(first.stderr)")
        let clear = try await tmux.waitFor("node02's row is clear once the first is done") { screen in
            !row(screen, "node02").isEmpty && !row(screen, "node02").contains("being upgraded by")
        }
        #expect(!clear.contains("being upgraded by"), "\(clear)")
        try await tmux.send("q")
    }
}
