import Foundation
import KubeClient
import NodeExec
import SkewCore
import Testing
import TestSupport
@testable import TUI
import Upgrade
@testable import KubeskewCLI

/// Issue 11, finding 3: after node01's emptyDir blocker was acknowledged the review still showed the drain without
/// `--delete-emptydir-data`, while the journal shows it was added. Policy: "The plan review shows every command
/// exactly as it will run, options added by acknowledgements included; the journal and the review agree byte for
/// byte (a test compares them)." Both ways in: the dashboard's review, and `upgrade --accept-blockers`'s printed plan.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct ReviewIsWhatRunsTests {
    static func journaledLines(_ journal: Journal, _ id: String) throws -> [String] {
        let plan = try journal.loadPlan(id)
        return plan.nodes.flatMap { node in node.steps.map { node.displayLine($0) } }
    }

    @Test func theDashboardReviewIsTheJournaledPlanByteForByte() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let client = KubeAPIClient(config: try KubeconfigLoader.load(explicitPath: sim.kubeconfig.path, environment: [:]))
        let journal = Journal(root: sim.directory.appendingPathComponent("runs"))
        let executor = RemoteSimulatedExecutor(client: client)
        let identity = try await runIdentity(client, executor: ExecutorIdentity(kind: "simulated"))
        let kubectl = KubectlCommand.argv(context: client.config.contextName, kubeconfigFiles: [sim.kubeconfig.path])
        let inbox = try DashboardInbox()
        let session = GuidedSession(setup: GuidedUpgradeDriver.Setup(
            client: client, context: AssessmentContext(today: DataOptions.currentDay()), journal: journal,
            nodeExecutor: executor, controlPlaneExecutor: LocalExecutor(), kubectl: kubectl, drainTimeoutSeconds: 300,
            concurrency: 1, kubeadmProbes: KubeadmProbes(), identity: identity), inbox: inbox)

        session.onUpgrade(.plan(nodes: ["node01"]))
        let review = try #require(await Self.next(inbox) { event -> PlanReview? in
            if case .planReady(let review) = event { return review }
            return nil
        })
        let node = try #require(review.nodes.first)
        #expect(node.blockers.contains { $0.kind == "emptydir-data" }, "\(node.blockers)")
        let reviewed = node.commands.map(\.line)
        let drain = try #require(reviewed.first { $0.contains(" drain node01") })
        #expect(drain.contains("--delete-emptydir-data"), "the review shows the drain acknowledging adds to: \(drain)")

        session.onUpgrade(.start(nodes: ["node01"]))
        _ = await Self.next(inbox) { event -> Bool? in
            if case .runFinished = event { return true }
            return nil
        }
        let ids = try FileManager.default.contentsOfDirectory(atPath: journal.root.path).filter { !$0.hasPrefix(".") }
        let id = try #require(ids.first)
        #expect(try Self.journaledLines(journal, id) == reviewed)
        await client.shutdown()
    }

    @Test func theUpgradeCommandPrintsThePlanItJournals() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let state = sim.directory.appendingPathComponent("state")
        let env = ["XDG_STATE_HOME": state.path]

        // `plan` without --accept-blockers says what acknowledging changes, exactly as it would run.
        let plan = try await BinaryRunner.run(["plan", "node01", "--kubeconfig", sim.kubeconfig.path], environment: env)
        #expect(plan.status == 0, "\(plan.stdout)\n\(plan.stderr)")

        let run = try await BinaryRunner.run(["upgrade", "node01", "--yes", "--accept-blockers", "--executor", "simulated",
                                              "--kubeconfig", sim.kubeconfig.path], environment: env, timeout: 120)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        // "  4. [control-plane] kubectl … drain node01 …": the printed command of every step, in order.
        let printed = run.stdout.split(separator: "\n").compactMap { line -> String? in
            guard let match = line.firstMatch(of: /^ +[0-9]+\. \[(node|control-plane)\] +(.*)$/) else { return nil }
            return String(match.output.2)
        }
        let journal = Journal(root: state.appendingPathComponent("kubeskew/runs"))
        let ids = try FileManager.default.contentsOfDirectory(atPath: journal.root.path).filter { !$0.hasPrefix(".") }
        let id = try #require(ids.first)
        let journaled = try Self.journaledLines(journal, id)
        #expect(printed == journaled)
        let drain = try #require(journaled.first { $0.contains(" drain node01") })
        #expect(drain.contains("--delete-emptydir-data"))
        // Issue 11, finding 7: "Every drain has a timeout, headless too (default as in the dashboard, 300 s)."
        #expect(drain.hasSuffix("--timeout=300s"), "\(drain)")
        #expect(plan.stdout.contains("with --accept-blockers, drain runs: \(drain)"), "\(plan.stdout)")
    }

    /// The first upgrade event `pick` recognises, from the inbox (waiting as long as the run takes).
    static func next<T>(_ inbox: DashboardInbox, _ pick: (UpgradeEvent) -> T?) async -> T? {
        while !Task.isCancelled {
            for item in inbox.drain() {
                if case .message(.upgrade(let event)) = item, let found = pick(event) { return found }
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }
}
