import Foundation
import Testing
import TestSupport

/// Found by the kill campaign (issue 16): `kill -9` after the run's `kubectl uncordon` had made the node schedulable
/// but before the journal recorded the step done. The resume then said "the journal and the cluster differ: node01:
/// step 3 drain is done in the journal, but node01 is schedulable" (the run's own uncordon, not someone else's) and,
/// told yes, drained the upgraded node again and restarted its kubelet again. An uncordon the run had started may have
/// lifted the cordon: the drain's claim is not contradicted by a schedulable node then.
@Suite(.serialized)
struct KilledUncordonEndToEndTests {
    @Test func aKillRightAfterTheUncordonRanResumesWithoutAMismatchOrASecondDrain() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let kubeconfig = sim.kubeconfig.path
        // A kubectl that does the uncordon and then takes its time to exit: the kill lands after the uncordon's effect
        // and before kubeskew can record it, every time, whatever the machine's load.
        let bin = sim.directory.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let real = try ChildProcess.which("kubectl")
        let wrapper = bin.appendingPathComponent("kubectl")
        try """
        #!/bin/sh
        case " $* " in
          *" uncordon "*) "\(real)" "$@"; while :; do sleep 0.2; done ;;
          *) exec "\(real)" "$@" ;;
        esac

        """.write(to: wrapper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper.path)
        let state = sim.directory.appendingPathComponent("state")
        let env = ["XDG_STATE_HOME": state.path, "NO_COLOR": "1"]
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")

        let run = try BackgroundBinary(["upgrade", "node01", "--yes", "--accept-blockers", "--executor", "simulated",
                                        "--kubeconfig", kubeconfig], environment: env.merging(["PATH": path]) { $1 })
        defer {
            run.stop()
            for pid in KillCampaign.processesNaming(kubeconfig, except: sim.process.processIdentifier) { kill(pid, SIGKILL) }
        }
        #expect(await run.waitForOutput("node/node01 uncordoned", within: .seconds(120)), "\(run.stdout)\n\(run.stderr)")
        run.signal(SIGKILL)
        _ = await run.waitForExit(within: .seconds(30))
        for pid in KillCampaign.processesNaming(kubeconfig, except: sim.process.processIdentifier) { kill(pid, SIGKILL) }

        let runID = try #require(try FileManager.default.contentsOfDirectory(atPath: state.appendingPathComponent("kubeskew/runs").path).first)
        let shown = try await BinaryRunner.run(["history", runID], environment: env)
        #expect(shown.stdout.contains("✓ h1-drain") && shown.stdout.contains("⟳ h1-uncordon"), "\(shown.stdout)")
        let node = try await BinaryRunner.kubectl(["--kubeconfig", kubeconfig, "get", "node", "node01", "-o", "jsonpath={.spec.unschedulable}"])
        #expect(node.stdout != "true", "the uncordon ran before the kill")

        let resumed = try await BinaryRunner.run(["upgrade", "--resume", runID, "--yes"], environment: env, timeout: 120)
        #expect(resumed.status == 0, "\(resumed.stdout)\n\(resumed.stderr)")
        #expect(!resumed.stdout.contains("the journal and the cluster differ"), "\(resumed.stdout)")
        #expect(!resumed.stdout.contains("▶ 3/7 drain"), "the upgraded node is not drained again: \(resumed.stdout)")
        #expect(!resumed.stdout.contains("▶ 5/7 restart kubelet"), "its kubelet is not restarted again: \(resumed.stdout)")
        #expect(resumed.stdout.contains("node01: done, 7/7 steps, now v1.33.3"), "\(resumed.stdout)")
        let after = try await BinaryRunner.kubectl(["--kubeconfig", kubeconfig, "get", "node", "node01", "-o", "json"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any])
        #expect((doc["spec"] as? [String: Any])?["unschedulable"] as? Bool != true)
        let annotations = (doc["metadata"] as? [String: Any])?["annotations"] as? [String: String] ?? [:]
        #expect(annotations["kubeskew.io/cordoned-by-run"] == nil, "the run's cordon mark goes with its uncordon")
    }
}
