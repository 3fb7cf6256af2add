import Foundation
import NodeExec
import PropertyBased
import Synchronization
import Testing
@testable import Upgrade

/// Random sequences of operator requests (retry, skip, pause, resume, abort, a second start) and step outcomes
/// (success, failure, already done, slow) at concurrency 1–4, on plans the real Planner makes from the shipped apt
/// runbook. Whatever the order, no node runs two steps (or one step twice) at once, every transition is legal,
/// nothing starts after an abort, and the journal agrees with what ran.
@Suite(.timeLimit(.minutes(3))) struct EngineLoopPropertyTests {
    static let nodes = ["node01", "node02", "node03"]

    @Test func randomRequestsAndOutcomesNeverRunAStepTwiceAndOnlyMakeLegalTransitions() async {
        await propertyCheck(count: 100, input: Gen.int(in: 1...4), Gen.int(in: 0...20).array(of: 0...10),
                            Gen.int(in: 0...11).array(of: 1...12), Gen.bool) { concurrency, requests, outcomes, endWithAbort in
            do {
                let violations = try await Self.scenario(concurrency: concurrency, requests: requests, outcomes: outcomes, endWithAbort: endWithAbort)
                #expect(violations.isEmpty, "concurrency \(concurrency), requests \(requests), outcomes \(outcomes): \(violations)")
            } catch {
                Issue.record("concurrency \(concurrency), requests \(requests), outcomes \(outcomes): \(error)")
            }
        }
    }

    /// Runs one scenario; returns what broke the rules, in words.
    static func scenario(concurrency: Int, requests: [Int], outcomes: [Int], endWithAbort: Bool) async throws -> [String] {
        // Memory-backed when the machine has it: a scenario writes the journal some fifty times.
        let shm = URL(fileURLWithPath: "/dev/shm")
        let base = FileManager.default.isWritableFile(atPath: shm.path) ? shm : FileManager.default.temporaryDirectory
        let journal = Journal(root: base.appendingPathComponent("kubeskew-journal-\(UUID().uuidString)"))
        defer { try? FileManager.default.removeItem(at: journal.root) }
        let plan = try ShippedPlans.plan(nodes, concurrency: concurrency)
        let trace = RunTrace()
        let executor = ScenarioExecutor(plan: plan, outcomes: outcomes, trace: trace)
        let engine = try UpgradeEngine(plan: plan, journal: journal, nodeExecutor: executor, controlPlaneExecutor: executor,
                                       gate: executor, options: EngineOptions(concurrency: concurrency), onEvent: { trace.add(.event($0)) })
        try await engine.start()
        for code in requests {
            let node = nodes[code / 7 % nodes.count]
            switch code % 7 {
            case 0:
                trace.add(.asked(.retry, node))
                do { try await engine.retry(node: node) } catch { trace.add(.refused(.retry, node)) }
            case 1:
                trace.add(.asked(.skip, node))
                do { try await engine.skipFailedStep(node: node) } catch { trace.add(.refused(.skip, node)) }
            case 2: await engine.pauseAfterCurrentNodes()
            case 3: try? await engine.resume()
            case 4:
                await engine.abort()
                trace.add(.abortReturned)
            case 5:
                // A second loop is refused while one runs; when none runs it is a fresh start and may go on.
                let wasRunning = await engine.isRunning
                do {
                    try await engine.start()
                } catch {
                    trace.add(.startRefused(wasRunning: wasRunning))
                }
            default: try? await Task.sleep(for: .microseconds(300))
            }
            await Task.yield()
        }
        if endWithAbort {
            await engine.abort()
            trace.add(.abortReturned)
        }
        let final = await engine.finished()
        var violations = trace.check(plan: plan)
        let replayed = trace.replayedSteps(plan: plan)
        if (try? journal.loadState(plan.id)) != final { violations.append("the journal differs from the engine's state") }
        for node in final.nodes {
            if node.steps.map(\.state) != replayed[node.node] {
                violations.append("\(node.node): journal \(node.steps.map(\.state.rawValue)), events \(replayed[node.node]!.map(\.rawValue))")
            }
            if node.status == .running { violations.append("\(node.node) still running after the loop ended") }
            if node.status == .done && !node.steps.allSatisfy({ $0.state == .done || $0.state == .skipped }) {
                violations.append("\(node.node) done with steps not done")
            }
        }
        return violations
    }
}

/// Everything one scenario did, in one order: executor calls, engine events and the test's requests.
final class RunTrace: Sendable {
    enum Request: Sendable { case retry, skip }
    enum Entry: Sendable {
        /// `cancelled`: the call began in a cancelled task (a real executor then starts nothing, or stops at once).
        case begin(node: String, what: String, cancelled: Bool)
        case end(node: String)
        case event(EngineEvent)
        /// Recorded before the request is made (its effect can come before the call returns).
        case asked(Request, String)
        case refused(Request, String)
        case abortReturned
        case startRefused(wasRunning: Bool)
        case overlap(node: String, what: String, running: String)
    }
    private struct Inside {
        var entries: [Entry] = []
        var active: [String: String] = [:]
    }
    private let inside = Mutex(Inside())

    func add(_ entry: Entry) { inside.withLock { $0.entries.append(entry) } }

    /// An executor call began on `node`: a second one at the same time is recorded as an overlap.
    func begin(node: String, what: String) {
        let cancelled = Task.isCancelled
        inside.withLock { s in
            if let running = s.active[node] { s.entries.append(.overlap(node: node, what: what, running: running)) }
            s.active[node] = what
            s.entries.append(.begin(node: node, what: what, cancelled: cancelled))
        }
    }

    func end(node: String) {
        inside.withLock { s in
            s.active[node] = nil
            s.entries.append(.end(node: node))
        }
    }

    var entries: [Entry] { inside.withLock { $0.entries } }

    /// Replays the trace against the rules; returns the broken ones.
    func check(plan: RunPlan) -> [String] { replay(plan: plan).violations }

    /// Each node's step states as the events tell them (an accepted retry not run yet leaves its step pending).
    func replayedSteps(plan: RunPlan) -> [String: [StepState]] { replay(plan: plan).steps }

    private func replay(plan: RunPlan) -> (violations: [String], steps: [String: [StepState]]) {
        var steps = Dictionary(uniqueKeysWithValues: plan.nodes.map { ($0.node, [StepState](repeating: .pending, count: $0.steps.count)) })
        var retries: [String: Int] = [:], skips: [String: Int] = [:]
        var aborted = false
        var violations: [String] = []
        for entry in entries {
            switch entry {
            case let .overlap(node, what, running):
                violations.append("\(node): `\(what)` began while `\(running)` ran")
            case let .begin(node, what, cancelled):
                // After an abort only the steps in flight may still call, and only as cancelled calls.
                if aborted && !cancelled { violations.append("\(node): `\(what)` began after the abort in a task not cancelled") }
                let running = steps[node]!.filter { $0 == .running }.count
                if running != 1 { violations.append("\(node): `\(what)` ran while \(running) steps were running") }
            case .end: break
            case let .asked(.retry, node): retries[node, default: 0] += 1
            case let .refused(.retry, node): retries[node, default: 0] -= 1
            case let .asked(.skip, node): skips[node, default: 0] += 1
            case let .refused(.skip, node): skips[node, default: 0] -= 1
            case .abortReturned: aborted = true
            case let .startRefused(wasRunning):
                if !wasRunning && !aborted { violations.append("start() refused with no loop running and no abort") }
            case let .event(event):
                switch event {
                case let .stepStarted(node, s, _):
                    if aborted { violations.append("\(node): step \(s) started after the abort") }
                    if steps[node]!.contains(.running) { violations.append("\(node): step \(s) started while another ran") }
                    if !steps[node]![..<s].allSatisfy({ $0 == .done || $0 == .skipped }) {
                        violations.append("\(node): step \(s) started before the steps ahead of it finished")
                    }
                    switch steps[node]![s] {
                    case .pending: break
                    case .failed:
                        if retries[node, default: 0] > 0 { retries[node]! -= 1 } else {
                            violations.append("\(node): failed step \(s) started again without a retry")
                        }
                    case let other: violations.append("\(node): step \(s) started from \(other)")
                    }
                    steps[node]![s] = .running
                case let .stepFinished(node, s, record):
                    switch (steps[node]![s], record.state) {
                    case (.running, .done), (.running, .skipped), (.running, .failed), (.running, .pending): break
                    case (.failed, .skipped):
                        if skips[node, default: 0] > 0 { skips[node]! -= 1 } else {
                            violations.append("\(node): failed step \(s) skipped without a skip")
                        }
                    case let (from, to): violations.append("\(node): step \(s) went \(from) → \(to)")
                    }
                    steps[node]![s] = record.state
                case let .nodeFinished(node, status):
                    if steps[node]!.contains(.running) { violations.append("\(node) finished (\(status)) with a step running") }
                default: break
                }
            }
        }
        for (node, pending) in retries where pending > 0 {
            if let f = steps[node]!.firstIndex(of: .failed) { steps[node]![f] = .pending }
        }
        return (violations, steps)
    }
}

/// Node executor, control-plane executor and node gate in one: each call's outcome comes from the scenario's list
/// (success, failure, already done, slow), and every call is traced with the node it acts on.
final class ScenarioExecutor: NodeExecutor, NodeGate, Sendable {
    let name = "scenario"
    private let plan: RunPlan
    private let outcomes: [Int]
    private let trace: RunTrace
    private let counters = Mutex<[String: Int]>([:])

    init(plan: RunPlan, outcomes: [Int], trace: RunTrace) {
        self.plan = plan
        self.outcomes = outcomes.isEmpty ? [0] : outcomes
        self.trace = trace
    }

    enum Outcome { case success, failure, alreadyDone, slow(Int) }

    private func outcome(_ node: String) -> Outcome {
        let n = counters.withLock { c in
            defer { c[node, default: 0] += 1 }
            return c[node, default: 0]
        }
        let salt = plan.nodes.firstIndex { $0.node == node } ?? 0
        switch outcomes[(n + salt * 5) % outcomes.count] {
        case 0...5: return .success
        case 6, 7: return .failure
        case 8, 9: return .alreadyDone
        case let code: return .slow(code - 9)
        }
    }

    /// Control-plane commands run on this machine and name the node in their argv.
    private func node(for argv: [String], on target: NodeTarget) -> String {
        if target.name != NodeTarget.localhost.name { return target.name }
        return plan.nodes.first { argv.contains($0.node) }?.node ?? target.name
    }

    func run(_ command: CommandSpec, on target: NodeTarget, onOutput: @escaping OutputHandler) async throws(ExecutorError) -> ExecutionResult {
        let node = node(for: command.argv, on: target)
        let line = command.argv.joined(separator: " ")
        trace.begin(node: node, what: line)
        defer { trace.end(node: node) }
        let check = plan.nodes.first { $0.node == node }?.steps.compactMap(\.check).flatMap(\.probes).first { $0.argv == command.argv }
        switch outcome(node) {
        case .alreadyDone where check != nil:
            // Print what the probe looks for (a `*` of a listed line matches the empty string).
            let printed = check?.expectOutput.map { [$0] } ?? (check?.expectLines ?? []).map { $0.replacingOccurrences(of: "*", with: "") }
            for text in printed { await onOutput(OutputLine(source: .stdout, content: OutputSanitizer().sanitize(text))) }
            return ExecutionResult(status: .exited(0), duration: .zero)
        case _ where check != nil:
            return ExecutionResult(status: .exited(1), duration: .zero)
        case .failure:
            return ExecutionResult(status: .exited(1), duration: .zero, stderrTail: ["scripted failure"])
        case let .slow(ms):
            do { try await Task.sleep(for: .microseconds(300 * ms)) } catch {
                return ExecutionResult(status: .cancelled, duration: .zero)
            }
            return ExecutionResult(status: .exited(0), duration: .zero)
        case .success, .alreadyDone:
            return ExecutionResult(status: .exited(0), duration: .zero)
        }
    }

    /// The property runs use worker plans only: no control-plane wait is planned.
    func waitForControlPlane(_ node: String, version: String, timeout: Duration) async throws -> String? {
        Issue.record("a worker plan waited for a control plane")
        return "not a control-plane node"
    }

    func waitForNode(_ node: String, kubelet version: String, timeout: Duration) async throws -> String? {
        trace.begin(node: node, what: "wait for \(node)")
        defer { trace.end(node: node) }
        switch outcome(node) {
        case .failure: return "NotReady"
        case let .slow(ms): try await Task.sleep(for: .microseconds(300 * ms))
        default: break
        }
        return nil
    }
}
