import Foundation
import Testing
import TestSupport

/// Issue 11, finding 6: `history` suggests `kubeskew upgrade --resume ID`, which failed ("no kubeconfig found"); with
/// `--kubeconfig` alone it silently switched to the ssh executor; a new `--drain-timeout 10` was ignored. Policy:
/// "`--resume ID` restores the run's kubeconfig, context, executor and options from the journal; flags given again
/// override with a notice."
@Suite(.serialized)
struct ResumeRestoresOptionsTests {
    @Test func theSuggestedResumeCommandRunsWithTheRunsOwnSettingsAndFlagsOverrideThemAloud() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let home = sim.directory.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let state = sim.directory.appendingPathComponent("state")
        // No kubeconfig anywhere but in the run's record: no ~/.kube/config, no KUBECONFIG.
        let env = ["XDG_STATE_HOME": state.path, "HOME": home.path, "KUBECONFIG": ""]
        let runs = state.appendingPathComponent("kubeskew/runs")

        // node08's PodDisruptionBudget allows no eviction: the first run stops in its drain.
        let first = try await BinaryRunner.run(["upgrade", "node08", "--yes", "--accept-blockers", "--executor", "simulated",
                                                "--drain-timeout", "3", "--kubeconfig", sim.kubeconfig.path, "--context", "sim"],
                                               environment: env, timeout: 120)
        #expect(first.status == 1, "\(first.stdout)\n\(first.stderr)")
        let id = try #require(first.stdout.firstMatch(of: /run ([0-9]{8}T[0-9]{6}Z-[0-9a-f]{6})/).map { String($0.output.1) })

        // Exactly what `history` suggests: the run's kubeconfig, context and simulated executor come from its journal,
        // and a new drain timeout applies to the drain still to run, said so and journaled.
        let resumed = try await BinaryRunner.run(["upgrade", "--resume", id, "--drain-timeout", "4"], environment: env, timeout: 120)
        #expect(!resumed.stderr.contains("no kubeconfig"), "\(resumed.stderr)")
        #expect(resumed.stdout.contains("note: --drain-timeout 4 overrides the run's drain options for the drains still to run (node08)"),
                "\(resumed.stdout)\n\(resumed.stderr)")
        #expect(resumed.stdout.contains("resuming run \(id)"), "\(resumed.stdout)\n\(resumed.stderr)")
        #expect(resumed.stdout.contains("drain node08 --ignore-daemonsets --timeout=4s"), "the drain ran with the new timeout:\n\(resumed.stdout)")
        #expect(resumed.stdout.contains("drain of node08 failed"), "the budget still blocks it:\n\(resumed.stdout)\n\(resumed.stderr)")
        let plan = try String(contentsOf: runs.appendingPathComponent(id).appendingPathComponent("plan.json"), encoding: .utf8)
        #expect(plan.contains("--timeout=4s") && !plan.contains("--timeout=3s"), "the journal records the drain that runs now")

        // Another executor given again is said, and the resume check refuses it: the run reached its nodes otherwise.
        let otherExecutor = try await BinaryRunner.run(["upgrade", "--resume", id, "--executor", "ssh"], environment: env, timeout: 120)
        #expect(otherExecutor.status != 0)
        #expect(otherExecutor.stdout.contains("note: --executor ssh given; run recorded --executor simulated"), "\(otherExecutor.stdout)")
        #expect(otherExecutor.stderr.contains("reached its nodes with --executor simulated"), "\(otherExecutor.stderr)")

        // New drain options bypass the budget; the run ends with node08 at the target.
        let finished = try await BinaryRunner.run(["upgrade", "--resume", id, "--drain-option=--ignore-daemonsets",
                                                   "--drain-option=--disable-eviction"], environment: env, timeout: 120)
        #expect(finished.status == 0, "\(finished.stdout)\n\(finished.stderr)")
        let version = try await BinaryRunner.kubectl(["--kubeconfig", sim.kubeconfig.path, "get", "node", "node08",
                                                      "-o", "jsonpath={.status.nodeInfo.kubeletVersion}"])
        #expect(version.stdout == "v1.33.3")
    }
}
