import Foundation
import NodeExec
import SkewCore

/// Runs a plan: one state machine per node, `concurrency` nodes at a time, every transition journaled before and
/// after it happens. A failed step stops its node (left cordoned when the drain ran) and, by default, the run.
///
/// Who owns what (the rule every caller relies on):
/// - The engine owns ONE loop task per run (`loop`). Only that loop starts nodes, one task per node, and a node in
///   flight (`inFlight`) is never started again. The loop ends when no node is in flight and none may start.
/// - Callers never run nodes. `start()` / `run()` begin the loop and are refused while one runs. `retry`,
///   `skipFailedStep`, `pauseAfterCurrentNodes` and `resume` only change what the loop may do next and wake it
///   (or begin it when none runs).
/// - Only `abort()` cancels anything: the step tasks in flight. An abort is final for this engine: nothing starts
///   after it, and retry, skip, resume and start are refused (the run is resumed from its journal instead).
/// - Nobody cancels the loop task; callers wait for it with `finished()`.
/// - Leases (`NodeLeasing`, two operators on one cluster): a node task takes its node's Lease before its first step
///   and gives it up (`release()`, in a task of its own) when the node ends, whatever way; a node started again
///   waits for that release, and `finished()` (so `run()`) returns only once every release ended. The hold's renew
///   task is the hold's own; the engine never cancels it.
///   A node whose Lease is held by someone else ends `refused`, nothing done; a node whose Lease is lost stops at its
///   next safe point (between steps: the step running finishes, a kubeadm is never killed for it).
public actor UpgradeEngine {
    public let plan: RunPlan
    private let journal: Journal
    /// Writes `state` to the journal as it changes (see `StateWriter`).
    private var stateWriter: StateWriter
    private let nodeExecutor: any NodeExecutor
    private let controlPlaneExecutor: any NodeExecutor
    private let gate: any NodeGate
    /// Writes kubeskew's own cordons on the nodes (`CordonMark`); nil: not recorded there (tests without an API).
    private let cordonMarks: (any CordonMarking)?
    /// Takes each node's Lease before anything is done to it; nil: no Lease (tests without an API, demo).
    private let leases: (any NodeLeasing)?
    private let options: EngineOptions
    private let onEvent: @Sendable (EngineEvent) -> Void
    public private(set) var state: RunState
    private var abortRequested = false
    /// Why the run stops once the steps in flight end (`stopAfterCurrentSteps`), e.g. "hangup".
    private var stopAfterSteps: String?
    private var pauseRequested = false
    /// Set when the journal could not be written: no further step starts until a write succeeds again.
    private var journalFailure: String?
    /// Nodes the operator asked to go on with (retry, skip): started first, even while paused.
    private var requested: [Int] = []
    /// Nodes whose task runs now (the loop's bookkeeping; a node here is never started again).
    private var inFlight: Set<Int> = []
    private var loop: Task<RunState, Never>?
    private var wake: AsyncStream<Void>.Continuation?
    /// The step task of each node in flight, by node name: what `abort()` cancels.
    private var runningTasks: [String: Task<StepOutcome, Never>] = [:]
    /// Leases being given up, by node: a node started again waits for its own, and `finished()` for all.
    private var releasing: [String: Task<Void, Never>] = [:]

    /// Why the engine refused a request (start, retry, skip, resume), in words an operator can act on.
    public struct RequestRefused: Error, Sendable, CustomStringConvertible {
        public let message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// A new run (journal created) or, with `resuming`, the continuation of an interrupted one.
    public init(
        plan: RunPlan, resuming: RunState? = nil, journal: Journal, nodeExecutor: any NodeExecutor,
        controlPlaneExecutor: any NodeExecutor, gate: any NodeGate, cordonMarks: (any CordonMarking)? = nil,
        leases: (any NodeLeasing)? = nil,
        options: EngineOptions = EngineOptions(), onEvent: @escaping @Sendable (EngineEvent) -> Void
    ) throws {
        self.cordonMarks = cordonMarks
        self.leases = leases
        self.plan = plan
        self.journal = journal
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
            resumed.stopReason = nil
            for n in resumed.nodes.indices where resumed.nodes[n].status != .done {
                resumed.nodes[n].status = .pending
                resumed.nodes[n].message = nil
                for s in resumed.nodes[n].steps.indices where resumed.nodes[n].steps[s].state == .running || resumed.nodes[n].steps[s].state == .failed {
                    resumed.nodes[n].steps[s].state = .pending
                }
            }
            state = resumed
        } else {
            try journal.create(plan)
            state = RunState(plan: plan, pid: pid, startedAt: Self.now())
        }
        var writer = StateWriter(journal: journal, logFromNodes: options.journalLogFromNodes, resumingAt: resuming?.journalSequence)
        try writer.save(state)
        stateWriter = writer
        // Every command of the run goes through the audit trail; each start and resume says who drove it.
        let trail = AuditTrail(journal: journal, runID: plan.id)
        let destinations = Dictionary(plan.nodes.map { ($0.node, $0.destination?.display) }, uniquingKeysWith: { first, _ in first })
        let nodeExecutorName = nodeExecutor.name
        self.nodeExecutor = AuditedExecutor(wrapped: nodeExecutor, trail: trail) { node in
            (destinations[node] ?? nil) ?? "\(nodeExecutorName) executor, node \(node)"
        }
        self.controlPlaneExecutor = AuditedExecutor(wrapped: controlPlaneExecutor, trail: trail) { _ in nil }
        trail.append(AuditTrail.session(resuming == nil ? "started" : "resumed", identity: plan.identity, time: Self.now()))
    }

    // MARK: requests

    /// True while the run's loop runs: nodes are in flight (quitting then must abort them).
    public var isRunning: Bool { loop != nil }

    /// Begins the run's loop and returns at once; refused while a loop runs, after an abort, or while the journal
    /// cannot be written. After a pause it goes on with the nodes not started.
    public func start() throws(RequestRefused) {
        if loop != nil {
            throw RequestRefused("run \(plan.id) is already running; its nodes are not started a second time")
        }
        try refuseAfterAbort()
        try refuseWithoutJournal()
        pauseRequested = false
        beginLoop()
    }

    /// Runs until every node is settled, the run stops on a failure or a pause, or it is aborted; refused (as
    /// `start()`) while another loop runs.
    public func run() async throws(RequestRefused) -> RunState {
        try start()
        return await finished()
    }

    /// Waits for the running loop, if any, to end; returns the state then.
    public func finished() async -> RunState {
        var ended = state
        if let loop { ended = await loop.value }
        // The nodes' Leases are given up before the caller goes on (a headless run then exits).
        while let (node, release) = releasing.first {
            await release.value
            if releasing[node] == release { releasing[node] = nil }
        }
        return ended
    }

    /// Stops the run: the step tasks in flight are cancelled (their process groups end), nodes stay as they are and
    /// are reported; nothing starts afterwards.
    public func abort() {
        abortRequested = true
        requested.removeAll()
        for task in runningTasks.values { task.cancel() }
        if loop == nil, !state.allDone, !state.aborted {
            // No loop to record it (paused, or stopped on a failure): the run ends aborted now.
            state.aborted = true
            state.endedAt = Self.now()
            persist()
        }
    }

    /// Starts no further node; the nodes in flight finish, then the loop ends. `resume()` goes on.
    public func pauseAfterCurrentNodes() {
        pauseRequested = true
    }

    /// Starts no further step: the steps in flight finish (within their own timeouts), their nodes then stop as
    /// aborted (resumable), and the loop ends with `reason` recorded as the run's `stoppedBy`. SIGHUP uses it.
    public func stopAfterCurrentSteps(reason: String) {
        stopAfterSteps = reason
        pauseRequested = true
        requested.removeAll()
        if loop == nil, !state.allDone, !state.aborted {
            // No loop to record it (paused, or stopped on a failure): the run ends stopped now.
            state.aborted = true
            state.stoppedBy = reason
            state.endedAt = Self.now()
            persist()
        }
    }

    /// Goes on after a pause: the loop starts the nodes not started (or is begun again when it ended).
    public func resume() throws(RequestRefused) {
        try refuseAfterAbort()
        try refuseWithoutJournal()
        pauseRequested = false
        wakeOrBegin()
    }

    /// After a failure: the failed step is marked pending and the loop runs it again, then the rest of the node.
    /// Returns at once; refused for a node in flight or not failed, and after an abort.
    public func retry(node: String) throws(RequestRefused) {
        let i = try index(of: node)
        try refuseAfterAbort()
        guard !inFlight.contains(i), [.failed, .aborted, .refused].contains(state.nodes[i].status) else {
            throw RequestRefused("\(node) has no failed step to retry (it is \(state.nodes[i].status.rawValue))")
        }
        try refuseWithoutJournal()
        state.nodes[i].status = .pending
        state.nodes[i].message = nil
        if let s = state.nodes[i].nextStepIndex { state.nodes[i].steps[s].state = .pending }
        persist()
        requested.append(i)
        wakeOrBegin()
    }

    /// After a failure: skips the failed step when its runbook allows it, and the loop goes on with the node.
    public func skipFailedStep(node: String) throws(RequestRefused) {
        let i = try index(of: node)
        try refuseAfterAbort()
        guard !inFlight.contains(i), state.nodes[i].status == .failed, let s = state.nodes[i].nextStepIndex else {
            throw RequestRefused("\(node) has no failed step")
        }
        let step = plan.nodes[i].steps[s]
        guard step.skippable else {
            throw RequestRefused("\(node): \(step.name) cannot be skipped; retry it or fix the node")
        }
        try refuseWithoutJournal()
        state.nodes[i].steps[s].state = .skipped
        state.nodes[i].steps[s].message = "skipped by the operator after a failure"
        state.nodes[i].status = .pending
        persist()
        onEvent(.stepFinished(node: node, index: s, record: state.nodes[i].steps[s]))
        requested.append(i)
        wakeOrBegin()
    }

    private func index(of node: String) throws(RequestRefused) -> Int {
        guard let i = state.nodes.firstIndex(where: { $0.node == node }) else {
            throw RequestRefused("\(node) is not part of run \(plan.id)")
        }
        return i
    }

    private func refuseAfterAbort() throws(RequestRefused) {
        if let reason = stopAfterSteps, !abortRequested {
            throw RequestRefused("run \(plan.id) is stopping (\(reason)): nothing more starts in it here; "
                + "`kubeskew upgrade --resume \(plan.id)` goes on from where each node stopped")
        }
        guard abortRequested else { return }
        throw RequestRefused("run \(plan.id) was aborted: nothing more starts in it here; "
            + "`kubeskew upgrade --resume \(plan.id)` (or the resume offer at the next start) goes on from where each node stopped")
    }

    /// A request that would start steps first proves the journal can be written again.
    private func refuseWithoutJournal() throws(RequestRefused) {
        guard let failure = journalFailure else { return }
        do { try stateWriter.save(state) } catch {
            throw RequestRefused(failure)
        }
        journalFailure = nil
        state.stopReason = nil
    }

    // MARK: the loop

    private func wakeOrBegin() {
        if let wake { wake.yield() } else { beginLoop() }
    }

    private func beginLoop() {
        let (wakes, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        wake = continuation
        state.endedAt = nil
        // Step pods are labelled with the run they belong to, however the loop was begun (start, retry, resume).
        let runID = plan.id
        loop = Task { await RunContext.$runID.withValue(runID) { await self.drive(wakes) } }
    }

    /// The loop: start what may start, then sleep until a node ends or a request arrives; end when nothing is in
    /// flight. Between the last check and `loop = nil` nothing suspends, so no request falls in between.
    private func drive(_ wakes: AsyncStream<Void>) async -> RunState {
        startNodes()
        if !inFlight.isEmpty {
            for await _ in wakes {
                startNodes()
                if inFlight.isEmpty { break }
            }
        }
        state.endedAt = Self.now()
        state.aborted = abortRequested || stopAfterSteps != nil
        state.stoppedBy = stopAfterSteps
        persist()
        loop = nil
        wake?.finish()
        wake = nil
        onEvent(.runFinished(state))
        return state
    }

    private func startNodes() {
        guard !abortRequested, stopAfterSteps == nil, journalFailure == nil else { return }
        requested.removeAll { state.nodes[$0].status != .pending }
        while inFlight.count < options.concurrency, let i = requested.first(where: { !inFlight.contains($0) }) {
            requested.removeAll { $0 == i }
            launch(i)
        }
        let stoppedByFailure = options.stopOnFirstFailure && state.nodes.contains { $0.status == .failed }
        guard !pauseRequested, !stoppedByFailure else { return }
        for i in state.nodes.indices where inFlight.count < options.concurrency {
            if state.nodes[i].status == .pending && !inFlight.contains(i) { launch(i) }
        }
    }

    private func launch(_ i: Int) {
        inFlight.insert(i)
        state.nodes[i].status = .running
        persist()
        Task { await self.runNode(i) }
    }

    // MARK: one node

    /// One node: its Lease first (refused: nothing done), then its steps, then the Lease is given up, before the
    /// node leaves `inFlight`.
    private func runNode(_ i: Int) async {
        defer {
            inFlight.remove(i)
            wake?.yield()
        }
        let node = plan.nodes[i].node
        // Started again (retry, resume) while its last Lease is still being given up: that comes first.
        if let pending = releasing[node] { await pending.value }
        var hold: NodeLeaseHold?
        if let leases {
            switch await leases.acquire(node) {
            case .held(let held):
                hold = held
            case .refused(let reason):
                state.nodes[i].status = .refused
                state.nodes[i].message = reason
                persist()
                onEvent(.nodeStopped(node: node, reason: reason))
                onEvent(.nodeFinished(node: node, status: .refused))
                return
            }
        }
        let status = await runSteps(i, lease: hold)
        // The node's end is told and it leaves `inFlight` at once (a retry may follow at once); its Lease is given
        // up in a task of its own (nothing cancels the delete), which a restart of the node and `finished()` await.
        onEvent(.nodeFinished(node: node, status: status))
        if let hold {
            let emit = onEvent
            let index = state.nodes[i].nextStepIndex ?? max(0, state.nodes[i].steps.count - 1)
            releasing[node] = Task {
                guard let note = await hold.release() else { return }
                emit(.output(node: node, index: index, line: OutputLine(source: .stderr, content: OutputSanitizer().sanitize("note: " + note))))
            }
        }
    }

    /// The node's steps; returns how the node ended, for `runNode` to announce once its Lease is given up.
    private func runSteps(_ i: Int, lease: NodeLeaseHold?) async -> NodeRunStatus {
        let nodePlan = plan.nodes[i]
        let target: NodeTarget
        do { target = try NodeTarget(name: nodePlan.node, internalIP: nodePlan.internalIP) } catch {
            fail(i, step: state.nodes[i].nextStepIndex ?? 0, message: error.description, exit: nil)
            return .failed
        }
        while let s = state.nodes[i].nextStepIndex {
            // Safe points: between steps. An abort, a hangup or a journal that cannot be written starts no further step.
            if abortRequested || stopAfterSteps != nil || journalFailure != nil {
                state.nodes[i].status = .aborted
                persist()
                return .aborted
            }
            // Another kubeskew holds the node now: nothing more is done to it by this run.
            if let lost = lease?.lost {
                let reason = "\(lost); stopped before \(nodePlan.stepTitle(s))"
                state.nodes[i].status = .aborted
                state.nodes[i].message = reason
                persist()
                onEvent(.nodeStopped(node: nodePlan.node, reason: reason))
                return .aborted
            }
            let step = nodePlan.steps[s]
            if step.kind == .uncordon, let reason = nodePlan.keptCordonedReason {
                // The operator's cordon predates the run: it is theirs to lift, not ours.
                skipKeptCordoned(i, step: s, reason: reason)
                continue
            }
            let wasCordonedByRun = state.nodes[i].cordonedByRun
            state.nodes[i].steps[s].state = .running
            state.nodes[i].steps[s].startedAt = Self.now()
            state.nodes[i].steps[s].endedAt = nil
            state.nodes[i].steps[s].exitStatus = nil
            state.nodes[i].steps[s].message = nil
            if step.kind == .drain { state.nodes[i].cordonedByRun = true }
            persist()
            onEvent(.stepStarted(node: nodePlan.node, index: s, record: state.nodes[i].steps[s]))

            let task = Task {
                await AuditContext.$step.withValue(AuditContext.Step(node: nodePlan.node, id: step.id)) {
                    await self.execute(step, index: s, on: target)
                }
            }
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
            case .notStarted:
                // Aborted before its first command: the step did not run and stays pending for a resume.
                state.nodes[i].steps[s].state = .pending
                state.nodes[i].steps[s].startedAt = nil
                state.nodes[i].steps[s].endedAt = nil
                state.nodes[i].cordonedByRun = wasCordonedByRun
                state.nodes[i].status = .aborted
                persist()
                onEvent(.stepFinished(node: nodePlan.node, index: s, record: state.nodes[i].steps[s]))
                return .aborted
            case .failed:
                let cancelled = abortRequested
                if step.kind == .drain || step.kind == .uncordon, !nodePlan.wasCordoned,
                   let cordoned = await cordonSeen(nodePlan.node) {
                    // A drain stopped before kubectl cordoned, or an uncordon stopped after it ran: what the run
                    // reports it left is what the API server shows, not what the step was about to do.
                    state.nodes[i].cordonedByRun = cordoned
                }
                fail(i, step: s, message: cancelled ? "aborted by the operator" + (outcome.message.map { ": \($0)" } ?? "") : outcome.message, exit: outcome.exitStatus)
                if cancelled { state.nodes[i].status = .aborted; persist() }
                onEvent(.stepFinished(node: nodePlan.node, index: s, record: state.nodes[i].steps[s]))
                return state.nodes[i].status
            }
            persist()
            onEvent(.stepFinished(node: nodePlan.node, index: s, record: state.nodes[i].steps[s]))
        }
        state.nodes[i].status = .done
        persist()
        return .done
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
        persist()
    }

    /// How a step ended.
    struct StepOutcome: Sendable {
        /// `notStarted`: aborted before its first command ran (during or right after its check).
        enum Result: Sendable { case done, alreadyDone, failed, notStarted }
        let result: Result
        let exitStatus: String?
        let message: String?
    }

    /// A wait step's outcome: done when `wait` returns nil, failed with what was last seen when it returns that.
    private nonisolated func waited(node: String, log: StepLog, what: String, missed: String, reached: String,
                                    _ wait: () async throws -> String?) async -> StepOutcome {
        do {
            if let lastSeen = try await wait() {
                let message = "\(missed) (last seen: \(lastSeen))"
                log.append("# \(message)")
                return StepOutcome(result: .failed, exitStatus: "timed out", message: message)
            }
            log.append("# \(reached)")
            return StepOutcome(result: .done, exitStatus: nil, message: nil)
        } catch {
            return StepOutcome(result: .failed, exitStatus: nil, message: "\(node): waiting for \(what) failed: \(error)")
        }
    }

    private nonisolated func execute(_ step: PlannedStep, index: Int, on target: NodeTarget) async -> StepOutcome {
        let log = StepLog((try? journal.logFile(run: plan.id, node: target.name, step: step.id)) ?? URL(fileURLWithPath: "/dev/null"))
        let node = target.name
        let emit = onEvent
        let executor = step.location == .node ? nodeExecutor : controlPlaneExecutor
        let where_ = step.location == .node ? target : NodeTarget.localhost
        let timeout = Duration.seconds(step.timeoutSeconds)
        let notStarted = StepOutcome(result: .notStarted, exitStatus: nil, message: "aborted by the operator before the step started; it did not run")
        // This task is cancelled only by an abort: from then on no command of the step may begin.
        if Task.isCancelled { return notStarted }
        // Shown and journaled as it runs: `sudo` only where the node's executor uses it (not as root).
        let nodePlan = plan.nodes.first { $0.node == target.name }
        let privilegePrefix = nodePlan?.privilegePrefix(step) ?? ["sudo"]
        log.append("# \(Self.now()) \(step.name): \(step.displayLine(privilegePrefix: privilegePrefix))")
        // The plan's JSON may be longer than the log's recent lines (a kubelet row per node): kept whole to be read.
        let document = step.kind == .confirmPlan ? LineCollector(maxLines: 200_000) : nil
        let output: OutputHandler = { line in
            log.append(line.text)
            document?.add(line)
            emit(.output(node: node, index: index, line: line))
        }

        // The cordon the drain makes is kubeskew's: written on the node before it exists, so whoever plans this
        // node next (another kubeskew too) lifts it. An operator's cordon (`wasCordoned`) is not marked.
        if step.kind == .drain, nodePlan?.wasCordoned == false, let marks = cordonMarks {
            do {
                try await marks.mark(node, runID: plan.id)
                log.append("# annotated \(node) \(CordonMark.annotation)=\(plan.id)")
            } catch {
                let message = "\(node): cannot record on the node that the cordon is kubeskew's (annotation \(CordonMark.annotation)): \(error); the drain did not start"
                log.append("# \(message)")
                return StepOutcome(result: .failed, exitStatus: nil, message: message)
            }
        }

        if case let .commands(_, privileged) = step.action, let check = step.check {
            switch await check.evaluate(privileged: privileged, executor: executor, on: where_) {
            case .alreadyDone:
                let message = "already done (\(check.displayLine))"
                log.append("# skipped: \(message)")
                if step.kind == .uncordon { await clearCordonMark(node, index: index, log: log) }
                return StepOutcome(result: .alreadyDone, exitStatus: nil, message: message)
            case .toDo(let why): log.append("# to do: \(why)")
            case .couldNotRun(let error): log.append("# check could not run: \(error)")
            }
            // An abort during the check: the step must not start (apt killed at once can leave dpkg broken).
            if Task.isCancelled {
                log.append("# aborted during the check: the step did not start")
                return notStarted
            }
        }

        switch step.action {
        case let .commands(argvs, privileged):
            var last: ExecutionResult?
            for (n, argv) in argvs.enumerated() {
                let shown = ((privileged ? privilegePrefix : []) + argv).map(PlannedStep.shellQuoteForDisplay).joined(separator: " ")
                if Task.isCancelled {
                    if n == 0 { return notStarted }
                    log.append("# aborted before `\(shown)`")
                    return StepOutcome(result: .failed, exitStatus: ExitStatus.cancelled.description,
                                       message: "\(step.name) stopped before `\(shown)`")
                }
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
                        // The line that says why, not the boilerplate after it; the whole output stays in the pane and log.
                        let tail = FailureCause.line(in: result.stderrTail).map { ": \($0)" } ?? ""
                        return StepOutcome(result: .failed, exitStatus: result.status.description, message: "\(step.name) failed: `\(shown)` \(result.status)\(tail)")
                    }
                } catch {
                    log.append("# \(error.description)")
                    return StepOutcome(result: .failed, exitStatus: nil, message: error.description)
                }
            }
            if let document, let version = argvs.lazy.compactMap(KubeadmUpgradePlanJSON.version(in:)).first,
               let problem = KubeadmUpgradePlanJSON.problem(document.lines.filter { $0.source == .stdout }.map(\.text), version: version) {
                log.append("# \(problem)")
                return StepOutcome(result: .failed, exitStatus: last?.status.description, message: problem)
            }
            // Exit 0 is not enough for apply: kubeadm's SUCCESS line for the version says the control plane moved.
            if step.kind == .upgradeApply, let version = argvs.lazy.compactMap(KubeadmApplyOutput.version(in:)).first,
               !KubeadmApplyOutput.succeeded(log.recentLines, version: version) {
                let message = "kubeadm upgrade apply \(version) exited 0 without its SUCCESS line for \(version); not taken as done: read its output in the pane and the log"
                log.append("# \(message)")
                return StepOutcome(result: .failed, exitStatus: last?.status.description, message: message)
            }
            if step.kind == .uncordon { await clearCordonMark(node, index: index, log: log) }
            return StepOutcome(result: .done, exitStatus: last?.status.description, message: nil)
        case let .waitForControlPlane(version):
            return await waited(node: node, log: log, what: "the control plane",
                                missed: "\(node): the control plane did not come up at \(version) within \(step.timeoutSeconds) s",
                                reached: "\(node): kube-apiserver, kube-controller-manager and kube-scheduler run \(version), Ready") {
                try await gate.waitForControlPlane(node, version: version.description, timeout: timeout)
            }
        case let .waitForNode(version):
            return await waited(node: node, log: log, what: "the node",
                                missed: "\(node) did not become Ready with kubelet \(version) within \(step.timeoutSeconds) s",
                                reached: "\(node) is Ready with kubelet \(version)") {
                try await gate.waitForNode(node, kubelet: version.description, timeout: timeout)
            }
        }
    }

    /// Whether `node` is cordoned now, as the API server says; nil when there is no API to ask or it did not answer.
    private nonisolated func cordonSeen(_ node: String) async -> Bool? {
        try? await cordonMarks?.isCordoned(node)
    }

    /// The node is schedulable again: kubeskew's mark goes. A mark that cannot be removed is said, not fatal: on a
    /// schedulable node it means nothing (`CordonMark.run(of:)` reads it only on a cordoned node).
    private nonisolated func clearCordonMark(_ node: String, index: Int, log: StepLog) async {
        guard let marks = cordonMarks else { return }
        do {
            try await marks.clear(node)
            log.append("# removed \(CordonMark.annotation) from \(node)")
        } catch {
            let message = "note: could not remove the annotation \(CordonMark.annotation) from \(node): \(error)"
            log.append("# \(message)")
            onEvent(.output(node: node, index: index, line: OutputLine(source: .stderr, content: OutputSanitizer().sanitize(message))))
        }
    }

    /// Writes the state; the first failure stops the run at a safe point (no new step starts, the steps in flight
    /// finish) and is told through an engine event, which the screen and the headless output show.
    private func persist() {
        do { try stateWriter.save(state) } catch {
            guard journalFailure == nil else { return }
            let message = "cannot write the journal of run \(plan.id) (\(error)): no further step starts; the steps in flight finish. "
                + "Fix the journal folder (\(journal.runDirectory(plan.id).path)), then retry the stopped nodes or resume the run"
            journalFailure = message
            state.stopReason = message
            onEvent(.journalFailed(message: message))
        }
    }

    /// The time as the journal writes it (`2026-12-08T01:15:00.123Z`). A format style, not an ISO8601DateFormatter:
    /// creating one of those for each transition was a quarter of a 1,000-node run's own CPU.
    static func now() -> String {
        Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
