import Foundation
import KubeModel
import NodeExec
import Synchronization
import Testing
import TerminalText
import TestSupport
import Upgrade
@testable import KubeskewCLI

/// Issue 13: "kubeskew learns each node's kubeadm version by running `kubeadm version -o short` through the configured
/// executor …, in the background, with bounded concurrency (default 8, configurable) …; the column shows probing, the
/// version, or why not (no kubeadm installed, ssh refused, timeout)", and "Results are cached in the state directory
/// per node, keyed so that a reboot or a kubelet change invalidates them (boot ID and kubelet version)".
@Suite(.timeLimit(.minutes(1))) struct KubeadmProberTests {
    /// Nodes that answer `kubeadm version -o short` with their kubeadm, after waiting for the test's go; others fail
    /// as told. Counts the probes per node and the most in flight at once.
    final class Nodes: NodeExecutor, Sendable {
        enum Answer: Sendable { case version(String), exit(Int32, String), error(ExecutorError.Kind) }
        let name = "fake"
        private let answers: [String: Answer]
        private let counts = Mutex<(calls: [String: Int], inFlight: Int, most: Int)>(([:], 0, 0))
        private let gate: AsyncStream<Void>?
        private let gateOpen: AsyncStream<Void>.Continuation?

        init(_ answers: [String: Answer], held: Bool = false) {
            self.answers = answers
            if held {
                let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .unbounded)
                gate = stream
                gateOpen = continuation
            } else {
                gate = nil
                gateOpen = nil
            }
        }

        /// Lets every held probe answer.
        func release() { gateOpen?.finish() }

        var calls: [String: Int] { counts.withLock { $0.calls } }
        var mostAtOnce: Int { counts.withLock { $0.most } }
        var inFlight: Int { counts.withLock { $0.inFlight } }

        func run(_ command: CommandSpec, on node: NodeTarget, onOutput: @escaping OutputHandler) async throws(ExecutorError) -> ExecutionResult {
            #expect(command.argv == ["kubeadm", "version", "-o", "short"])
            counts.withLock { state in
                state.calls[node.name, default: 0] += 1
                state.inFlight += 1
                state.most = max(state.most, state.inFlight)
            }
            defer { counts.withLock { $0.inFlight -= 1 } }
            if let gate { for await _ in gate {} }
            switch answers[node.name] ?? .exit(127, "sh: 1: kubeadm: not found") {
            case .version(let version):
                await onOutput(OutputLine(source: .stdout, content: OutputSanitizer().sanitize(version)))
                return ExecutionResult(status: .exited(0), duration: .zero)
            case .exit(let code, let stderr):
                return ExecutionResult(status: .exited(code), duration: .zero, stderrLineCount: 1, stderrTail: [stderr])
            case .error(let kind):
                throw ExecutorError(kind, node: node.name, "\(node.name): connection refused by 10.0.0.9:22; is sshd running there?")
            }
        }
    }

    static func node(_ name: String, kubelet: String = "v1.33.2", boot: String = "boot-1", labels: [String: String] = [:]) -> Node {
        var info = NodeSystemInfo(kubeletVersion: kubelet)
        info.bootID = boot
        return Node(metadata: ObjectMeta(name: name, labels: labels),
                    status: NodeStatus(nodeInfo: info, addresses: [NodeAddress(type: "InternalIP", address: "10.0.0.9")]))
    }

    static func temporaryRoot() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("kubeadm-prober-\(UUID().uuidString)")
    }

    @Test func probesRunAFewAtATimeInTheBackgroundAndEachFailureSaysWhy() async throws {
        var answers: [String: Nodes.Answer] = [:]
        for i in 1...12 { answers[String(format: "node%02d", i)] = .version("v1.33.\(i)") }
        answers["node03"] = .exit(127, "sh: 1: kubeadm: not found")
        answers["node04"] = .error(.connectionRefused)
        answers["node05"] = .version("banana")
        let executor = Nodes(answers, held: true)
        let probes = KubeadmProbes()
        let prober = KubeadmProber(probes: probes, executor: executor, concurrency: 3, onOpen: .probe, cache: nil)
        let nodes = (1...12).map { Self.node(String(format: "node%02d", $0)) }
        await prober.consider(nodes)
        // While the nodes have not answered, the screen says so: every node is probing, three are asked at once.
        #expect(probes.statuses.count == 12)
        #expect(probes.statuses.values.allSatisfy { $0 == .probing })
        await waitFor { executor.inFlight >= 3 }
        executor.release()
        await prober.waitUntilIdle()
        #expect(executor.mostAtOnce == 3)
        #expect(executor.calls.count == 12 && executor.calls.values.allSatisfy { $0 == 1 })
        #expect(probes.statuses["node01"]?.version == "v1.33.1")
        #expect(probes.statuses["node12"]?.version == "v1.33.12")
        guard case .failed(let short3, let reason3, _)? = probes.statuses["node03"] else { Issue.record("node03: \(String(describing: probes.statuses["node03"]))"); return }
        #expect(short3 == "missing")
        #expect(reason3 == "node03: kubeadm is not installed (or not on the PATH): sh: 1: kubeadm: not found")
        guard case .failed(let short4, let reason4, _)? = probes.statuses["node04"] else { Issue.record("node04"); return }
        #expect(short4 == "refused")
        #expect(reason4.contains("connection refused by 10.0.0.9:22"))
        // What a node prints is validated: `banana` is not shown as its kubeadm.
        guard case .failed(let short5, let reason5, _)? = probes.statuses["node05"] else { Issue.record("node05"); return }
        #expect(short5 == "bad out")
        #expect(reason5.contains("gave no version (printed 'banana')") || reason5.contains("gave no version (printed banana)"), "\(reason5)")
        var snapshot = ClusterSnapshot(nodes: nodes)
        probes.merge(into: &snapshot)
        #expect(snapshot.kubeadmVersions["node02"] == "v1.33.2")
        #expect(snapshot.kubeadmVersions["node03"] == nil)
    }

    @Test func aNodeIsAskedOncePerBootAndKubeletAndTheCacheAnswersTheNextStart() async throws {
        let root = Self.temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let executor = Nodes(["node01": .version("v1.33.2"), "node02": .version("v1.32.7")])
        let cache = try #require(KubeadmProbeCache(root: root, clusterUID: "5f1c2a7e-0b9d-4c61-9a57-1d1e6f0c2b11"))
        let first = KubeadmProber(probes: KubeadmProbes(), executor: executor, onOpen: .probe, cache: cache)
        let nodes = [Self.node("node01"), Self.node("node02", kubelet: "v1.32.7")]
        await first.consider(nodes)
        await first.waitUntilIdle()
        // A heartbeat (the same boot and kubelet) asks nothing more.
        await first.consider(nodes)
        await first.waitUntilIdle()
        #expect(executor.calls == ["node01": 1, "node02": 1])
        let attributes = try FileManager.default.attributesOfItem(atPath: cache.file.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        // The next start: the cache answers, and says so.
        let probes = KubeadmProbes()
        let second = KubeadmProber(probes: probes, executor: executor, onOpen: .probe, cache: cache)
        await second.consider(nodes)
        await second.waitUntilIdle()
        #expect(executor.calls == ["node01": 1, "node02": 1])
        guard case .found("v1.33.2", _, cached: true)? = probes.statuses["node01"] else {
            Issue.record("node01 not from the cache: \(String(describing: probes.statuses["node01"]))"); return
        }
        // node01 rebooted, node02's kubelet was upgraded: both are asked again, on this start and the next.
        let changed = [Self.node("node01", boot: "boot-2"), Self.node("node02", kubelet: "v1.33.2")]
        await second.consider(changed)
        await second.waitUntilIdle()
        #expect(executor.calls == ["node01": 2, "node02": 2])
        guard case .found(_, _, cached: false)? = probes.statuses["node01"] else { Issue.record("node01 not asked"); return }
        let third = KubeadmProber(probes: KubeadmProbes(), executor: executor, onOpen: .probe, cache: cache)
        await third.consider(changed)
        await third.waitUntilIdle()
        #expect(executor.calls == ["node01": 2, "node02": 2], "the new boot's answer was cached")
    }

    @Test func noProbeAsksNothingUntilTheKeyAndManagedNodesAreNeverAsked() async throws {
        let executor = Nodes(["node01": .version("v1.33.2"), "node02": .version("v1.33.2")])
        let probes = KubeadmProbes()
        let prober = KubeadmProber(probes: probes, executor: executor, onOpen: .wait(reason: "--no-probe: not asked"), cache: nil)
        let eks = Self.node("ip-10-0-1-2.ec2.internal", kubelet: "v1.33.3-eks-3025e55")
        await prober.consider([Self.node("node01"), Self.node("node02"), eks])
        await prober.waitUntilIdle()
        #expect(executor.calls.isEmpty)
        #expect(probes.statuses["node01"] == .notProbed(reason: "--no-probe: not asked"))
        #expect(probes.statuses[eks.name] == .notKubeadm(reason: "Amazon EKS node: not managed by kubeadm, so not asked"))
        // The key: the marked node only, then every node kubeadm manages.
        #expect(await prober.reprobe(["node01"]) == 1)
        await prober.waitUntilIdle()
        #expect(executor.calls == ["node01": 1])
        #expect(await prober.reprobe([]) == 2)
        await prober.waitUntilIdle()
        #expect(executor.calls == ["node01": 2, "node02": 1])
        #expect(probes.statuses["node02"]?.version == "v1.33.2")
    }

    @Test func quittingStopsTheProbesInFlight() async throws {
        let executor = Nodes(["node01": .version("v1.33.2")], held: true)
        let probes = KubeadmProbes()
        let prober = KubeadmProber(probes: probes, executor: executor, onOpen: .probe, cache: nil)
        await prober.consider([Self.node("node01")])
        await waitFor { executor.inFlight >= 1 }
        await prober.stop()
        // The held probe was cancelled: its executor call returned without the gate opening.
        await waitFor { executor.inFlight == 0 }
        #expect(probes.statuses["node01"] == .probing, "a probe cut short by quitting is not an answer")
        await prober.consider([Self.node("node01", boot: "boot-2")])
        #expect(executor.calls == ["node01": 1], "a stopped prober asks nothing more")
    }
}
