import Foundation
import NodeExec
import Simulator
import SkewCore
import Testing
@testable import Upgrade

/// The shipped runbooks' "already done" checks, run by the real engine through the simulated node shells: a check
/// may skip its step only when every package version and every hold (or exclude) the step claims is there.
struct RunbookCheckTests {
    static let scenario = """
        name: runbook-checks
        controlPlaneVersion: v1.33.3
        nodes:
          - name: cp-1
            role: control-plane
            kubelet: v1.33.3
          - name: deb-1
            kubelet: v1.33.2
            os: debian
          - name: rpm-1
            kubelet: v1.33.2
            os: rhel
        """

    static func v(_ s: String) -> KubeVersion { KubeVersion.parse(s)! }

    /// The install-kubelet step of the shipped runbook, alone in a run, for `node`.
    static func kubeletStepPlan(node: String, manager: PackageManager) throws -> RunPlan {
        let full = try Planner().plan(name: node, internalIP: nil, from: v("v1.33.2"), target: v("v1.33.3"),
                                      hops: [Hop(version: v("v1.33.3"), changesMinor: false)], packageManager: manager)
        let steps = full.steps.filter { $0.kind == .installKubelet }
        #expect(steps.count == 1)
        let plan = NodePlan(node: node, internalIP: nil, from: full.from, target: full.target, hops: full.hops,
                            packageManager: manager, steps: steps)
        return RunPlan(id: "20261207T000000Z-checks-\(UUID().uuidString.prefix(8))", createdAt: "2026-12-07T00:00:00Z",
                       target: v("v1.33.3"), concurrency: 1, nodes: [plan])
    }

    /// Runs `argv` on the simulated node and returns its stdout lines.
    static func shell(_ shells: SimulatedNodeShells, _ node: String, _ argv: [String]) async -> (Int32, [String]) {
        let out = Lines()
        let code = await shells.run(node: node, argv: argv) { line, isError in if !isError { out.add(line) } }
        return (code, out.all)
    }

    /// Starts a simulator, prepares the node with `setup`, runs the install-kubelet step through the engine, and
    /// returns its final state and the node's shells.
    static func runKubeletStep(node: String, manager: PackageManager, setup: [[String]],
                               _ body: (StepRecord, SimulatedNodeShells) async throws -> Void) async throws {
        let sim = try await RunningSimulator.start(SimulatorOptions(scenario: try Scenario.parse(yaml: scenario), port: 0, shellSpeed: 0))
        do {
            let shells = try #require(sim.shells)
            for argv in setup {
                let (code, _) = await shell(shells, node, argv)
                #expect(code == 0, "setup \(argv) failed")
            }
            let journal = EngineFixtures.tempJournal()
            defer { try? FileManager.default.removeItem(at: journal.root) }
            let engine = try UpgradeEngine(plan: try kubeletStepPlan(node: node, manager: manager), journal: journal,
                                           nodeExecutor: SimulatedNodeExecutor(shells: shells), controlPlaneExecutor: FakeExecutor(),
                                           gate: FakeGate(), onEvent: { _ in })
            let state = try await engine.run()
            try await body(state.nodes[0].steps[0], shells)
        } catch {
            try? await sim.stop()
            throw error
        }
        try await sim.stop()
    }

    // The step claims: "apt-mark unhold kubelet kubectl && apt-get install -y kubelet=V-* kubectl=V-* && apt-mark hold
    // kubelet kubectl". A run stopped after kubelet was installed (kubectl not yet) must not count it as done.
    @Test func aptKubeletAtTargetButKubectlBehindRunsTheStep() async throws {
        try await Self.runKubeletStep(node: "deb-1", manager: .apt, setup: [
            ["apt-mark", "unhold", "kubelet", "kubectl"],
            ["apt-get", "install", "-y", "kubelet=1.33.3-*"],
        ]) { step, shells in
            #expect(step.state == .done, "the step must run, not be skipped: \(step.message ?? "")")
            let (_, versions) = await Self.shell(shells, "deb-1", ["dpkg-query", "-W", "-f", "${Package} ${Version}\\n", "kubelet", "kubectl"])
            #expect(versions == ["kubelet 1.33.3-1.1", "kubectl 1.33.3-1.1"])
            let (_, held) = await Self.shell(shells, "deb-1", ["apt-mark", "showhold"])
            #expect(Set(held).isSuperset(of: ["kubelet", "kubectl"]))
        }
    }

    // Both packages at the target but the holds were never put back: the step's last command has not run.
    @Test func aptPackagesAtTargetWithoutHoldsRunsTheStep() async throws {
        try await Self.runKubeletStep(node: "deb-1", manager: .apt, setup: [
            ["apt-mark", "unhold", "kubelet", "kubectl"],
            ["apt-get", "install", "-y", "kubelet=1.33.3-*", "kubectl=1.33.3-*"],
        ]) { step, shells in
            #expect(step.state == .done, "the step must run, not be skipped: \(step.message ?? "")")
            let (_, held) = await Self.shell(shells, "deb-1", ["apt-mark", "showhold"])
            #expect(Set(held).isSuperset(of: ["kubelet", "kubectl"]))
        }
    }

    // Everything the step claims is there: the check skips it and says so.
    @Test func aptEverythingInPlaceIsAlreadyDone() async throws {
        try await Self.runKubeletStep(node: "deb-1", manager: .apt, setup: [
            ["apt-mark", "unhold", "kubelet", "kubectl"],
            ["apt-get", "install", "-y", "kubelet=1.33.3-*", "kubectl=1.33.3-*"],
            ["apt-mark", "hold", "kubelet", "kubectl"],
        ]) { step, _ in
            #expect(step.state == .skipped)
            #expect(step.message?.contains("already done") == true)
        }
    }

    // RHEL form: "yum install -y kubelet-V-* kubectl-V-* --disableexcludes=kubernetes".
    @Test func rpmKubeletAtTargetButKubectlBehindRunsTheStep() async throws {
        try await Self.runKubeletStep(node: "rpm-1", manager: .dnf, setup: [
            ["dnf", "install", "-y", "kubelet-1.33.3-*", "--disableexcludes=kubernetes"],
        ]) { step, shells in
            #expect(step.state == .done, "the step must run, not be skipped: \(step.message ?? "")")
            let (_, versions) = await Self.shell(shells, "rpm-1", ["rpm", "-q", "--qf", "%{NAME} %{VERSION}\\n", "kubelet", "kubectl"])
            #expect(versions == ["kubelet 1.33.3", "kubectl 1.33.3"])
        }
    }

    @Test func rpmEverythingInPlaceIsAlreadyDone() async throws {
        try await Self.runKubeletStep(node: "rpm-1", manager: .yum, setup: [
            ["yum", "install", "-y", "kubelet-1.33.3-*", "kubectl-1.33.3-*", "--disableexcludes=kubernetes"],
        ]) { step, _ in
            #expect(step.state == .skipped)
        }
    }
}

/// Thread-safe line collector for shell output.
final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
