import Foundation
import NodeExec
import SkewCore
@testable import Upgrade

/// A scripted node: each argv's first words decide its output and exit, and every call is recorded.
final class FakeExecutor: NodeExecutor, @unchecked Sendable {
    let name = "fake"
    private let lock = NSLock()
    private var _calls: [(node: String, argv: [String])] = []
    /// argv joined by spaces → (lines, exit code); a missing entry succeeds silently.
    var script: [String: ([String], Int32)]
    /// argv joined by spaces → seconds to wait (cancellable) before answering.
    var delays: [String: Double]

    init(script: [String: ([String], Int32)] = [:], delays: [String: Double] = [:]) {
        self.script = script
        self.delays = delays
    }

    var calls: [(node: String, argv: [String])] { lock.lock(); defer { lock.unlock() }; return _calls }
    private var active = 0
    private var _maxActive = 0
    /// The most delayed commands that were running at the same time (on different nodes).
    var maxActive: Int { lock.withLock { _maxActive } }

    func run(_ command: CommandSpec, on node: NodeTarget, onOutput: @escaping OutputHandler) async throws(ExecutorError) -> ExecutionResult {
        let key = command.argv.joined(separator: " ")
        let (entry, delay) = lock.withLock { () -> (([String], Int32)?, Double?) in
            _calls.append((node.name, command.argv))
            return (script[key], delays[key])
        }
        if let delay {
            lock.withLock { active += 1; _maxActive = max(_maxActive, active) }
            defer { lock.withLock { active -= 1 } }
            do { try await Task.sleep(for: .seconds(delay)) } catch {
                return ExecutionResult(status: .cancelled, duration: .zero)
            }
        }
        for line in entry?.0 ?? [] {
            await onOutput(OutputLine(source: .stdout, content: OutputSanitizer().sanitize(line)))
        }
        let code = entry?.1 ?? 0
        return ExecutionResult(status: .exited(code), duration: .milliseconds(1), stderrTail: code == 0 ? [] : ["E: failure \(code)"])
    }
}

/// A gate that answers at once: reached, or a last-seen text.
struct FakeGate: NodeGate {
    var lastSeen: String?
    func waitForNode(_ node: String, kubelet version: String, timeout: Duration) async throws -> String? { lastSeen }
    func waitForControlPlane(_ node: String, version: String, timeout: Duration) async throws -> String? { lastSeen }
}

/// Collects engine events for assertions.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [EngineEvent] = []
    func add(_ e: EngineEvent) { lock.lock(); events.append(e); lock.unlock() }
    var all: [EngineEvent] { lock.lock(); defer { lock.unlock() }; return events }
    var outputLines: [String] {
        all.compactMap { if case let .output(_, _, line) = $0 { return line.text } else { return nil } }
    }
}

enum EngineFixtures {
    static func v(_ s: String) -> KubeVersion { KubeVersion.parse(s)! }

    static func steps(for node: String) -> [PlannedStep] {
        [
            PlannedStep(id: "h1-install-kubeadm", name: "install kubeadm 1.33.3", kind: .installKubeadm, location: .node,
                        action: .commands(argvs: [["apt-get", "install", "-y", "kubeadm=1.33.3-*"]], privileged: true), idempotent: true,
                        check: StepCheck(argv: ["kubeadm", "version", "-o", "short"], expectOutput: "v1.33.3")),
            PlannedStep(id: "h1-drain", name: "drain", kind: .drain, location: .controlPlane,
                        action: .commands(argvs: [["kubectl", "drain", node, "--ignore-daemonsets"]], privileged: false), idempotent: true),
            PlannedStep(id: "h1-install-kubelet", name: "install kubelet", kind: .installKubelet, location: .node,
                        action: .commands(argvs: [["apt-get", "install", "-y", "kubelet=1.33.3-*"]], privileged: true), idempotent: true),
            PlannedStep(id: "h1-wait", name: "wait for node", kind: .waitReady, location: .controlPlane,
                        action: .waitForNode(version: v("v1.33.3")), idempotent: true, timeoutSeconds: 5),
            PlannedStep(id: "h1-uncordon", name: "uncordon", kind: .uncordon, location: .controlPlane,
                        action: .commands(argvs: [["kubectl", "uncordon", node]], privileged: false), idempotent: true),
        ]
    }

    static func plan(_ nodes: [String], id: String = "20261125T150000Z-test") -> RunPlan {
        RunPlan(id: id, createdAt: "2026-11-25T15:00:00Z", target: v("v1.33.3"), concurrency: 1, nodes: nodes.map { n in
            NodePlan(node: n, internalIP: "127.0.0.1", from: v("v1.33.2"), target: v("v1.33.3"),
                     hops: [Hop(version: v("v1.33.3"), changesMinor: false)], packageManager: .apt, steps: steps(for: n))
        })
    }

    static func tempJournal() -> Journal {
        Journal(root: FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-journal-\(UUID().uuidString)"))
    }
}
