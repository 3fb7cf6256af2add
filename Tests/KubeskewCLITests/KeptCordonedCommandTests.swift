import Foundation
import Testing
import TestSupport

/// node06 of the demo was cordoned by an operator before any run: `plan` says its uncordon is skipped, `upgrade`
/// leaves it cordoned and says so, and the journal keeps the reason (issue 6, gap a).
@Suite(.serialized)
struct KeptCordonedCommandTests {
    func unschedulable(_ kubeconfig: URL, _ node: String) async throws -> Bool {
        let r = try await BinaryRunner.kubectl(["--kubeconfig", kubeconfig.path, "get", "node", node, "-o", "jsonpath={.spec.unschedulable}"])
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "true"
    }

    @Test func planShowsAndUpgradeKeepsTheOperatorsCordon() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let state = sim.directory.appendingPathComponent("state")
        #expect(try await unschedulable(sim.kubeconfig, "node06"))

        let plan = try await BinaryRunner.run(["plan", "node06", "--kubeconfig", sim.kubeconfig.path])
        #expect(plan.status == 0, "\(plan.stderr)")
        let uncordon = plan.stdout.split(separator: "\n").first { $0.contains("uncordon node06") } ?? ""
        #expect(uncordon.hasSuffix("(skipped: node06 was cordoned before the run; left cordoned)"), "\(plan.stdout)")

        let run = try await BinaryRunner.run(["upgrade", "node06", "--yes", "--executor", "simulated", "--kubeconfig", sim.kubeconfig.path],
                                             environment: ["XDG_STATE_HOME": state.path], timeout: 120)
        #expect(run.status == 0, "stdout:\n\(run.stdout)\nstderr:\n\(run.stderr)")
        #expect(run.stdout.contains("↷ uncordon: node06 was cordoned before the run; left cordoned"), "\(run.stdout)")
        #expect(run.stdout.contains("node06: done, 7/7 steps, now v1.33.3; left cordoned (it was cordoned before the run)"), "\(run.stdout)")
        #expect(try await unschedulable(sim.kubeconfig, "node06"), "still cordoned after the run")

        let history = try await BinaryRunner.run(["history"], environment: ["XDG_STATE_HOME": state.path])
        let id = try #require(history.stdout.split(separator: " ").first.map(String.init))
        #expect(history.stdout.contains("\(id)  done  node06 done"), "\(history.stdout)")
        let detail = try await BinaryRunner.run(["history", id], environment: ["XDG_STATE_HOME": state.path])
        #expect(detail.stdout.contains("node06  v1.33.2 → v1.33.3  done (cordoned before the run; left cordoned)"), "\(detail.stdout)")
        #expect(detail.stdout.contains("node06 was cordoned before the run; left cordoned"))
        // The run is over: `--resume` has nothing left.
        let resume = try await BinaryRunner.run(["upgrade", "--resume", id, "--executor", "simulated", "--kubeconfig", sim.kubeconfig.path],
                                                environment: ["XDG_STATE_HOME": state.path])
        #expect(resume.status != 0)
        #expect(resume.stderr.contains("finished with every node done; nothing to resume"), "\(resume.stderr)")
    }
}
