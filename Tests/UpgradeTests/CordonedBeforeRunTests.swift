import Foundation
import Testing
import SkewCore
@testable import Upgrade

/// A node an operator cordoned before the run stays cordoned after it (issue 6, runs that stop and come back).
struct CordonedBeforeRunTests {
    func v(_ s: String) -> KubeVersion { KubeVersion.parse(s)! }

    @Test func plannerRecordsThatTheNodeWasCordoned() throws {
        let ctx = AssessmentContext(today: CalendarDate(year: 2026, month: 11, day: 25))
        let a = Assessor(context: ctx).assess(ClusterFacts(apiserverVersions: ["v1.33.3"], nodes: [
            NodeFacts(name: "node06", kubeletVersion: "v1.33.2"),
        ]))
        let cordoned = try Planner().plan(node: a.nodes[0], internalIP: "127.0.1.6", packageManager: .apt, wasCordoned: true)
        #expect(cordoned.wasCordoned)
        #expect(cordoned.keptCordonedReason == "node06 was cordoned before the run; left cordoned")
        let schedulable = try Planner().plan(node: a.nodes[0], internalIP: "127.0.1.6", packageManager: .apt)
        #expect(!schedulable.wasCordoned)
        #expect(schedulable.keptCordonedReason == nil)
    }

    @Test func wasCordonedRoundTripsAndOldPlansLoadWithoutIt() throws {
        var plan = EngineFixtures.plan(["node06"]).nodes[0]
        plan.wasCordoned = true
        let data = try JSONEncoder().encode(plan)
        #expect(try JSONDecoder().decode(NodePlan.self, from: data).wasCordoned)
        // A plan.json written before the field existed.
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        object["wasCordoned"] = nil
        let old = try JSONSerialization.data(withJSONObject: object)
        let loaded = try JSONDecoder().decode(NodePlan.self, from: old)
        #expect(!loaded.wasCordoned)
        #expect(loaded.steps == plan.steps)
    }

    @Test func engineSkipsTheUncordonOfANodeCordonedBeforeTheRun() async throws {
        let journal = EngineFixtures.tempJournal()
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let base = EngineFixtures.plan(["node06", "node01"])
        var cordoned = base.nodes[0]
        cordoned.wasCordoned = true
        let plan = RunPlan(id: base.id, createdAt: base.createdAt, target: base.target, concurrency: 1, nodes: [cordoned, base.nodes[1]])
        let cp = FakeExecutor()
        let events = EventLog()
        let engine = try UpgradeEngine(plan: plan, journal: journal, nodeExecutor: FakeExecutor(), controlPlaneExecutor: cp,
                                       gate: FakeGate(), onEvent: events.add)
        let state = try await engine.run()
        #expect(state.allDone)
        #expect(state.nodes[0].steps.map(\.state) == [.done, .done, .done, .done, .skipped])
        #expect(state.nodes[0].steps[4].message == "node06 was cordoned before the run; left cordoned")
        #expect(!state.nodes[0].cordonedByRun, "cordoned, but by the operator")
        #expect(!cp.calls.contains { $0.argv == ["kubectl", "uncordon", "node06"] }, "node06 is never uncordoned")
        #expect(cp.calls.contains { $0.argv == ["kubectl", "uncordon", "node01"] }, "other nodes are")
        // The pane learns why, and the journal keeps it.
        let skipped = events.all.contains {
            if case let .stepFinished("node06", 4, record) = $0 { return record.state == .skipped && record.message?.contains("left cordoned") == true }
            return false
        }
        #expect(skipped)
        #expect(events.outputLines.contains("uncordon skipped: node06 was cordoned before the run; left cordoned"))
        #expect(try journal.loadState(plan.id).nodes[0].steps[4].message == "node06 was cordoned before the run; left cordoned")
        let log = try journal.logFile(run: plan.id, node: "node06", step: "h1-uncordon")
        #expect(try String(contentsOf: log, encoding: .utf8).contains("left cordoned"))
    }
}
