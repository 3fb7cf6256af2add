import Foundation
import Testing
import TestSupport

/// Issue 11, finding 4: a node cordoned by an aborted kubeskew run, upgraded again, was planned "uncordon (skipped):
/// node04 was cordoned before the run; left cordoned", for good. Policy: "kubeskew remembers which cordons it made (in
/// the journal and, so another instance sees it, on the node as an annotation) and undoes only its own; an
/// operator's cordon is kept." Tried with the real binary and the real kubectl on the demo cluster.
@Suite(.serialized)
struct OwnCordonTests {
    @Test func aCordonLeftByAFailedRunIsLiftedByTheNextAndAnOperatorsIsKept() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let env = ["XDG_STATE_HOME": sim.directory.appendingPathComponent("state").path]
        let kubeconfig = ["--kubeconfig", sim.kubeconfig.path]
        func node(_ name: String, _ path: String) async throws -> String {
            try await BinaryRunner.kubectl(kubeconfig + ["get", "node", name, "-o", "jsonpath={\(path)}"]).stdout
        }
        let mark = ".metadata.annotations.kubeskew\\.io/cordoned-by-run"

        // The operator's own cordon, made by hand.
        let cordon = try await BinaryRunner.kubectl(kubeconfig + ["cordon", "node07"])
        #expect(cordon.status == 0, "\(cordon.stderr)")

        // node08's PodDisruptionBudget allows no eviction: the drain cordons, then gives up at its timeout.
        let failed = try await BinaryRunner.run(["upgrade", "node08", "--yes", "--accept-blockers", "--executor", "simulated", "--drain-timeout", "3"]
                                                + kubeconfig, environment: env, timeout: 120)
        #expect(failed.status == 1, "\(failed.stdout)\n\(failed.stderr)")
        let runID = try #require(failed.stdout.firstMatch(of: /run ([0-9]{8}T[0-9]{6}Z-[0-9a-f]{6})/).map { String($0.output.1) },
                                 "\(failed.stdout)")
        // Issue 13: summaries name the step as the operator reads it, not its id (`h1-drain`).
        #expect(failed.stdout.contains("node08: failed, 2/7 steps; failed at step 3/7 drain: drain of node08 failed"), "\(failed.stdout)")
        #expect(try await node("node08", ".spec.unschedulable") == "true")
        #expect(try await node("node08", mark) == runID, "the run wrote its cordon on the node")
        #expect(try await node("node07", mark) == "", "an operator's cordon carries no mark")

        let plan = try await BinaryRunner.run(["plan", "node08", "node07"] + kubeconfig, environment: env)
        let lines = plan.stdout.split(separator: "\n").map(String.init)
        let uncordon08 = try #require(lines.first { $0.contains("uncordon node08") }, "\(plan.stdout)")
        #expect(uncordon08.contains("(cordoned by kubeskew run \(runID), so lifted here)"), "\(uncordon08)")
        #expect(!uncordon08.contains("skipped"), "\(uncordon08)")
        let uncordon07 = try #require(lines.first { $0.contains("uncordon node07") }, "\(plan.stdout)")
        #expect(uncordon07.contains("(skipped: node07 was cordoned before the run; left cordoned)"), "\(uncordon07)")

        // The next run lifts its predecessor's cordon and takes its mark away.
        let second = try await BinaryRunner.run(["upgrade", "node08", "--yes", "--accept-blockers", "--executor", "simulated",
                                                 "--drain-option=--ignore-daemonsets", "--drain-option=--disable-eviction"]
                                                + kubeconfig, environment: env, timeout: 120)
        #expect(second.status == 0, "\(second.stdout)\n\(second.stderr)")
        #expect(try await node("node08", ".spec.unschedulable") == "")
        #expect(try await node("node08", mark) == "")
        #expect(try await node("node07", ".spec.unschedulable") == "true", "the operator's cordon is untouched")
    }
}
