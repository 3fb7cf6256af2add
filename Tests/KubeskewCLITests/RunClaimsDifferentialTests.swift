import Foundation
import KubeClient
import KubeModel
import NodeExec
import Simulator
import SkewCore
import Synchronization
import Testing
import TestSupport
@testable import TUI
import Upgrade
@testable import KubeskewCLI

/// Issue 11: "A differential test: after random abort/quit/resume sequences on the simulator, every claim the run makes
/// (summary, dialogs, table cells) matches the cluster as `kubectl` reads it."
///
/// Each round drives the guided upgrade as the dashboard does (a `GuidedSession` on `kubeskew sim --scenario demo`, its
/// inbox applied to a dashboard state), freezes the run at a random command (every command of the run then waits at
/// a gate, so what is on screen cannot move), stops it the way a seeded choice says (abort `A`, quit `q` + `y`, or a
/// lost terminal), and then compares with the real `kubectl`: the quit dialog's words, the run's summary and the
/// node table's cells. The next round resumes the run from its journal; the last one lets it finish.
///
/// Seeds 100…124 were tried; kept are those that found something on the way: 29 (a resumed node waiting with steps
/// done was called "untouched"), 108 (an abort while the drain was about to start was summarised "left cordoned"),
/// 123 (an operator's cordon went unmentioned in the summary of an aborted node).
@Suite(.serialized, .timeLimit(.minutes(10)))
struct RunClaimsDifferentialTests {
    static let nodes = ["node02", "node04", "node07", "node06"]

    @Test(arguments: [UInt64(11), 29, 47, 108, 123])
    func everyClaimMatchesTheCluster(seed: UInt64) async throws {
        var random = SeededRandom(seed: seed)
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let client = KubeAPIClient(config: try KubeconfigLoader.load(explicitPath: sim.kubeconfig.path, environment: [:]))
        let journal = Journal(root: sim.directory.appendingPathComponent("runs"))
        let identity = try await runIdentity(client, executor: ExecutorIdentity(kind: "simulated"))
        let cluster = KubectlView(kubeconfig: sim.kubeconfig.path)
        let before = try await cluster.nodes(Self.nodes)

        var runID: String?
        for round in 0..<4 {
            let freezeAt = round == 3 ? nil : Int.random(in: 1...40, using: &random)
            let session = try Session(client: client, journal: journal, identity: identity, kubeconfig: sim.kubeconfig.path,
                                      freezeAt: freezeAt)
            if let runID {
                try await session.resume(runID)
            } else {
                session.guided.onUpgrade(.plan(nodes: Self.nodes))
                _ = await session.next { if case .planReady = $0 { true } else { nil } }
                // Preflight's commands are not the run's: the count starts with the run.
                session.freezer.arm()
                session.guided.onUpgrade(.start(nodes: Self.nodes))
            }
            let frozen = await session.frozenOrFinished()
            runID = runID ?? journal.runIDs().first
            let id = try #require(runID)
            var claims: [String] = []
            let how = frozen ? ["abort", "quit", "hangup"].randomElement(using: &random)! : "finished"
            var state: RunState?
            switch how {
            case "abort":
                session.guided.onUpgrade(.abort)
                _ = await session.next { if case .runFinished = $0 { true } else { nil } }
                state = try journal.loadState(id)
            case "quit":
                claims = session.quitDialog()
                state = await session.guided.stopForQuit(prefix: "test").state
            case "hangup":
                // Stops after the steps in flight: the frozen one is let through once the stop is asked for.
                async let stopped = session.guided.stop(after: .terminalLost, prefix: "test")
                await session.driverIsStopping()
                session.freezer.thaw()
                state = await stopped.state
            default:
                state = try journal.loadState(id)
            }
            let plan = try journal.loadPlan(id)
            let final = try #require(state)
            let summary = GuidedUpgradeDriver.summary(final, plan: plan)
            let live = try await cluster.nodes(Self.nodes)
            let context = "seed \(seed), round \(round), frozen at command \(freezeAt.map(String.init) ?? "-"), \(how)"
            Self.check(summary: summary, plan: plan, live: live, target: plan.target.description, before: before, context)
            Self.check(dialog: claims, plan: plan, live: live, target: plan.target.description, before: before, context)
            try await Self.checkTable(client: client, live: live, context)
            session.freezer.thaw()
            // The operator closes this dashboard; the next round is another one, which resumes the run.
            _ = await session.guided.stopForQuit(prefix: "test")
            if final.allDone { break }
        }
        let live = try await cluster.nodes(Self.nodes)
        for node in Self.nodes {
            #expect(live[node]?.kubelet == "v1.33.3", "seed \(seed): \(node) ends at the target")
        }
        #expect(live["node06"]?.cordoned == true, "seed \(seed): node06 was cordoned by its operator and stays so")
        #expect(Self.nodes.filter { $0 != "node06" }.allSatisfy { live[$0]?.cordoned == false },
                "seed \(seed): the run lifted its own cordons: \(live)")
        await client.shutdown()
    }

    // MARK: claims against the cluster

    /// `run …: node02, node04 now v1.33.3; node06 left cordoned (cordoned before the run); node07 aborted (left
    /// cordoned); 1 not started`.
    static func check(summary: String, plan: RunPlan, live: [String: KubectlView.Node], target: String,
                      before: [String: KubectlView.Node], _ context: String) {
        let body = summary.split(separator: ":", maxSplits: 1).last.map(String.init) ?? ""
        for part in body.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if part.hasSuffix("now \(target)") {
                for node in part.dropLast("now \(target)".count).split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                    #expect(live[node]?.kubelet == target, "\(context): the summary says \(node) now \(target); kubectl: \(live[node].map(String.init(describing:)) ?? "?")\n\(summary)")
                    let keptCordon = plan.nodes.first { $0.node == node }?.wasCordoned == true
                    #expect(live[node]?.cordoned == keptCordon, "\(context): \(node) done; kubectl: \(live[node].map(String.init(describing:)) ?? "?")")
                }
            } else if let match = part.firstMatch(of: /^(node[0-9]+) (aborted|failed)( \(left cordoned[^)]*\))?$/) {
                let node = String(match.output.1)
                #expect(live[node]?.cordoned == (match.output.3 != nil),
                        "\(context): the summary says \"\(part)\"; kubectl: \(live[node].map(String.init(describing:)) ?? "?")\n\(summary)")
            }
        }
    }

    /// The quit dialog's node lines: `node02: upgraded`, `node04: stopped in install kubelet… (4/8), left cordoned`,
    /// `node07: not started, untouched`. Words that leave it open (a drain caught running) claim nothing to check.
    static func check(dialog lines: [String], plan: RunPlan, live: [String: KubectlView.Node], target: String,
                      before: [String: KubectlView.Node], _ context: String) {
        for line in lines {
            guard let match = line.firstMatch(of: /^ *(node[0-9]+): (.*)$/) else { continue }
            let node = String(match.output.1), words = String(match.output.2)
            let operatorCordon = plan.nodes.first { $0.node == node }?.wasCordoned == true
            let seen = live[node].map(String.init(describing:)) ?? "?"
            if words == "upgraded" {
                #expect(live[node]?.kubelet == target && live[node]?.cordoned == operatorCordon, "\(context): dialog \"\(line)\"; kubectl: \(seen)")
            } else if words == "not started, untouched" {
                #expect(live[node] == before[node], "\(context): dialog \"\(line)\"; kubectl: \(seen), before the run: \(before[node].map(String.init(describing:)) ?? "?")")
            } else if words.hasSuffix(", left cordoned") {
                #expect(live[node]?.cordoned == true, "\(context): dialog \"\(line)\"; kubectl: \(seen)")
            } else if words.hasSuffix(", not cordoned by the run") {
                #expect(live[node]?.cordoned == operatorCordon, "\(context): dialog \"\(line)\"; kubectl: \(seen)")
            }
        }
    }

    /// The node table as the dashboard draws it from the cluster now: each row's kubelet and cordon are kubectl's.
    static func checkTable(client: KubeAPIClient, live: [String: KubectlView.Node], _ context: String) async throws {
        let snapshot = try await ClusterSnapshotLoader.load(client)
        let assessment = Assessor(context: AssessmentContext(today: DataOptions.currentDay())).assess(snapshot.facts())
        var table = DashboardState(width: 200, height: 40)
        _ = table.update(.snapshotChanged(DashboardData(snapshot: snapshot, assessment: assessment)))
        let rows = DashboardView.render(table).text.split(separator: "\n").map(String.init)
        for (node, seen) in live {
            let row = try #require(rows.first { $0.contains(" \(node) ") }, "\(context): no row for \(node)")
            #expect(row.contains(seen.kubelet), "\(context): the table's row for \(node) does not show kubelet \(seen.kubelet): \(row)")
            #expect(row.contains("cordoned") == seen.cordoned, "\(context): the table's row for \(node) and kubectl disagree on its cordon: \(row)")
        }
    }

    // MARK: plumbing

    /// One dashboard's guided session with a freezer in front of both executors and the inbox applied to a state.
    final class Session: @unchecked Sendable {
        let guided: GuidedSession
        let inbox: DashboardInbox
        let freezer: Freezer
        var screen = DashboardState(width: 160, height: 50)

        init(client: KubeAPIClient, journal: Journal, identity: RunIdentity, kubeconfig: String, freezeAt: Int?) throws {
            inbox = try DashboardInbox()
            freezer = Freezer(after: freezeAt)
            guided = GuidedSession(setup: GuidedUpgradeDriver.Setup(
                client: client, context: AssessmentContext(today: DataOptions.currentDay()), journal: journal,
                nodeExecutor: FreezingExecutor(RemoteSimulatedExecutor(client: client), freezer),
                controlPlaneExecutor: FreezingExecutor(LocalExecutor(), freezer),
                kubectl: KubectlCommand.argv(context: client.config.contextName, kubeconfigFiles: [kubeconfig]),
                drainTimeoutSeconds: 60, concurrency: 1, kubeadmProbes: KubeadmProbes(), identity: identity), inbox: inbox)
        }

        /// Applies what the inbox holds to the screen state, as the runtime does; returns the upgrade events.
        func pump() -> [UpgradeEvent] {
            var events: [UpgradeEvent] = []
            for item in inbox.drain() {
                guard case .message(let message) = item else { continue }
                _ = screen.update(message)
                if case .upgrade(let event) = message { events.append(event) }
            }
            screen.screenDrawn()
            return events
        }

        /// The first upgrade event `pick` recognises; nil at once when a notice comes first and `notice` takes it
        /// (a request refused says so in a notice).
        func next<T>(notice: ((String) -> Void)? = nil, _ pick: (UpgradeEvent) -> T?) async -> T? {
            while !Task.isCancelled {
                for item in inbox.drain() {
                    guard case .message(let message) = item else { continue }
                    _ = screen.update(message)
                    if case .notice(let text) = message, let notice {
                        notice(text)
                        return nil
                    }
                    if case .upgrade(let event) = message, let found = pick(event) { return found }
                }
                screen.screenDrawn()
                try? await Task.sleep(for: .milliseconds(10))
            }
            return nil
        }

        struct ResumeRefused: Error, CustomStringConvertible {
            let message: String
            var description: String { "the resume was refused: \(message)" }
        }

        /// Resumes `runID`, answering yes when the cluster does not show what the journal says; the freezer counts
        /// from the resumed run's start (the reconciliation's checks are not the run's commands).
        func resume(_ runID: String) async throws {
            freezer.arm()
            freezer.pause(true)
            guided.onUpgrade(.resumeInterrupted(runID: runID))
            var refusal: String?
            let mismatch = await next(notice: { refusal = $0 }) { event -> Bool? in
                switch event {
                case .resumeMismatch: return true
                case .runStarted: return false
                default: return nil
                }
            }
            if let refusal { throw ResumeRefused(message: refusal) }
            if mismatch == true {
                guided.onUpgrade(.resumeRunningAgain(runID: runID))
                _ = await next { if case .runStarted = $0 { true } else { nil } }
            }
            freezer.pause(false)
        }

        /// Waits until a command of the run waits at the freezer (true) or the run finished (false); the screen
        /// then holds every event up to that point.
        func frozenOrFinished() async -> Bool {
            while !Task.isCancelled {
                if freezer.waiting > 0 {
                    _ = pump()
                    return true
                }
                if pump().contains(where: { if case .runFinished = $0 { true } else { false } }) { return false }
                try? await Task.sleep(for: .milliseconds(10))
            }
            return false
        }

        /// `q` on the frozen run: the dialog's lines, as the operator reads them before `y`.
        func quitDialog() -> [String] {
            _ = pump()
            _ = screen.update(.key(.char("q")))
            guard case .confirm(let dialog) = screen.overlay else { return [] }
            return dialog.message
        }

        func driverIsStopping() async {
            // The driver marks itself closed at once; the hangup stop then waits for the frozen step.
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Counts the run's commands and, from the `after`-th on, holds each at a gate until thawed or cancelled.
    /// kubeadm version probes (the KUBEADM column's reads) pass: they are not steps.
    final class Freezer: Sendable {
        private let state: Mutex<(count: Int, waiting: Int, armed: Bool, paused: Bool)> = Mutex((0, 0, false, false))
        private let gate = Gate()
        let after: Int?

        init(after: Int?) { self.after = after }

        var waiting: Int { state.withLock { $0.waiting } }

        /// From now on commands are counted.
        func arm() { state.withLock { $0.armed = true } }
        /// While paused, commands pass uncounted (the resume's reconciliation checks).
        func pause(_ paused: Bool) { state.withLock { $0.paused = paused } }
        func thaw() { gate.open() }

        /// False when the task was cancelled while it waited.
        func pass(_ argv: [String]) async -> Bool {
            guard let after, !argv.starts(with: ["kubeadm", "version"]) else { return true }
            let hold = state.withLock { s -> Bool in
                guard s.armed, !s.paused else { return false }
                s.count += 1
                if s.count >= after { s.waiting += 1 }
                return s.count >= after
            }
            guard hold else { return true }
            defer { state.withLock { $0.waiting -= 1 } }
            return await gate.wait()
        }
    }

    struct FreezingExecutor: NodeExecutor {
        let inner: any NodeExecutor
        let freezer: Freezer
        init(_ inner: any NodeExecutor, _ freezer: Freezer) { self.inner = inner; self.freezer = freezer }
        var name: String { inner.name }
        var reachesOneMachineOnly: Bool { inner.reachesOneMachineOnly }
        func nodeDestination(for node: NodeTarget) async throws(ExecutorError) -> NodeDestination { try await inner.nodeDestination(for: node) }
        func run(_ command: CommandSpec, on node: NodeTarget, onOutput: @escaping OutputHandler) async throws(ExecutorError) -> ExecutionResult {
            guard await freezer.pass(command.argv) else { return ExecutionResult(status: .cancelled, duration: .zero) }
            return try await inner.run(command, on: node, onOutput: onOutput)
        }
    }

    /// The nodes as the real kubectl reads them.
    struct KubectlView {
        struct Node: Equatable, CustomStringConvertible {
            let kubelet: String
            let cordoned: Bool
            var description: String { "kubelet \(kubelet)\(cordoned ? ", cordoned" : "")" }
        }
        let kubeconfig: String

        func nodes(_ names: [String]) async throws -> [String: Node] {
            let out = try await BinaryRunner.kubectl(["--kubeconfig", kubeconfig, "get", "nodes", "-o",
                                                      "jsonpath={range .items[*]}{.metadata.name} {.status.nodeInfo.kubeletVersion} {.spec.unschedulable}{\"\\n\"}{end}"])
            var nodes: [String: Node] = [:]
            for line in out.stdout.split(separator: "\n") {
                let fields = line.split(separator: " ").map(String.init)
                guard fields.count >= 2, names.contains(fields[0]) else { continue }
                nodes[fields[0]] = Node(kubelet: fields[1], cordoned: fields.count > 2 && fields[2] == "true")
            }
            return nodes
        }
    }
}
