import Foundation
import Testing
import TestSupport

/// Issue 12, headless against the simulator: "`kubeskew upgrade --cluster --target v1.35.9 --executor simulated --yes`
/// on an HA scenario ends with every control-plane instance, kubelet and kube-proxy at v1.35.9, no node cordoned".
/// The ha scenario's control plane is caught mid-upgrade (kubeadm-config v1.33.3, cp-1 there, cp-2 and cp-3 not).
@Suite(.serialized, .timeLimit(.minutes(5))) struct ClusterUpgradeEndToEndTests {
    /// Every node's kubelet and every static control-plane pod's image, read with the real kubectl.
    static func versions(_ kubeconfig: URL) async throws -> (kubelets: [String: String], cordoned: [String], staticPods: [String: String]) {
        let nodes = try await BinaryRunner.kubectl(["--kubeconfig", kubeconfig.path, "get", "nodes", "-o", "json"])
        let nodeDoc = try #require(try JSONSerialization.jsonObject(with: Data(nodes.stdout.utf8)) as? [String: Any])
        var kubelets: [String: String] = [:]
        var cordoned: [String] = []
        for item in nodeDoc["items"] as? [[String: Any]] ?? [] {
            let name = (item["metadata"] as? [String: Any])?["name"] as? String ?? "?"
            kubelets[name] = ((item["status"] as? [String: Any])?["nodeInfo"] as? [String: Any])?["kubeletVersion"] as? String
            if (item["spec"] as? [String: Any])?["unschedulable"] as? Bool == true { cordoned.append(name) }
        }
        let pods = try await BinaryRunner.kubectl(["--kubeconfig", kubeconfig.path, "get", "pods", "-n", "kube-system", "-l", "tier=control-plane", "-o", "json"])
        let podDoc = try #require(try JSONSerialization.jsonObject(with: Data(pods.stdout.utf8)) as? [String: Any])
        var staticPods: [String: String] = [:]
        for item in podDoc["items"] as? [[String: Any]] ?? [] {
            let name = (item["metadata"] as? [String: Any])?["name"] as? String ?? "?"
            let containers = (item["spec"] as? [String: Any])?["containers"] as? [[String: Any]] ?? []
            staticPods[name] = (containers.first?["image"] as? String).flatMap { $0.split(separator: ":").last.map(String.init) }
        }
        return (kubelets, cordoned, staticPods)
    }

    @Test func theHAClusterMidUpgradeGoesToTwoMinorsLaterControlPlaneFirst() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "ha", "--speed", "0"])
        defer { sim.stop() }
        let environment = ["XDG_STATE_HOME": sim.directory.appendingPathComponent("state").path]
        let before = try await Self.versions(sim.kubeconfig)
        #expect(Set(before.staticPods.values).count > 1, "the ha scenario is mid-upgrade: \(before.staticPods)")

        let plan = try await BinaryRunner.run(["plan", "--cluster", "--target", "v1.35.9", "--kubeconfig", sim.kubeconfig.path,
                                               "--executor", "simulated"], environment: environment)
        #expect(plan.status == 0, "\(plan.stderr)")
        // The control plane caught mid-upgrade is finished first, before any worker and before the next apply.
        let finish = try #require(plan.stdout.range(of: "finish the control plane's upgrade to v1.33.3"), "\(plan.stdout)")
        let firstApply = try #require(plan.stdout.range(of: "kubeadm upgrade apply v1.34.9 --yes"))
        let firstWorkers = try #require(plan.stdout.range(of: "workers → v1.34.9"))
        #expect(finish.lowerBound < firstApply.lowerBound && firstApply.lowerBound < firstWorkers.lowerBound)
        #expect(plan.stdout.contains("kubeadm upgrade apply v1.35.9 --yes"))

        let run = try await BinaryRunner.run(["upgrade", "--cluster", "--target", "v1.35.9", "--yes", "--accept-blockers",
                                              "--drain-timeout", "30", "--executor", "simulated", "--kubeconfig", sim.kubeconfig.path],
                                             environment: environment, timeout: 240)
        #expect(run.status == 0, "stdout:\n\(run.stdout.suffix(4000))\nstderr:\n\(run.stderr)")
        #expect(run.stdout.contains("control plane at v1.35.9"))
        // cp-3's certificates expire in 12 days: said before anything runs (kubeadm upgrade renews them).
        let certificates = try #require(run.stdout.range(of: "certificates: cp-3: certificates expire in "), "\(run.stdout.prefix(3000))")
        #expect(certificates.lowerBound < (run.stdout.range(of: "phase: ")?.lowerBound ?? run.stdout.endIndex))
        let after = try await Self.versions(sim.kubeconfig)
        #expect(after.staticPods.values.allSatisfy { $0 == "v1.35.9" || !$0.hasPrefix("v1.") }, "\(after.staticPods)")
        for (node, kubelet) in after.kubelets where !node.hasPrefix("ip-") {
            #expect(kubelet == "v1.35.9", "\(node) runs \(kubelet)")
        }
        #expect(after.cordoned.isEmpty, "cordoned after the run: \(after.cordoned)")

        // Run again: nothing left to do.
        let again = try await BinaryRunner.run(["upgrade", "--cluster", "--target", "v1.35.9", "--yes", "--executor", "simulated",
                                                "--kubeconfig", sim.kubeconfig.path], environment: environment)
        #expect(again.status == 0 && again.stdout.contains("nothing to do"), "\(again.stdout.suffix(2000))")
    }

    /// Issue 12: "kill -9 during the second control-plane node, then `--resume`, ends the same". The run of the phase
    /// in flight is resumed from its journal; `upgrade --cluster` refuses to plan around it until then, and goes on
    /// from where the cluster is after.
    @Test func killedDuringTheSecondControlPlaneNodeResumesAndEndsTheSame() async throws {
        // Speed 4: steps take real (short) time, so the kill lands while cp-2 works.
        let sim = try await SimProcess.start(arguments: ["--scenario", "ha", "--speed", "4"])
        defer { sim.stop() }
        let environment = ["XDG_STATE_HOME": sim.directory.appendingPathComponent("state").path]
        let arguments = ["upgrade", "--cluster", "--target", "v1.34.9", "--yes", "--accept-blockers", "--drain-timeout", "60",
                         "--executor", "simulated", "--kubeconfig", sim.kubeconfig.path]
        let first = try BackgroundBinary(arguments, environment: environment)
        defer { first.stop() }
        // The control-plane hop's phase: cp-1 applies, then cp-2 runs kubeadm upgrade node.
        let phaseLine = "phase: control-plane → v1.34.9: cp-1, cp-2, cp-3"
        #expect(await first.waitForOutput(phaseLine, within: .seconds(240)), "\(first.stdout.suffix(3000))\n\(first.stderr)")
        let started = await waitFor(first, within: .seconds(240)) { out in
            guard let phase = out.range(of: phaseLine) else { return false }
            return out[phase.upperBound...].contains("cp-2  ▶ ")
        }
        #expect(started, "\(first.stdout.suffix(3000))")
        first.signal(SIGKILL)
        _ = await first.waitForExit()
        let phaseOutput = String(first.stdout[first.stdout.range(of: phaseLine)!.upperBound...])
        let runID = try #require(phaseOutput.split(separator: "\n").first { $0.hasPrefix("run ") }
            .flatMap { $0.split(separator: " ").dropFirst().first.map(String.init) }, "\(phaseOutput)")

        // The unfinished run is not planned around: the same command says to resume it.
        let refused = try await BinaryRunner.run(arguments, environment: environment)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("run \(runID) on this cluster did not finish") && refused.stderr.contains("kubeskew upgrade --resume \(runID)"),
                "\(refused.stderr)")

        let resumed = try await BinaryRunner.run(["upgrade", "--resume", runID, "--yes", "--kubeconfig", sim.kubeconfig.path],
                                                 environment: environment, timeout: 240)
        #expect(resumed.status == 0, "\(resumed.stdout.suffix(3000))\n\(resumed.stderr)")
        #expect(resumed.stdout.contains("cp-2: done") && resumed.stdout.contains("cp-3: done"), "\(resumed.stdout.suffix(2000))")

        let rest = try await BinaryRunner.run(arguments, environment: environment, timeout: 240)
        #expect(rest.status == 0, "\(rest.stdout.suffix(3000))\n\(rest.stderr)")
        #expect(rest.stdout.contains("the cluster is at v1.34.9"), "\(rest.stdout.suffix(2000))")
        let after = try await Self.versions(sim.kubeconfig)
        #expect(after.staticPods.values.allSatisfy { $0 == "v1.34.9" || !$0.hasPrefix("v1.") }, "\(after.staticPods)")
        for (node, kubelet) in after.kubelets { #expect(kubelet == "v1.34.9", "\(node) runs \(kubelet)") }
        #expect(after.cordoned.isEmpty, "cordoned after the run: \(after.cordoned)")
        // Every run of the journal ended done: nothing was left half-way or run twice.
        let runsFolder = sim.directory.appendingPathComponent("state/kubeskew/runs")
        let runIDs = try FileManager.default.contentsOfDirectory(atPath: runsFolder.path).filter { !$0.hasPrefix(".") }
        #expect(runIDs.count >= 3, "\(runIDs)")
        for id in runIDs {
            let data = try Data(contentsOf: runsFolder.appendingPathComponent("\(id)/state.json"))
            let state = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let nodes = state["nodes"] as? [[String: Any]] ?? []
            #expect(!nodes.isEmpty && nodes.allSatisfy { $0["status"] as? String == "done" }, "\(id): \(nodes.map { $0["status"] ?? "?" })")
        }
    }

    private func waitFor(_ process: BackgroundBinary, within limit: Duration, _ condition: (String) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if condition(process.stdout) { return true }
            if !process.process.isRunning { return condition(process.stdout) }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
