import Foundation
import NodeExec
import Synchronization
import Testing
@testable import Upgrade

/// Issue 11, finding 14, in the engine: a node reached as root runs its privileged commands without sudo, and the
/// pane's `$ …` line and the journal's step log say so.
struct RootNodeJournalTests {
    @Test func theStepLogShowsTheCommandAsItRanWithoutSudo() async throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let shipped = try ShippedPlans.plan(["node01"])
        var node = shipped.nodes[0]
        node.destination = NodeDestination(address: "root@10.0.0.5:22", source: "InternalIP", connectsTo: "10.0.0.5", sudo: false)
        let plan = RunPlan(id: shipped.id, createdAt: shipped.createdAt, target: shipped.target, concurrency: 1, nodes: [node])
        let shown = Mutex<[String]>([])
        let engine = try UpgradeEngine(plan: plan, journal: journal, nodeExecutor: FakeExecutor(), controlPlaneExecutor: FakeExecutor(),
                                       gate: FakeGate(), onEvent: { event in
                                           if case .output(_, _, let line) = event, line.text.hasPrefix("$ ") { shown.withLock { $0.append(line.text) } }
                                       })
        _ = try await engine.run()
        let install = try #require(node.steps.first { $0.kind == .installKubeadm })
        let log = try String(contentsOf: journal.logFile(run: plan.id, node: "node01", step: install.id), encoding: .utf8)
        #expect(log.contains("$ apt-mark unhold kubeadm"), "\(log)")
        #expect(!log.contains("sudo"), "\(log)")
        #expect(shown.withLock { $0 }.allSatisfy { !$0.contains("sudo") || $0.contains("kubectl") }, "\(shown.withLock { $0 })")
        #expect(plan.nodes[0].displayLine(install).hasPrefix("apt-mark unhold kubeadm"))
    }
}
