import Foundation
import NodeExec
import SkewCore

/// Runs a plan: one state machine per node, `concurrency` nodes at a time, every transition journaled before and
/// after it happens. A failed step stops its node (left cordoned when the drain ran) and, by default, the run.
public actor UpgradeEngine {
    public let plan: RunPlan
    private let journal: Journal
    private let nodeExecutor: any NodeExecutor
    private let controlPlaneExecutor: any NodeExecutor
    private let gate: any NodeGate
    private let options: EngineOptions
    private let onEvent: @Sendable (EngineEvent) -> Void
    public private(set) var state: RunState
    private var abortRequested = false
    private var stopStarting = false
    /// Why the run stops once the steps in flight end (`stopAfterCurrentSteps`), e.g. "hangup".
    private var stopAfterSteps: String?

    /// A new run (journal created) or, with `resuming`, the continuation of an interrupted one.
    public init(
        plan: RunPlan, resuming: RunState? = nil, journal: Journal, nodeExecutor: any NodeExecutor,
        controlPlaneExecutor: any NodeExecutor, gate: any NodeGate, options: EngineOptions = EngineOptions(),
        onEvent: @escaping @Sendable (EngineEvent) -> Void
    ) throws {
        self.plan = plan
        self.journal = journal
        self.nodeExecutor = nodeExecutor
        self.controlPlaneExecutor = controlPlaneExecutor
        self.gate = gate
        self.options = options
        self.onEvent = onEvent
        let pid = ProcessInfo.processInfo.processIdentifier
        if var resumed = resuming {
            // Whatever was in flight when the run stopped is run again (after its check), failed steps are retried.
            resumed.pid = pid
            resumed.endedAt = nil
            resumed.aborted = false
            resumed.resumeDeclinedAt = nil
            resumed.stoppedBy = nil
            for n in resumed.nodes.indices where resumed.nodes[n].status != .done {
                resumed.nodes[n].status = .pending
                for s in resumed.nodes[n].steps.indices where resumed.nodes[n].steps[s].state == .running || resumed.nodes[n].steps[s].state == .failed {
                    resumed.nodes[n].steps[s].state = .pending
                }
            }
            state = resumed
        } else {
            try journal.create(plan)
            state = RunState(plan: plan, pid: pid, startedAt: Self.now())
        }
        try journal.save(state)
    }

    /// Runs until every node is settled, the run stops on a failure, or it is aborted.
    public func run() async -> RunState {
        stopStarting = false
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            for index in plan.nodes.indices where !state.nodes[index].status.isSettled {
                if inFlight >= options.concurrency {
                    await group.next()
                    inFlight -= 1
                }
                if stopStarting || abortRequested { break }
                inFlight += 1
                group.addTask { await self.runNode(index) }
            }
            await group.waitForAll()
        }
        state.endedAt = Self.now()
        state.aborted = abortRequested || stopAfterSteps != nil
        state.stoppedBy = stopAfterSteps
        persist()
        onEvent(.runFinished(state))
        return state
    }

    /// Stops the run: children are cancelled (their process groups end), nodes stay as they are and are reported.
    public func abort() {
        abortRequested = true
        stopStarting = true
        for task in runningTasks.values { task.cancel() }
    }

    /// Starts no further node; the nodes in flight finish, then `run()` returns. `run()` again goes on.
    public func pauseAfterCurrentNodes() {
        stopStarting = true
    }

    /// Starts no further step: the steps in flight finish (within their own timeouts), their nodes then stop as
    /// aborted (resumable), and `run()` returns with `reason` recorded as the run's `stoppedBy`. SIGHUP uses it.
    public func stopAfterCurrentSteps(reason: String) {
        stopAfterSteps = reason
        stopStarting = true
    }

    /// After a failure: run the failed step again, then the rest of that node.
    public func retry(node: String) async -> NodeRunStatus? {
        guard let i = state.nodes.firstIndex(where: { $0.node == node }), state.nodes[i].status == .failed || state.nodes[i].status == .aborted else { return nil }
        abortRequested = false
        state.nodes[i].status = .pending
        if let s = state.nodes[i].nextStepIndex { state.nodes[i].steps[s].state = .pending }
        await runNode(i)
        return state.nodes[i].status
    }

    /// After a failure: skip the failed step when its runbook allows it, and go on with the node.
    public func skipFailedStep(node: String) async -> Result<NodeRunStatus, SkipRefused> {
        guard let i = state.nodes.firstIndex(where: { $0.node == node }), state.nodes[i].status == .failed,
              let s = state.nodes[i].nextStepIndex else { return .failure(SkipRefused(message: "\(node) has no failed step")) }
        let step = plan.nodes[i].steps[s]
        guard step.skippable else {
            return .failure(SkipRefused(message: "\(node): \(step.name) cannot be skipped; retry it or fix the node"))
        }
        state.nodes[i].steps[s].state = .skipped
        state.nodes[i].steps[s].message = "skipped by the operator after a failure"
        state.nodes[i].status = .pending
        persist()
        onEvent(.stepFinished(node: node, index: s, record: state.nodes[i].steps[s]))
        await runNode(i)
        return .success(state.nodes[i].status)
    }

    /// Why a skip was refused.
    public struct SkipRefused: Error, Sendable { public let message: String }

    // MARK: one node

    private var runningTasks: [String: Task<StepOutcome, Never>] = [:]

    private func runNode(_ i: Int) async {
        let nodePlan = plan.nodes[i]
        state.nodes[i].status = .running
        persist()
        let target: NodeTarget
        do { target = try NodeTarget(name: nodePlan.node, internalIP: nodePlan.internalIP) } catch {
            fail(i, step: state.nodes[i].nextStepIndex ?? 0, message: error.description, exit: nil)
            return
        }
        while let s = state.nodes[i].nextStepIndex {
            if abortRequested || stopAfterSteps != nil {
                state.nodes[i].status = .aborted
                persist()
                onEvent(.nodeFinished(node: nodePlan.node, status: .aborted))
                return
            }
            let step = nodePlan.steps[s]
            if step.kind == .uncordon, let reason = nodePlan.keptCordonedReason {
                // The operator's cordon predates the run: it is theirs to lift, not ours.
                skipKeptCordoned(i, step: s, reason: reason)
                continue
            }
            state.nodes[i].steps[s].state = .running
            state.nodes[i].steps[s].startedAt = Self.now()
            state.nodes[i].steps[s].endedAt = nil
            state.nodes[i].steps[s].exitStatus = nil
            state.nodes[i].steps[s].message = nil
            if step.kind == .drain { state.nodes[i].cordonedByRun = true }
            persist()
            onEvent(.stepStarted(node: nodePlan.node, index: s, record: state.nodes[i].steps[s]))

            let task = Task { await self.execute(step, index: s, on: target) }
            runningTasks[nodePlan.node] = task
            let outcome = await task.value
            runningTasks[nodePlan.node] = nil

            state.nodes[i].steps[s].endedAt = Self.now()
            state.nodes[i].steps[s].exitStatus = outcome.exitStatus
            state.nodes[i].steps[s].message = outcome.message
            switch outcome.result {
            case .done:
                state.nodes[i].steps[s].state = .done
                if step.kind == .uncordon { state.nodes[i].cordonedByRun = false }
            case .alreadyDone:
                state.nodes[i].steps[s].state = .skipped
            case .failed:
                let cancelled = abortRequested
                fail(i, step: s, message: cancelled ? "aborted by the operator" + (outcome.message.map { ": \($0)" } ?? "") : outcome.message, exit: outcome.exitStatus)
                if cancelled { state.nodes[i].status = .aborted; persist() }
                onEvent(.stepFinished(node: nodePlan.node, index: s, record: state.nodes[i].steps[s]))
                onEvent(.nodeFinished(node: nodePlan.node, status: state.nodes[i].status))
                return
            }
            persist()
            onEvent(.stepFinished(node: nodePlan.node, index: s, record: state.nodes[i].steps[s]))
        }
        state.nodes[i].status = .done
        persist()
        onEvent(.nodeFinished(node: nodePlan.node, status: .done))
    }

    private func skipKeptCordoned(_ i: Int, step s: Int, reason: String) {
        let now = Self.now()
        state.nodes[i].steps[s].state = .skipped
        state.nodes[i].steps[s].startedAt = now
        state.nodes[i].steps[s].endedAt = now
        state.nodes[i].steps[s].exitStatus = nil
        state.nodes[i].steps[s].message = reason
        // Cordoned, but not by the run: nothing for the summary to ask the operator to undo.
        state.nodes[i].cordonedByRun = false
        if let file = try? journal.logFile(run: plan.id, node: plan.nodes[i].node, step: plan.nodes[i].steps[s].id) {
            StepLog(file).append("# \(now) skipped: \(reason)")
        }
        persist()
        // The pane's output says why, where the uncordon's output would have been.
        onEvent(.output(node: plan.nodes[i].node, index: s,
                        line: OutputLine(source: .stdout, content: OutputSanitizer().sanitize("uncordon skipped: \(reason)"))))
        onEvent(.stepFinished(node: plan.nodes[i].node, index: s, record: state.nodes[i].steps[s]))
    }

    private func fail(_ i: Int, step s: Int, message: String?, exit: String?) {
        state.nodes[i].status = .failed
        if s < state.nodes[i].steps.count {
            state.nodes[i].steps[s].state = .failed
            state.nodes[i].steps[s].message = message
            state.nodes[i].steps[s].exitStatus = exit
            state.nodes[i].steps[s].endedAt = Self.now()
        }
        if options.stopOnFirstFailure { stopStarting = true }
        persist()
    }

    /// How a step ended.
    struct StepOutcome: Sendable {
        enum Result: Sendable { case done, alreadyDone, failed }
        let result: Result
        let exitStatus: String?
        let message: String?
    }

    private nonisolated func execute(_ step: PlannedStep, index: Int, on target: NodeTarget) async -> StepOutcome {
        let log = StepLog((try? journal.logFile(run: plan.id, node: target.name, step: step.id)) ?? URL(fileURLWithPath: "/dev/null"))
        let node = target.name
        let emit = onEvent
        let executor = step.location == .node ? nodeExecutor : controlPlaneExecutor
        let where_ = step.location == .node ? target : NodeTarget.localhost
        let timeout = Duration.seconds(step.timeoutSeconds)
        log.append("# \(Self.now()) \(step.name): \(step.displayLine)")
        let output: OutputHandler = { line in
            log.append(line.text)
            emit(.output(node: node, index: index, line: line))
        }

        if case let .commands(_, privileged) = step.action, let check = step.check {
            switch await check.evaluate(privileged: privileged, executor: executor, on: where_) {
            case .alreadyDone:
                let message = "already done (\(check.displayLine))"
                log.append("# skipped: \(message)")
                return StepOutcome(result: .alreadyDone, exitStatus: nil, message: message)
            case .toDo(let why): log.append("# to do: \(why)")
            case .couldNotRun(let error): log.append("# check could not run: \(error)")
            }
        }

        switch step.action {
        case let .commands(argvs, privileged):
            var last: ExecutionResult?
            for argv in argvs {
                let shown = ((privileged ? ["sudo"] : []) + argv).map(PlannedStep.shellQuoteForDisplay).joined(separator: " ")
                log.append("$ \(shown)")
                emit(.output(node: node, index: index, line: OutputLine(source: .stdout, content: OutputSanitizer().sanitize("$ " + shown))))
                do {
                    let result = try await executor.run(CommandSpec(argv, privileged: privileged, timeout: timeout), on: where_, onOutput: output)
                    log.append("# \(result.status)")
                    last = result
                    if !result.succeeded {
                        if step.kind == .drain, result.status != .cancelled, let reason = KubectlDrainOutput.reason(in: log.recentLines) {
                            return StepOutcome(result: .failed, exitStatus: result.status.description,
                                               message: "drain of \(node) failed (\(result.status)): \(reason)")
                        }
                        let tail = result.stderrTail.last.map { ": \($0)" } ?? ""
                        return StepOutcome(result: .failed, exitStatus: result.status.description, message: "\(step.name) failed: `\(shown)` \(result.status)\(tail)")
                    }
                } catch {
                    log.append("# \(error.description)")
                    return StepOutcome(result: .failed, exitStatus: nil, message: error.description)
                }
            }
            return StepOutcome(result: .done, exitStatus: last?.status.description, message: nil)
        case let .waitForNode(version):
            do {
                if let lastSeen = try await gate.waitForNode(node, kubelet: version.description, timeout: timeout) {
                    let message = "\(node) did not become Ready with kubelet \(version) within \(step.timeoutSeconds) s (last seen: \(lastSeen))"
                    log.append("# \(message)")
                    return StepOutcome(result: .failed, exitStatus: "timed out", message: message)
                }
                log.append("# \(node) is Ready with kubelet \(version)")
                return StepOutcome(result: .done, exitStatus: nil, message: nil)
            } catch {
                return StepOutcome(result: .failed, exitStatus: nil, message: "\(node): waiting for the node failed: \(error)")
            }
        }
    }

    private func persist() {
        do { try journal.save(state) } catch {
            // The journal is the run's memory: losing it is worth a loud message, but not a half-upgraded node.
            FileHandle.standardError.write(Data("kubeskew: cannot write the journal: \(error)\n".utf8))
        }
    }

    static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }
}

