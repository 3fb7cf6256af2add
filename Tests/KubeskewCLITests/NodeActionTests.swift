import Foundation
import NodeExec
import Synchronization
import SkewCore
import Testing
import TestSupport
import TUI
@testable import KubeskewCLI

/// The dashboard's single actions: the kubectl line each builds, the words for how it ended (from kubectl's real
/// output), and the runner against a simulated cluster with the real kubectl.
@Suite struct NodeActionCommandTests {
    let kubectl = ["kubectl", "--kubeconfig", "/tmp/k"]

    @Test func everyActionIsAnArgvWithTheDialogsOptions() throws {
        let drain = try NodeActionCommand.make(kubectl: kubectl, kind: .drain, node: "node08",
                                               drain: DrainOptions(deleteEmptyDirData: true, gracePeriodSeconds: 30, timeoutSeconds: 120)).get()
        #expect(drain.argv == kubectl + ["drain", "node08", "--ignore-daemonsets", "--delete-emptydir-data", "--grace-period=30", "--timeout=120s"])
        #expect(drain.timeoutSeconds == 150)
        #expect(try NodeActionCommand.make(kubectl: kubectl, kind: .uncordon, node: "node08", drain: nil).get().argv
            == kubectl + ["uncordon", "node08"])
        #expect(try NodeActionCommand.make(kubectl: kubectl, kind: .cordon, node: "node08", drain: nil).get().argv
            == kubectl + ["cordon", "node08"])
        // The default drain is the issue's: DaemonSets ignored, 300 s.
        #expect(try NodeActionCommand.make(kubectl: kubectl, kind: .drain, node: "n", drain: nil).get().argv
            == kubectl + ["drain", "n", "--ignore-daemonsets", "--timeout=300s"])
    }

    @Test func aNameFromTheClusterIsValidatedBeforeItReachesAnArgv() {
        for hostile in ["--all", "node08; rm -rf /", "Node08", "", "node\u{1B}[31m"] {
            guard case .failure(let refusal) = NodeActionCommand.make(kubectl: kubectl, kind: .drain, node: hostile, drain: nil) else {
                Issue.record("\(hostile) reached an argv")
                continue
            }
            #expect(refusal.message.hasSuffix("is not a valid node name; nothing was run"))
        }
    }

    /// kubectl 1.33's output against `kubeskew sim --scenario demo` (node08's PodDisruptionBudget allows no disruption).
    static let pdbDrain = """
    node/node08 cordoned
    Warning: ignoring DaemonSet-managed Pods: default/agent-q8w3e, kube-system/kube-proxy-x4hdm
    evicting pod shop/postgres-0
    error when evicting pods/"postgres-0" -n "shop" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.
    evicting pod shop/postgres-0
    There are pending pods in node "node08" when an error occurred: error when evicting pods/"postgres-0" -n "shop": global timeout reached: 6s
    pod/postgres-0
    error: unable to drain node "node08" due to error: error when evicting pods/"postgres-0" -n "shop": global timeout reached: 6s, continuing command...
    There are pending nodes to be drained:
     node08
    error when evicting pods/"postgres-0" -n "shop": global timeout reached: 6s
    """

    static let emptyDirDrain = """
    node/node01 cordoned
    error: unable to drain node "node01" due to error: cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-5b8f7c9d4-m3n8w, continuing command...
    There are pending nodes to be drained:
     node01
    cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-5b8f7c9d4-m3n8w
    """

    @Test func aFailedDrainSaysWhyAndThatTheNodeStaysCordoned() throws {
        let node08 = try NodeActionCommand.make(kubectl: kubectl, kind: .drain, node: "node08", drain: nil).get()
        #expect(node08.failureWords(status: .exited(1), output: Self.pdbDrain.components(separatedBy: "\n"))
            == "node08 not drained: a PodDisruptionBudget allows no disruption of shop/postgres-0; gave up after 6s; node08 stays cordoned (u uncordons it)")
        let node01 = try NodeActionCommand.make(kubectl: kubectl, kind: .drain, node: "node01", drain: nil).get()
        #expect(node01.failureWords(status: .exited(1), output: Self.emptyDirDrain.components(separatedBy: "\n"))
            == "node01 not drained: cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-5b8f7c9d4-m3n8w; node01 stays cordoned (u uncordons it)")
        #expect(node01.failureWords(status: .cancelled, output: ["node/node01 cordoned"])
            == "node01 not drained: stopped by the operator; node01 stays cordoned (u uncordons it)")
        // Not cordoned yet (kubectl could not reach the API): nothing is said about a cordon.
        #expect(node01.failureWords(status: .exited(1), output: ["error: You must be logged in to the server (Unauthorized)"])
            == "node01 not drained: You must be logged in to the server (Unauthorized)")
        #expect(node08.doneWords == "node08 drained")
    }
}

struct NoOutcome: Error, CustomStringConvertible {
    let description: String
}

/// The runner with the real kubectl against `kubeskew sim --scenario demo`.
@Suite(.serialized) struct NodeActionRunnerTests {
    final class Events: Sendable {
        let all = Mutex<[NodeActionEvent]>([])
        func add(_ event: NodeActionEvent) { all.withLock { $0.append(event) } }

        /// The outcome of `node` in request `id`, once it ended.
        func outcome(_ id: Int, _ node: String) -> (Bool, String)? {
            all.withLock { events in
                for event in events {
                    if case .finished(id, node, let ok, _, let words) = event { return (ok, words) }
                }
                return nil
            }
        }

        func lines(_ id: Int) -> [String] {
            all.withLock { $0.compactMap { if case .output(id, _, let line) = $0 { return line }; return nil } }
        }

        func waitFor(_ id: Int, _ node: String, within seconds: Double = 60) async throws -> (Bool, String) {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if let found = outcome(id, node) { return found }
                try await Task.sleep(for: .milliseconds(50))
            }
            throw NoOutcome(description: "no outcome for \(node) in request \(id) within \(seconds) s; lines: \(lines(id))")
        }
    }

    func unschedulable(_ sim: SimProcess, _ node: String) async throws -> Bool {
        let out = try await BinaryRunner.kubectl(["--kubeconfig", sim.kubeconfig.path, "get", "node", node, "-o", "jsonpath={.spec.unschedulable}"])
        return out.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "true"
    }

    /// The kubectl of the demo's minor (1.33) beside the machine's version dispatcher, else the one on PATH: under a
    /// loaded CI machine the dispatcher's own probe of the server ran past the drain's guard.
    static let kubectl: String = {
        let pinned = URL(fileURLWithPath: "/usr/bin/kubectl").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("kubectl.1.33").path
        return FileManager.default.isExecutableFile(atPath: pinned) ? pinned : "kubectl"
    }()

    /// A demo cluster and a runner with the real kubectl on it, for `body`; the simulator is stopped after.
    func withDemoCluster(_ body: (SimProcess, NodeActionRunner, Events) async throws -> Void) async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo"])
        defer { sim.stop() }
        let events = Events()
        let runner = NodeActionRunner(kubectl: [Self.kubectl, "--kubeconfig", sim.kubeconfig.path], executor: LocalExecutor(),
                                      report: { events.add($0) })
        try await body(sim, runner, events)
    }

    @Test func drainsUncordonsAndSaysWhyAPDBBlockedDrainFailed() async throws {
        try await withDemoCluster { sim, runner, events in
            await runner.start(NodeActionRequest(kind: .drain, nodes: ["node08"], id: 1, drain: DrainOptions(timeoutSeconds: 3)))
            let (drained, words) = try await events.waitFor(1, "node08")
            #expect(!drained)
            #expect(words.hasPrefix("node08 not drained: a PodDisruptionBudget allows no disruption of shop/postgres-0; gave up after 3s"), "\(words)")
            #expect(words.hasSuffix("node08 stays cordoned (u uncordons it)"))
            #expect(events.lines(1).contains("node/node08 cordoned"))
            #expect(try await unschedulable(sim, "node08"))

            await runner.start(NodeActionRequest(kind: .uncordon, nodes: ["node08"], id: 2))
            #expect(try await events.waitFor(2, "node08") == (true, "node08 uncordoned"))
            #expect(try await !unschedulable(sim, "node08"))

            // With the dialog's "disable eviction" the budget is bypassed (pods are deleted): the drain goes through.
            await runner.start(NodeActionRequest(kind: .drain, nodes: ["node08"], id: 3,
                                                 drain: DrainOptions(disableEviction: true, gracePeriodSeconds: 1, timeoutSeconds: 30)))
            #expect(try await events.waitFor(3, "node08") == (true, "node08 drained"))
            #expect(events.lines(3).contains("pod/postgres-0 deleted"))
        }
    }

    @Test func stoppingADrainStopsKubectlAndTheNodesQueuedAfterIt() async throws {
        try await withDemoCluster { sim, runner, events in
            await runner.start(NodeActionRequest(kind: .drain, nodes: ["node08", "node02"], id: 7, drain: DrainOptions(timeoutSeconds: 120)))
            let deadline = Date().addingTimeInterval(60)
            while !events.lines(7).contains(where: { $0.contains("evicting pod shop/postgres-0") }) && Date() < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            await runner.stop(7)
            let (ok, words) = try await events.waitFor(7, "node08", within: 20)
            #expect(!ok)
            #expect(words == "node08 not drained: stopped by the operator; node08 stays cordoned (u uncordons it)")
            #expect(try await events.waitFor(7, "node02", within: 5) == (false, "node02: not started (the drain was stopped)"))
            #expect(try await !unschedulable(sim, "node02"))
        }
    }
}
