import Foundation
import NodeExec
import Simulator
import SkewCore
import Testing
@testable import Upgrade

/// The repository switch of the shipped runbooks through the real engine and the simulated node shells (whose
/// `grep -E` and `sed` read and edit the file as the real tools do): a commented-out line naming the new minor does
/// not make the switch "already done".
struct RunbookRepositorySimTests {
    static func v(_ s: String) -> KubeVersion { KubeVersion.parse(s)! }

    @Test(arguments: [("deb-1", PackageManager.apt, "# deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.34/deb/ /"),
                      ("rpm-1", PackageManager.dnf, "#baseurl=https://pkgs.k8s.io/core:/stable:/v1.34/rpm/")])
    func commentedOutTargetLineDoesNotSkipTheSwitch(node: String, manager: PackageManager, comment: String) async throws {
        let sim = try await RunningSimulator.start(SimulatorOptions(scenario: try Scenario.parse(yaml: RunbookCheckTests.scenario), port: 0, shellSpeed: 0))
        do {
            let shells = try #require(sim.shells)
            await shells.addRepositoryComment(node: node, line: comment)
            let full = try Planner().plan(name: node, internalIP: nil, from: Self.v("v1.33.2"), target: Self.v("v1.34.2"),
                                          hops: [Hop(version: Self.v("v1.34.2"), changesMinor: true)], packageManager: manager)
            let steps = full.steps.filter { $0.kind == .repository }
            let plan = RunPlan(id: "20261207T000000Z-repo-\(UUID().uuidString.prefix(8))", createdAt: "2026-12-07T00:00:00Z",
                               target: Self.v("v1.34.2"), concurrency: 1,
                               nodes: [NodePlan(node: node, internalIP: nil, from: full.from, target: full.target, hops: full.hops,
                                                packageManager: manager, steps: steps)])
            let journal = EngineFixtures.tempJournal()
            defer { try? FileManager.default.removeItem(at: journal.root) }
            let state = try await (try UpgradeEngine(plan: plan, journal: journal, nodeExecutor: SimulatedNodeExecutor(shells: shells),
                                                 controlPlaneExecutor: FakeExecutor(), gate: FakeGate(), onEvent: { _ in })).run()
            #expect(state.nodes[0].steps[0].state == .done, "the switch must run: \(state.nodes[0].steps[0].message ?? "")")
            let file = manager == .apt ? "/etc/apt/sources.list.d/kubernetes.list" : "/etc/yum.repos.d/kubernetes.repo"
            let (code, live) = await RunbookCheckTests.shell(shells, node, ["cat", file])
            #expect(code == 0)
            #expect(live.contains { !$0.hasPrefix("#") && $0.contains("/core:/stable:/v1.34/") }, "\(live)")
            #expect(!live.contains { !$0.hasPrefix("#") && $0.contains("/core:/stable:/v1.33/") }, "\(live)")
        } catch {
            try? await sim.stop()
            throw error
        }
        try await sim.stop()
    }
}
