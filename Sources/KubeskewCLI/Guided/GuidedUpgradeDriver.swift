import Foundation
import KubeClient
import KubeModel
import NodeExec
import SkewCore
import TUI
import Upgrade

/// The upgrade side of the dashboard: turns the dashboard's `UpgradeRequest`s into planning, preflight and engine
/// calls, and the engine's events into `UpgradeEvent`s posted to the dashboard's inbox. The screen never waits on it.
///
/// Who owns what (the rule across the TUI, this driver and the engine):
/// - The dashboard's requests reach the driver through ONE ordered stream (`send`), consumed by one task the driver
///   starts in `init` and owns; it ends when the stream is finished (`stopForQuit`). Requests are taken one at a
///   time, in the order the operator gave them, and no handler waits for a run: an abort behind a retry is taken
///   at once.
/// - The engine owns its loop (see `UpgradeEngine`): the driver never runs nodes and cancels nothing; it asks the
///   engine (start, retry, skip, pause, resume, abort) and learns that a run ended from the engine's `runFinished`.
/// - `stopForQuit` (the quit path, outside the stream) closes the stream and asks the engine to abort.
/// - A cluster upgrade (`C`) is a loop of phases, each an ordinary run of the engine. The driver owns that loop: one
///   task (`clusterRun`), started by `.startCluster` when none runs; it plans each phase from the cluster, starts its
///   engine through `begin` and waits for it to finish. It stops by itself when a phase does not end done, before a
///   second `kubeadm upgrade apply` (it asks: `.clusterPause`), and when the driver is closed (quit, hangup); an
///   abort reaches the phase's engine like any run's, and the loop then stops because the phase did not end done.
actor GuidedUpgradeDriver {
    /// What the driver needs from its surroundings.
    struct Setup: Sendable {
        var client: KubeAPIClient
        var context: AssessmentContext
        var journal: Journal
        var nodeExecutor: any NodeExecutor
        var controlPlaneExecutor: any NodeExecutor
        /// `kubectl` with the kubeconfig of the cluster, for drain and uncordon.
        var kubectl: [String]
        var drainTimeoutSeconds: Int?
        var concurrency: Int
        /// Where preflight's kubeadm versions go (the dashboard's feeds read them).
        var kubeadmProbes: KubeadmProbes
        /// What runs made here belong to (cluster, kubeconfig, context, executor); nil when the cluster's identity
        /// could not be read at start, and then no run starts or resumes.
        var identity: RunIdentity? = nil
        /// How the run waits for a node to come back; nil: through the API (`APINodeGate`).
        var gate: (any NodeGate)? = nil
        /// Where kubeskew's own cordons are written; nil: on the nodes, through the API (`APICordonMarking`).
        var cordonMarks: (any CordonMarking)? = nil
        /// Where the nodes' Leases are (two operators, one cluster); nil: in kube-system, through the API (`APILeases`).
        var leases: (any LeaseAPI)? = nil
        /// The target picked on the dashboard (`t`); nil: `context`'s.
        var targetSelection: TargetSelection? = nil
        /// The removed-API table a cluster plan's hops are checked against.
        var removedAPIs: RemovedAPIs = .embedded()

        /// How nodes are planned here: this cluster's kubectl, the drain timeout given at start.
        var plannerOptions: Planner.Options { Planner.Options(kubectl: kubectl, drainTimeoutSeconds: drainTimeoutSeconds) }

        /// The context plans are made with: the dashboard's chosen target when there is one.
        var assessmentContext: AssessmentContext { targetSelection?.context ?? context }
    }

    let setup: Setup
    let inbox: DashboardInbox
    private var plans: [String: NodePlan] = [:]
    private var engine: UpgradeEngine?
    /// The cluster upgrade's loop of phases while it runs (see the rule above).
    private var clusterRun: Task<Void, Never>?
    /// Set by an abort during a cluster upgrade: no further phase starts.
    private var clusterStopRequested = false
    /// The blockers acknowledged in the last cluster review: a phase planned later with others stops before it runs.
    private var clusterAccepted: ReviewedBlockers?
    /// The version the reviewed cluster plan goes to: the run keeps it, whatever a relative target (next-minor)
    /// would name once the control plane has moved.
    private var clusterTarget: KubeVersion?
    /// The lock of the run this dashboard drives: one process drives a run (see `RunLock`).
    private var runLock: RunLock?
    /// Set on quit: requests still queued are dropped.
    private var closed = false
    private nonisolated let requests: AsyncStream<UpgradeRequest>.Continuation

    init(setup: Setup, inbox: DashboardInbox) {
        self.setup = setup
        self.inbox = inbox
        let (stream, continuation) = AsyncStream.makeStream(of: UpgradeRequest.self)
        requests = continuation
        // The one consumer of the requests; it holds the driver until the stream is finished.
        Task { await self.consume(stream) }
    }

    /// Queues a request from the dashboard (any thread; returns at once). Requests are handled one at a time, in order.
    nonisolated func send(_ request: UpgradeRequest) {
        requests.yield(request)
    }

    private func consume(_ stream: AsyncStream<UpgradeRequest>) async {
        for await request in stream where !closed {
            await handle(request)
        }
    }

    func handle(_ request: UpgradeRequest) async {
        switch request {
        case .plan(let nodes): await plan(nodes)
        case .start(let nodes): await start(nodes)
        case .abort:
            // A cluster upgrade between two phases has no engine running: the loop stops before the next one.
            if clusterRun != nil { clusterStopRequested = true }
            await engine?.abort()
        case .retry(let node):
            guard let engine else { return }
            do { try await engine.retry(node: node) } catch { await refused(error, node: node, engine: engine) }
        case .skip(let node):
            guard let engine else { return }
            do { try await engine.skipFailedStep(node: node) } catch { await refused(error, node: node, engine: engine) }
        case .pauseAfterCurrent: await engine?.pauseAfterCurrentNodes()
        case .resume:
            guard let engine else { return }
            do { try await engine.resume() } catch { await refused(error, node: nil, engine: engine) }
        case .resumeInterrupted(let runID): await resumeInterrupted(runID, runningAgain: false)
        case .resumeRunningAgain(let runID): await resumeInterrupted(runID, runningAgain: true)
        case .declineResume(let runID): declineResume(runID)
        case .planCluster: await planCluster()
        case .startCluster: await startCluster()
        }
    }

    /// A refused request leaves the screen as the engine has it: the node's status, and the run's end when no loop
    /// runs (the `R` key marked the run as running); the reason is the last thing said.
    private func refused(_ refusal: UpgradeEngine.RequestRefused, node: String?, engine: UpgradeEngine) async {
        let state = await engine.state
        if let node, let status = state.nodes.first(where: { $0.node == node })?.status {
            inbox.post(.upgrade(.nodeFinished(node: node, status: Self.paneStatus(status))))
        }
        if await !engine.isRunning {
            inbox.post(.upgrade(Self.finishedMessage(state, plan: await engine.plan)))
        }
        inbox.post(.notice(refusal.message))
    }

    /// True while a run has nodes in flight (quitting must then abort it).
    var isRunning: Bool {
        get async { await engine?.isRunning ?? false || clusterRun != nil }
    }

    /// The run's state now (nil before a run).
    var runState: RunState? {
        get async { await engine?.state }
    }

    /// Drops the requests still queued, aborts a run in flight and waits (up to `limit`) for it to stop; returns the
    /// nodes' final states.
    func stopForQuit(limit: Duration) async -> RunState? {
        closed = true
        requests.finish()
        guard let engine else { return nil }
        if await engine.isRunning { await engine.abort() }
        let deadline = ContinuousClock.now + limit
        while await engine.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        return await engine.state
    }

    /// The terminal went away: the run stops at a safe point (the steps in flight finish, no new step starts; it
    /// stays resumable) and this waits for it, bounded by the steps' own timeouts; returns the nodes' final states.
    func stopForHangup() async -> RunState? {
        closed = true
        requests.finish()
        guard let engine else { return nil }
        await engine.stopAfterCurrentSteps(reason: "hangup")
        return await engine.finished()
    }

    var currentPlan: RunPlan? { get async { await engine?.plan } }

    // MARK: planning

    private func plan(_ names: [String]) async {
        do {
            let loaded = try await ClusterSnapshotLoader.load(setup.client, tolerateForbidden: true)
            let assessment = Assessor(context: setup.assessmentContext).assess(loaded.snapshot.facts())
            if let problem = assessment.targetProblem {
                inbox.post(.upgrade(.planFailed("target: \(problem)")))
                return
            }
            if let problem = await KubectlVersionCheck.problem(kubectl: setup.kubectl, apiservers: loaded.snapshot.apiserverVersions, executor: setup.controlPlaneExecutor) { inbox.post(.upgrade(.planFailed(problem.message))); return }
            let planner = Planner(options: setup.plannerOptions)
            let planning = NodePlanning(snapshot: loaded.snapshot, assessment: assessment, planner: planner, packageManagerOverride: nil)
            var (found, refused) = planning.plans(for: names)
            found = try await NodePlanning.withBlockers(found, client: setup.client)
            let destinations = await DestinationCheck.resolve(found, executor: setup.nodeExecutor)
            found = destinations.plans
            refused += destinations.refused.map { NodePlanning.Refusal(node: $0.node, reason: $0.reason) }
            var ready: [NodePlan] = []
            // Preflight changes nothing; a node that fails it is shown as not planned, with the reason.
            for plan in found {
                let report = await Preflight.check(plan, executor: setup.nodeExecutor)
                if let version = report.kubeadmVersion { setup.kubeadmProbes.record(node: plan.node, version: version) }
                if report.passed {
                    // Confirming the review acknowledges every blocker: the review shows, and the run runs, the
                    // drain with the options those blockers need, one and the same plan.
                    ready.append(plan.acceptingBlockers())
                } else {
                    refused.append(NodePlanning.Refusal(node: plan.node, reason: "preflight: " + report.problems.joined(separator: "; ")))
                }
            }
            plans = Dictionary(ready.map { ($0.node, $0) }, uniquingKeysWith: { a, _ in a })
            let target = ready.first?.target.description ?? assessment.target?.description ?? "?"
            inbox.post(.upgrade(.planReady(Self.review(ready, refused: refused, target: target))))
        } catch let error as KubeClientError {
            inbox.post(.upgrade(.planFailed(error.description)))
        } catch {
            inbox.post(.upgrade(.planFailed("\(error)")))
        }
    }

    static func review(_ plans: [NodePlan], refused: [NodePlanning.Refusal], target: String) -> PlanReview {
        let nodes = plans.map { plan in
            PlanReview.Node(
                name: plan.node, from: plan.from.description, target: plan.target.description,
                hops: plan.hops.map(\.version.description), packageManager: plan.packageManager.rawValue,
                commands: plan.steps.map { step in
                    var isShell = true
                    if case .waitForNode = step.action { isShell = false }
                    if case .waitForControlPlane = step.action { isShell = false }
                    if step.kind == .uncordon, let reason = plan.keptCordonedReason {
                        // Shown in place of the command, which will not run.
                        return PlanReview.Command(hop: step.hop, name: "\(step.name) (skipped)", location: step.location.rawValue,
                                                  line: "skipped: \(reason)", isShellCommand: false)
                    }
                    let name = step.kind == .uncordon ? plan.liftedCordonNote.map { "\(step.name) (\($0))" } ?? step.name : step.name
                    return PlanReview.Command(hop: step.hop, name: name, location: step.location.rawValue,
                                              line: plan.displayLine(step), isShellCommand: isShell)
                },
                blockers: plan.blockers.map { PlanReview.Blocker(kind: $0.kind.rawValue, object: $0.object, advice: $0.advice) },
                destination: plan.destination?.display)
        }
        return PlanReview(target: target, nodes: nodes, refused: refused.map { PlanReview.Refusal(node: $0.node, reason: $0.reason) })
    }

    // MARK: the whole cluster

    private var clusterPhases: ClusterPhases {
        ClusterPhases(client: setup.client, context: setup.assessmentContext,
                      plannerOptions: setup.plannerOptions,
                      packageManagerOverride: nil, etcdBackup: true, removedAPIs: setup.removedAPIs)
    }

    /// The cluster review: every phase with its gates, every node's commands and blockers, and the preflight of
    /// every node in it (which changes nothing).
    private func planCluster() async {
        if clusterRun != nil {
            inbox.post(.upgrade(.planFailed("a cluster upgrade is in progress")))
            return
        }
        do {
            let plan = try await clusterPhases.currentPlan()
            var refused: [NodePlanning.Refusal] = plan.excluded.map { .init(node: $0.node, reason: $0.reason) }
            var seen = Set<String>()
            var controlPlane: [NodePlan] = []
            let controlPlaneNames = Set(plan.phases.filter { $0.kind == .controlPlane || $0.kind == .finishControlPlane }.flatMap(\.nodes).map(\.node))
            let unique = plan.phases.flatMap(\.nodes).filter { seen.insert($0.node).inserted }
            // Preflight changes nothing: every node of the plan is asked before the review, 8 at a time (a large
            // cluster's review would otherwise wait for one node after another).
            for (node, outcome) in await Self.preflight(unique, executor: setup.nodeExecutor) {
                switch outcome {
                case .refused(let reason):
                    refused.append(.init(node: node.node, reason: reason))
                case .checked(let resolved, let report):
                    if let version = report.kubeadmVersion { setup.kubeadmProbes.record(node: node.node, version: version) }
                    if !report.passed { refused.append(.init(node: node.node, reason: "preflight: " + report.problems.joined(separator: "; "))) }
                    if report.passed && controlPlaneNames.contains(node.node) { controlPlane.append(resolved) }
                }
            }
            // "kubeadm certs check-expiration read, and an expired or soon-expiring certificate shown before anything runs".
            let certificates = await ControlPlaneCertificates.check(controlPlane, executor: setup.nodeExecutor)
            refused += certificates.blocking.map { .init(node: $0.node, reason: $0.reason) }
            guard refused.allSatisfy({ r in plan.excluded.contains { $0.node == r.node } }) else {
                // A node the plan needs cannot run it: nothing to confirm, the reasons shown.
                inbox.post(.upgrade(.planReady(Self.clusterReview(plan, refused: refused, runnable: false, notes: certificates.warnings))))
                return
            }
            clusterAccepted = ReviewedBlockers(plan)
            clusterTarget = plan.target
            inbox.post(.upgrade(.planReady(Self.clusterReview(plan, refused: refused, runnable: true, notes: certificates.warnings))))
        } catch {
            inbox.post(.upgrade(.planFailed("\(error)")))
        }
    }

    /// What preflight found for one node of a cluster review.
    enum PreflightOutcome: Sendable {
        case refused(String)
        case checked(NodePlan, Preflight.Report)
    }

    /// Destination and preflight of every node, `width` at a time, in the plan's order.
    static func preflight(_ nodes: [NodePlan], executor: any NodeExecutor, width: Int = 8) async -> [(NodePlan, PreflightOutcome)] {
        var outcomes = [PreflightOutcome?](repeating: nil, count: nodes.count)
        await withTaskGroup(of: (Int, PreflightOutcome).self) { group in
            var next = 0
            func add() {
                guard next < nodes.count else { return }
                let (index, node) = (next, nodes[next])
                next += 1
                group.addTask {
                    let destination = await DestinationCheck.resolve([node], executor: executor)
                    if let refusal = destination.refused.first { return (index, .refused(refusal.reason)) }
                    guard let resolved = destination.plans.first else { return (index, .refused("no destination")) }
                    return (index, .checked(resolved, await Preflight.check(resolved, executor: executor)))
                }
            }
            for _ in 0..<width { add() }
            for await (index, outcome) in group {
                outcomes[index] = outcome
                add()
            }
        }
        return zip(nodes, outcomes).map { ($0, $1 ?? .refused("not checked")) }
    }

    /// The cluster plan as the review shows it: the nodes of each phase, in order, the first of each carrying the
    /// phase's title and gates. `runnable` false: only what stops it (nothing to confirm).
    static func clusterReview(_ plan: ClusterPlan, refused: [NodePlanning.Refusal], runnable: Bool, notes: [String] = []) -> PlanReview {
        var nodes: [PlanReview.Node] = []
        for (index, phase) in plan.phases.enumerated() where runnable {
            // What the run runs: drains with the options their blockers need, once acknowledged here.
            let review = review(phase.acceptingBlockers().nodes, refused: [], target: phase.version.description)
            for (position, var node) in review.nodes.enumerated() {
                if position == 0 {
                    node.section = ["phase \(index + 1)/\(plan.phases.count): \(ClusterPlanPrinter.title(phase))"] + phase.gates.map { "  before: \($0)" }
                }
                nodes.append(node)
            }
        }
        let hops = plan.hops.isEmpty ? "no control-plane hop" : plan.hops.map(\.description).joined(separator: " → ")
        let header = ["control plane \(plan.from) → \(plan.target) (\(hops))"] + plan.fixes.map { "fixes: \($0)" }
            + notes.map { "certificates: \($0)" } + plan.notes
        return PlanReview(target: plan.target.description, nodes: nodes, refused: refused.map { PlanReview.Refusal(node: $0.node, reason: $0.reason) },
                          cluster: PlanReview.Cluster(header: header, phases: runnable ? plan.phases.count : 0))
    }

    private func startCluster() async {
        if clusterRun != nil { return }
        if await engine?.isRunning == true {
            inbox.post(.notice("a run is in progress"))
            return
        }
        guard let accepted = clusterAccepted, let target = clusterTarget else {
            inbox.post(.notice("nothing to run: C reviews the cluster plan first"))
            return
        }
        clusterStopRequested = false
        // The table follows the run's target from now on, not a relative one that moves with the control plane.
        setup.targetSelection?.choose(.version(target))
        inbox.post(.upgrade(.clusterRun(active: true)))
        clusterRun = Task { await self.runCluster(accepted: accepted, target: target) }
    }

    /// The phases, each planned again from the cluster, until the target, a phase that does not end done, or the
    /// next control-plane apply after one already run here (asked first).
    private func runCluster(accepted: ReviewedBlockers, target: KubeVersion) async {
        defer {
            clusterRun = nil
            inbox.post(.upgrade(.clusterRun(active: false)))
        }
        let phases = clusterPhases.pinned(to: target)
        var repeatGuard = ClusterPhases.RepeatGuard()
        var applied: KubeVersion?
        while !closed {
            do {
                let plan = try await phases.currentPlan()
                guard let phase = plan.phases.first else {
                    inbox.post(.notice("the cluster is at \(plan.target): every node planned is done"))
                    return
                }
                try repeatGuard.check(phase)
                if phase.kind == .controlPlane, let applied {
                    inbox.post(.upgrade(.clusterPause(lines: [
                        "The control plane is at \(applied), and the workers have followed it.",
                        "Next: \(ClusterPlanPrinter.title(phase)).",
                        "Go on with kubeadm upgrade apply \(phase.version)?",
                    ])))
                    return
                }
                guard let identity = setup.identity else {
                    inbox.post(.notice("no run started: the cluster's identity (kube-system namespace uid) could not be read at start, and a run must record it"))
                    return
                }
                let nodes = try await phases.ready(phase, accepted: accepted, executor: setup.nodeExecutor)
                guard !closed else { return }
                guard !clusterStopRequested else {
                    inbox.post(.notice("cluster upgrade stopped before its \(phase.kind.rawValue) phase to \(phase.version), as asked; C plans the rest again"))
                    return
                }
                let runPlan = RunPlan(id: UpgradeCommand.runID(), createdAt: UpgradeCommand.timestamp(), target: phase.version,
                                      concurrency: phase.oneAtATime ? 1 : setup.concurrency, nodes: nodes, identity: identity)
                inbox.post(.notice("phase \(phase.kind.rawValue) → \(phase.version): \(phase.nodes.map(\.node).joined(separator: ", "))"))
                await begin(runPlan, resuming: nil)
                guard let engine, await engine.plan.id == runPlan.id else { return }
                let state = await engine.finished()
                guard state.allDone else {
                    inbox.post(.notice(ClusterUpgrade.advice(phase, state: state, plan: runPlan).replacingOccurrences(of: "\n", with: " ")
                                       + " (C plans the rest again)"))
                    return
                }
                if phase.kind == .controlPlane || phase.kind == .finishControlPlane {
                    let behind = try await phases.controlPlaneBehind(phase.version, nodes: phase.nodes.map(\.node))
                    if !behind.isEmpty {
                        inbox.post(.notice("the control plane is not at \(phase.version) after its phase: " + behind.joined(separator: "; ")
                                           + "; the next phase does not start"))
                        return
                    }
                    if phase.kind == .controlPlane { applied = phase.version }
                }
            } catch {
                inbox.post(.notice("cluster upgrade stopped: \(error)"))
                return
            }
        }
    }

    // MARK: running

    private func start(_ names: [String]) async {
        if clusterRun != nil {
            inbox.post(.notice("a cluster upgrade is in progress"))
            return
        }
        if await isRunning {
            inbox.post(.notice("a run is in progress"))
            return
        }
        // The plans as reviewed (blockers already accepted there), not planned again.
        let accepted = names.compactMap { plans[$0] }
        guard let target = accepted.first?.target, !accepted.isEmpty else {
            inbox.post(.notice("nothing to upgrade: plan again with U"))
            return
        }
        guard let identity = setup.identity else {
            inbox.post(.notice("no run started: the cluster's identity (kube-system namespace uid) could not be read at start, and a run must record it"))
            return
        }
        let plan = RunPlan(id: UpgradeCommand.runID(), createdAt: UpgradeCommand.timestamp(), target: target,
                           concurrency: setup.concurrency, nodes: accepted, identity: identity)
        await begin(plan, resuming: nil)
    }

    /// `runningAgain`: the operator saw the steps the cluster does not show done, and said they run again.
    private func resumeInterrupted(_ runID: String, runningAgain: Bool) async {
        do {
            let plan = try setup.journal.loadPlan(runID)
            var state = try setup.journal.loadState(runID)
            guard let identity = setup.identity else {
                inbox.post(.notice("run \(runID) not resumed: the cluster's identity (kube-system namespace uid) could not be read at start"))
                return
            }
            if let refusal = await ResumeCheck.refusal(plan, current: identity, executor: setup.nodeExecutor) {
                inbox.post(.notice(refusal))
                return
            }
            // What the journal says was done must be what the cluster shows; where not, the operator decides.
            let client = setup.client
            let reconciliation = await ResumeReconciliation.check(
                plan, state: state, nodeExecutor: setup.nodeExecutor, controlPlaneExecutor: setup.controlPlaneExecutor,
                readNode: { try await client.getNode($0) })
            if !reconciliation.mismatches.isEmpty {
                guard runningAgain else {
                    inbox.post(.upgrade(.resumeMismatch(runID: runID, lines: reconciliation.mismatches.map(\.line))))
                    return
                }
                state = reconciliation.applied(to: state)
            }
            await begin(plan, resuming: state)
        } catch {
            inbox.post(.notice("cannot resume run \(runID): \(error)"))
        }
    }

    /// "No" to the resume offer is remembered in the run's journal, so the next start does not ask again.
    private func declineResume(_ runID: String) {
        do {
            try setup.journal.declineResume(runID, at: UpgradeCommand.timestamp())
            inbox.post(.notice("run \(runID) will not be offered again; `kubeskew upgrade --resume \(runID)` still resumes it"))
        } catch {
            inbox.post(.notice("cannot record that run \(runID) was declined: \(error)"))
        }
    }

    private func begin(_ plan: RunPlan, resuming: RunState?) async {
        if resuming != nil {
            // A run another kubeskew drives is not resumed here: the lock says who.
            do { runLock = try RunLock.acquire(plan.id, in: setup.journal) } catch {
                inbox.post(.notice("cannot resume: \(error)"))
                return
            }
        }
        let inbox = self.inbox
        let kubeadm = KubeadmReprobe(plan: plan, probes: setup.kubeadmProbes, executor: setup.nodeExecutor)
        if resuming != nil {
            // A resumed run had no preflight in this session: ask each node its kubeadm for the KUBEADM column.
            for node in plan.nodes.map(\.node).sorted() { kubeadm.probe(node) }
        }
        do {
            engine = try UpgradeEngine(
                plan: plan, resuming: resuming, journal: setup.journal, nodeExecutor: setup.nodeExecutor,
                controlPlaneExecutor: setup.controlPlaneExecutor, gate: setup.gate ?? APINodeGate(client: setup.client),
                cordonMarks: setup.cordonMarks ?? APICordonMarking(client: setup.client),
                leases: NodeLeases(api: setup.leases ?? APILeases(client: setup.client), holder: .local(run: plan.id)),
                options: EngineOptions(concurrency: setup.concurrency, stopOnFirstFailure: true),
                onEvent: { event in
                    switch event {
                    case .runFinished(let state):
                        inbox.post(.upgrade(Self.finishedMessage(state, plan: plan)))
                    case .journalFailed(let message):
                        // On the screen, not on stderr under it.
                        inbox.post(.notice(message))
                    default:
                        if let message = Self.message(event) { inbox.post(.upgrade(message)) }
                    }
                    // A node that installed kubeadm runs a new one: ask it again so the KUBEADM cell follows.
                    kubeadm.follow(event)
                })
        } catch {
            inbox.post(.notice("cannot start the run: \(error)"))
            return
        }
        guard let engine else { return }
        if resuming == nil { runLock = try? RunLock.acquire(plan.id, in: setup.journal) }
        // Step pods a killed kubeskew left behind would block drains: removed (or reported) before any step runs.
        if let pods = setup.nodeExecutor.innermost as? PodExecutor {
            for line in await pods.removeLeftoverStepPods().lines { inbox.post(.notice(line)) }
        }
        inbox.post(.upgrade(.runStarted(Self.runView(plan, state: await engine.state))))
        // Quitting may have come in during the awaits above (a cluster run's next phase starts without a request):
        // a closed driver starts nothing. Checked on the actor right before the start, so stopForQuit either runs
        // before it (and nothing starts) or after it (and aborts the running engine).
        // The same for a cluster upgrade the operator stopped while this phase was being prepared.
        guard !closed && !clusterStopRequested else { return }
        do { try await engine.start() } catch {
            await refused(error, node: nil, engine: engine)
        }
    }

    /// The run's end as the screen shows it: paused when nodes wait and none failed, else finished with a summary.
    static func finishedMessage(_ state: RunState, plan: RunPlan) -> UpgradeEvent {
        let pending = state.nodes.contains { $0.status == .pending }
        let paused = pending && !state.aborted && state.stopReason == nil
            && !state.nodes.contains { $0.status == .failed || $0.status == .aborted }
        return .runFinished(paused: paused, summary: summary(state, plan: plan))
    }

    static func summary(_ state: RunState, plan: RunPlan) -> String {
        let done = state.nodes.filter { $0.status == .done }.map(\.node)
        var parts: [String] = []
        if !done.isEmpty { parts.append("\(done.joined(separator: ", ")) now \(plan.target)") }
        let kept = plan.nodes.filter(\.wasCordoned).map(\.node).filter { done.contains($0) }
        if !kept.isEmpty { parts.append("\(kept.joined(separator: ", ")) left cordoned (cordoned before the run)") }
        for node in state.nodes where node.status == .failed || node.status == .aborted {
            let operatorCordon = plan.nodes.first { $0.node == node.node }?.wasCordoned == true
            let cordon = node.cordonedByRun ? " (left cordoned)" : operatorCordon ? " (left cordoned, as before the run)" : ""
            parts.append("\(node.node) \(node.status.rawValue)\(cordon)")
        }
        let pending = state.nodes.filter { $0.status == .pending }.count
        if pending > 0 { parts.append("\(pending) not started") }
        if let reason = state.stopReason { parts.append("stopped: \(reason)") }
        return "run \(state.runID)\(state.aborted ? " aborted" : ""): " + parts.joined(separator: "; ")
    }

    // MARK: engine → screen

    static func runView(_ plan: RunPlan, state: RunState) -> RunView {
        let panes = zip(plan.nodes, state.nodes).map { nodePlan, nodeState in
            RunPane(node: nodePlan.node, steps: zip(nodePlan.steps, nodeState.steps).map { step, record in
                PaneStep(name: step.name, location: step.location == .node ? "node" : "cp", state: paneState(record))
            }, status: paneStatus(nodeState.status))
        }
        return RunView(runID: plan.id, target: plan.target.description, panes: panes)
    }

    static func message(_ event: EngineEvent) -> UpgradeEvent? {
        switch event {
        case .stepStarted(let node, let index, _): return .stepStarted(node: node, index: index, at: Date())
        case .output(let node, _, let line): return .output(node: node, line: line.text)
        case .stepFinished(let node, let index, let record): return .stepFinished(node: node, index: index, state: paneState(record))
        case .nodeStopped(let node, let reason): return .output(node: node, line: reason)
        case .nodeFinished(let node, let status): return .nodeFinished(node: node, status: paneStatus(status))
        case .runFinished, .journalFailed: return nil
        }
    }

    static func paneState(_ record: StepRecord) -> PaneStepState {
        switch record.state {
        case .pending: return .pending
        case .running: return .running(since: Date())
        case .done: return .done
        case .skipped: return .skipped(reason: record.message)
        case .failed: return .failed(exitStatus: record.exitStatus, message: record.message)
        }
    }

    static func paneStatus(_ status: NodeRunStatus) -> PaneNodeStatus {
        switch status {
        case .pending: return .pending
        case .running: return .running
        case .done: return .done
        case .failed: return .failed
        case .aborted: return .aborted
        case .refused: return .refused
        }
    }
}
