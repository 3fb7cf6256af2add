import Foundation
import Testing
import TestSupport

/// The upgrade as an operator runs it: the real binary against `kubeskew sim`, over a real sshd, killed and resumed.
@Suite(.serialized)
struct UpgradeEndToEndTests {
    /// The tools the upgrade runs on a node; behind the test sshd each one forwards to the simulated node's shell.
    static let nodeTools = ["apt-get", "apt-mark", "dpkg-query", "yum", "dnf", "rpm", "kubeadm", "kubelet", "systemctl", "sed", "grep", "cat", "true"]

    func nodeVersion(_ kubeconfig: URL, _ node: String) async throws -> String {
        let r = try await BinaryRunner.run(["check", "--kubeconfig", kubeconfig.path, "-o", "json"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let nodes = try #require(doc["nodes"] as? [[String: Any]])
        let entry = try #require(nodes.first { $0["name"] as? String == node })
        return try #require((entry["kubelet"] as? [String: Any])?["version"] as? String)
    }

    // Issue 5, done means: `kubeskew upgrade node01 --yes` takes node01 from v1.33.2 to v1.33.3 through every step
    // over real SSH.
    @Test func upgradeOverRealSSH() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        #expect(try await nodeVersion(sim.kubeconfig, "node01") == "v1.33.2")
        try await withSSHD { sshd in
            for tool in Self.nodeTools {
                try sshd.addShim(tool, """
                    #!/bin/sh
                    exec '\(BinaryRunner.binary.path)' sim-exec --kubeconfig '\(sim.kubeconfig.path)' --node node01 -- \(tool) "$@"
                    """)
            }
            let state = sshd.directory.appendingPathComponent("state")
            let r = try await BinaryRunner.run([
                "upgrade", "node01", "--yes", "--accept-blockers", "--executor", "ssh", "--kubeconfig", sim.kubeconfig.path,
                "--ssh-user", "root", "--ssh-port", String(sshd.port), "--ssh-identity", sshd.userKey, "--ssh-host", "127.0.0.1",
                "--ssh-config", sshd.emptyConfig, "--ssh-option", "UserKnownHostsFile=\(sshd.knownHosts)",
                "--ssh-option", "StrictHostKeyChecking=yes",
            ], environment: ["XDG_STATE_HOME": state.path], timeout: 120)
            #expect(r.status == 0, "stdout:\n\(r.stdout)\nstderr:\n\(r.stderr)")
            for step in ["install kubeadm 1.33.3", "kubeadm upgrade node", "drain", "install kubelet and kubectl 1.33.3",
                         "restart kubelet", "wait until Ready with kubelet v1.33.3", "uncordon"] {
                #expect(r.stdout.contains("✓ \(step)"), "step \(step) done")
            }
            #expect(r.stdout.contains("[upgrade] The configuration for this node was successfully updated!"))
            #expect(r.stdout.contains("node/node01 drained"))
            #expect(r.stdout.contains("node01: done, 7/7 steps, now v1.33.3"))
        }
        #expect(try await nodeVersion(sim.kubeconfig, "node01") == "v1.33.3")
    }

    // Issue 5, done means: a run killed halfway resumes to the end.
    @Test func killedRunResumesToTheEnd() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "1"])
        defer { sim.stop() }
        let state = sim.directory.appendingPathComponent("state")
        let env = ["XDG_STATE_HOME": state.path]
        let run = try BinaryProcess(["upgrade", "node01", "--yes", "--accept-blockers", "--executor", "simulated",
                                     "--kubeconfig", sim.kubeconfig.path], environment: env)
        defer { run.kill() }
        // Kill it (SIGKILL: no chance to clean up) in the middle of the kubelet install.
        #expect(await run.waitForOutput(containing: "▶ 4/7", within: .seconds(60)))
        run.kill()
        let history = try await BinaryRunner.run(["history"], environment: env)
        let line = try #require(history.stdout.split(separator: "\n").first { $0.contains("INTERRUPTED") }, "\(history.stdout)")
        let runID = String(line.split(separator: " ")[0])
        let shown = try await BinaryRunner.run(["history", runID], environment: env)
        #expect(shown.stdout.contains("✓ h1-drain"))
        #expect(shown.stdout.contains("⟳ h1-install-kubelet"), "\(shown.stdout)")

        let resumed = try await BinaryRunner.run(["upgrade", "--resume", runID, "--executor", "simulated", "--kubeconfig", sim.kubeconfig.path],
                                           environment: env, timeout: 120)
        #expect(resumed.status == 0, "\(resumed.stdout)\n\(resumed.stderr)")
        #expect(!resumed.stdout.contains("▶ 1/7"), "finished steps are not run again")
        #expect(resumed.stdout.contains("node01: done, 7/7 steps, now v1.33.3"))
        #expect(try await nodeVersion(sim.kubeconfig, "node01") == "v1.33.3")
        let after = try await BinaryRunner.run(["history"], environment: env)
        #expect(!after.stdout.contains("INTERRUPTED"))
    }

    @Test func refusesManagedAndUnknownNodesAndTouchesNothing() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let r = try await BinaryRunner.run(["upgrade", "ip-10-0-12-34.eu-west-1.compute.internal", "nope", "--yes", "--executor", "simulated",
                                      "--kubeconfig", sim.kubeconfig.path], environment: ["XDG_STATE_HOME": sim.directory.appendingPathComponent("s").path])
        #expect(r.status == 2)
        #expect(r.stdout.contains("upgrade through Amazon EKS"))
        #expect(r.stdout.contains("no node named \"nope\""))
        #expect(!r.stdout.contains("▶"), "nothing ran")
    }
}

/// A long-running `kubeskew` child whose output is watched while it runs.
final class BinaryProcess: @unchecked Sendable {
    let process = Process()
    private let output = LockedData()

    init(_ args: [String], environment: [String: String]) throws {
        process.executableURL = BinaryRunner.binary
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        let (environment, removed) = BinaryRunner.isolatingConfig(environment)
        for k in removed { env[k] = nil }
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let reader = pipe.fileHandleForReading
        let sink = output
        DispatchQueue.global().async {
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                sink.set(sink.get() + chunk)
            }
        }
    }

    var text: String { String(decoding: output.get(), as: UTF8.self) }

    func waitForOutput(containing needle: String, within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if text.contains(needle) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return text.contains(needle)
    }

    func kill() {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// Failures leave the node cordoned, say why, and the journal says the same.
@Suite(.serialized)
struct UpgradeFailureEndToEndTests {
    @Test func drainBlockedByPodDisruptionBudgetFailsAtItsTimeoutAndLeavesTheNodeCordoned() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let env = ["XDG_STATE_HOME": sim.directory.appendingPathComponent("state").path]
        let r = try await BinaryRunner.run(["upgrade", "node08", "--yes", "--accept-blockers", "--executor", "simulated", "--drain-timeout", "3",
                                      "--kubeconfig", sim.kubeconfig.path], environment: env, timeout: 120)
        #expect(r.status == 1)
        #expect(r.stdout.contains("pdb-allows-no-disruption shop/postgres-pdb"), "the blocker was shown before the run")
        #expect(r.stdout.contains("disruption budget"), "kubectl's own reason streamed: \(r.stdout)")
        #expect(r.stdout.contains("✗ drain"))
        #expect(r.stdout.contains("LEFT CORDONED"))
        let node = try await BinaryRunner.run(["check", "--kubeconfig", sim.kubeconfig.path, "-o", "json"])
        #expect(node.stdout.contains("node08"))
        let unschedulable = try await BinaryRunner.kubectl(["--kubeconfig", sim.kubeconfig.path, "get", "node", "node08",
                                                             "-o", "jsonpath={.spec.unschedulable}"]).stdout
        #expect(unschedulable == "true", "node08 stays cordoned")
        let history = try await BinaryRunner.run(["history"], environment: env)
        let runID = try #require(history.stdout.split(separator: " ").first.map(String.init))
        let shown = try await BinaryRunner.run(["history", runID], environment: env)
        #expect(shown.stdout.contains("✗ h1-drain"))
        #expect(shown.stdout.contains("(left cordoned)"))
        #expect(shown.stdout.contains("· h1-install-kubelet"))
    }
}

/// The pod executor: no SSH, each step runs in a privileged pod pinned to the node, through the API.
@Suite(.serialized)
struct PodExecutorEndToEndTests {
    @Test func minorUpgradeThroughStepPods() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let env = ["XDG_STATE_HOME": sim.directory.appendingPathComponent("state").path]
        let r = try await BinaryRunner.run(["upgrade", "node02", "--yes", "--accept-blockers", "--executor", "pod",
                                            "--kubeconfig", sim.kubeconfig.path], environment: env, timeout: 120)
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("✓ point the package repository at v1.33"))
        #expect(r.stdout.contains("Running timer as unit: kubeskew-restart-kubelet.timer"), "the kubelet restart is detached")
        #expect(r.stdout.contains("node02: done, 8/8 steps, now v1.33.3"))
        let pods = try await BinaryRunner.kubectl(["--kubeconfig", sim.kubeconfig.path, "get", "pods", "-n", "kube-system", "-o", "name"])
        #expect(!pods.stdout.contains("kubeskew-step-"), "every step pod is removed after its step")
    }

    @Test func podSecurityRefusalSaysWhichPolicyAndWhatToDo() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let kc = ["--kubeconfig", sim.kubeconfig.path]
        // A namespace whose Pod Security level refuses privileged pods (created from a manifest: the simulator speaks
        // JSON, not the protobuf `kubectl create namespace` sends).
        let manifest = sim.directory.appendingPathComponent("ns.yaml")
        try "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: locked\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n"
            .write(to: manifest, atomically: true, encoding: .utf8)
        let created = try await BinaryRunner.kubectl(kc + ["create", "-f", manifest.path, "--validate=false"])
        #expect(created.status == 0, "\(created.stderr)")
        let r = try await BinaryRunner.run(["upgrade", "node01", "--yes", "--accept-blockers", "--executor", "pod", "--pod-namespace", "locked"] + kc,
                                           environment: ["XDG_STATE_HOME": sim.directory.appendingPathComponent("state").path], timeout: 120)
        #expect(r.status == 1)
        #expect(r.stderr.contains("namespace locked refuses privileged pods"), "\(r.stderr)")
        #expect(r.stderr.contains("violates PodSecurity \"baseline:latest\""))
        #expect(r.stderr.contains("--executor ssh"))
    }
}

/// Several nodes, and a node four minors behind, against the simulator's node shells.
@Suite(.serialized)
struct UpgradePassesEndToEndTests {
    // "kubeadm moves one minor at a time, so 1.30 → 1.33 is three passes" (DESIGN.md §1): node04 at 1.29 takes four,
    // and each pass must switch the node's repository first (the simulated apt refuses a version of another minor).
    @Test func fourMinorsBehindTakesFourPassesWithRepositorySwitches() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let r = try await BinaryRunner.run(["upgrade", "node04", "--yes", "--accept-blockers", "--executor", "simulated",
                                            "--kubeconfig", sim.kubeconfig.path],
                                           environment: ["XDG_STATE_HOME": sim.directory.appendingPathComponent("state").path], timeout: 180)
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        for minor in ["1.30", "1.31", "1.32", "1.33"] {
            #expect(r.stdout.contains("✓ point the package repository at v\(minor)"))
        }
        for version in ["v1.30.14", "v1.31.14", "v1.32.13", "v1.33.3"] {
            #expect(r.stdout.contains("✓ wait until Ready with kubelet \(version)"))
        }
        #expect(r.stdout.contains("node04: done, 32/32 steps, now v1.33.3"))
    }

    @Test func twoNodesAtOnce() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "2"])
        defer { sim.stop() }
        let r = try await BinaryRunner.run(["upgrade", "node01", "node07", "--concurrency", "2", "--yes", "--accept-blockers",
                                            "--executor", "simulated", "--kubeconfig", sim.kubeconfig.path],
                                           environment: ["XDG_STATE_HOME": sim.directory.appendingPathComponent("state").path], timeout: 180)
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        // Both nodes were in flight together: node07 started before node01 finished.
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let node07Start = try #require(lines.firstIndex { $0.hasPrefix("node07") && $0.contains("▶ 1/") })
        let node01Done = try #require(lines.firstIndex { $0.hasPrefix("node01") && $0.hasSuffix(" done") })
        #expect(node07Start < node01Done)
        // node07's kubeadm was already at the target (a half-finished upgrade): that step is skipped and says so.
        #expect(r.stdout.contains("node07  ↷ install kubeadm 1.33.3: already done"))
        #expect(r.stdout.contains("node01: done"))
        #expect(r.stdout.contains("node07: done"))
    }
}
