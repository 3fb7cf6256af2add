import Foundation
import KubeClient
import KubeModel
import NodeExec
import SkewCore
import TUI
import Upgrade

/// The upgrade side of the dashboard: turns the dashboard's `UpgradeRequest`s into planning, preflight and engine
/// calls, and the engine's events into `UpgradeEvent`s posted to the dashboard's inbox. The screen never waits on it.
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
        /// How the run waits for a node to come back; nil: through the API (`APINodeGate`).
        var gate: (any NodeGate)? = nil
    }

    let setup: Setup
    let inbox: DashboardInbox
    private var plans: [String: NodePlan] = [:]
    private var engine: UpgradeEngine?
    private var engineBusy = false

    init(setup: Setup, inbox: DashboardInbox) {
        self.setup = setup
        self.inbox = inbox
    }

    func handle(_ request: UpgradeRequest) async {
        switch request {
        case .plan(let nodes): await plan(nodes)
        case .start(let nodes): await start(nodes)
        case .abort: await engine?.abort()
        case .retry(let node):
            guard let engine else { return }
            engineBusy = true
            _ = await engine.retry(node: node)
            engineBusy = false
            await goOnOrFinish()
        case .skip(let node):
            guard let engine else { return }
            engineBusy = true
            let result = await engine.skipFailedStep(node: node)
            engineBusy = false
            if case .failure(let refused) = result {
                inbox.post(.notice(refused.message))
                inbox.post(.upgrade(.nodeFinished(node: node, status: .failed)))
                return
            }
            await goOnOrFinish()
        case .pauseAfterCurrent: await engine?.pauseAfterCurrentNodes()
        case .resume: await runEngine()
        case .resumeInterrupted(let runID): await resumeInterrupted(runID)
        case .declineResume(let runID): declineResume(runID)
        }
    }

    /// True while a run has nodes in flight (quitting must then abort it).
    var isRunning: Bool { engineBusy }

    /// Aborts a run in flight and waits (up to `limit`) for it to stop; returns the nodes' final states.
    func stopForQuit(limit: Duration) async -> RunState? {
        guard let engine else { return nil }
        if engineBusy { await engine.abort() }
        let deadline = ContinuousClock.now + limit
        while engineBusy && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        return await engine.state
    }

    var currentPlan: RunPlan? { get async { await engine?.plan } }

    /// The run's state now (nil before a run).
    var runState: RunState? { get async { await engine?.state } }

    // MARK: planning

    private func plan(_ names: [String]) async {
        do {
            let loaded = try await ClusterSnapshotLoader.load(setup.client, tolerateForbidden: true)
            let assessment = Assessor(context: setup.context).assess(loaded.snapshot.facts())
            if let problem = assessment.targetProblem {
                inbox.post(.upgrade(.planFailed("target: \(problem)")))
                return
            }
            let planner = Planner(options: Planner.Options(kubectl: setup.kubectl, drainTimeoutSeconds: setup.drainTimeoutSeconds))
            let planning = NodePlanning(snapshot: loaded.snapshot, assessment: assessment, planner: planner, packageManagerOverride: nil)
            var (found, refused) = planning.plans(for: names)
            found = try await NodePlanning.withBlockers(found, client: setup.client)
            var ready: [NodePlan] = []
            // Preflight changes nothing; a node that fails it is shown as not planned, with the reason.
            for plan in found {
                let report = await Preflight.check(plan, executor: setup.nodeExecutor)
                if let version = report.kubeadmVersion { setup.kubeadmProbes.record(node: plan.node, version: version) }
                if report.passed {
                    ready.append(plan)
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
                    if step.kind == .uncordon, let reason = plan.keptCordonedReason {
                        // Shown in place of the command, which will not run.
                        return PlanReview.Command(hop: step.hop, name: "\(step.name) (skipped)", location: step.location.rawValue,
                                                  line: "skipped: \(reason)", isShellCommand: false)
                    }
                    return PlanReview.Command(hop: step.hop, name: step.name, location: step.location.rawValue,
                                              line: step.displayLine, isShellCommand: isShell)
                },
                blockers: plan.blockers.map { PlanReview.Blocker(kind: $0.kind.rawValue, object: $0.object, advice: $0.advice) })
        }
        return PlanReview(target: target, nodes: nodes, refused: refused.map { PlanReview.Refusal(node: $0.node, reason: $0.reason) })
    }

    // MARK: running

    private func start(_ names: [String]) async {
        guard !engineBusy else {
            inbox.post(.notice("a run is in progress"))
            return
        }
        // Confirming acknowledged every blocker: drains get the options those blockers need.
        let accepted = names.compactMap { plans[$0]?.acceptingBlockers() }
        guard let target = accepted.first?.target, !accepted.isEmpty else {
            inbox.post(.notice("nothing to upgrade: plan again with U"))
            return
        }
        let plan = RunPlan(id: UpgradeCommand.runID(), createdAt: UpgradeCommand.timestamp(), target: target,
                           concurrency: setup.concurrency, nodes: accepted)
        await begin(plan, resuming: nil)
    }

    private func resumeInterrupted(_ runID: String) async {
        do {
            let plan = try setup.journal.loadPlan(runID)
            let state = try setup.journal.loadState(runID)
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
        let inbox = self.inbox
        let probes = setup.kubeadmProbes
        let executor = setup.nodeExecutor
        let targets = Dictionary(plan.nodes.compactMap { node in (try? NodeTarget(name: node.node, internalIP: node.internalIP)).map { (node.node, $0) } },
                                 uniquingKeysWith: { first, _ in first })
        if resuming != nil {
            // A resumed run had no preflight in this session: ask each node its kubeadm for the KUBEADM column.
            Task {
                for (node, target) in targets.sorted(by: { $0.key < $1.key }) {
                    if let version = await Preflight.kubeadmVersion(on: target, executor: executor) { probes.record(node: node, version: version) }
                }
            }
        }
        do {
            engine = try UpgradeEngine(
                plan: plan, resuming: resuming, journal: setup.journal, nodeExecutor: setup.nodeExecutor,
                controlPlaneExecutor: setup.controlPlaneExecutor, gate: setup.gate ?? APINodeGate(client: setup.client),
                options: EngineOptions(concurrency: setup.concurrency, stopOnFirstFailure: true),
                onEvent: { event in
                    if let message = Self.message(event) { inbox.post(.upgrade(message)) }
                    // An upgraded node runs a new kubeadm: ask it again so the KUBEADM column follows.
                    if case .nodeFinished(let node, .done) = event, let target = targets[node] {
                        Task {
                            if let version = await Preflight.kubeadmVersion(on: target, executor: executor) {
                                probes.record(node: node, version: version)
                            }
                        }
                    }
                })
        } catch {
            inbox.post(.notice("cannot start the run: \(error)"))
            return
        }
        guard let engine else { return }
        inbox.post(.upgrade(.runStarted(Self.runView(plan, state: await engine.state))))
        await runEngine()
    }

    private func runEngine() async {
        guard let engine, !engineBusy else { return }
        engineBusy = true
        _ = await engine.run()
        engineBusy = false
        await finish()
    }

    /// After a retry or skip: go on with the pending nodes unless the run stopped on a failure or was aborted.
    private func goOnOrFinish() async {
        guard let engine, !engineBusy else { return }
        let state = await engine.state
        let stillFailed = state.nodes.contains { $0.status == .failed || $0.status == .aborted }
        if !stillFailed && !state.aborted && state.nodes.contains(where: { $0.status == .pending }) {
            await runEngine()
        } else {
            await finish()
        }
    }

    private func finish() async {
        guard let engine else { return }
        let state = await engine.state
        let pending = state.nodes.contains { $0.status == .pending }
        let paused = pending && !state.aborted && !state.nodes.contains { $0.status == .failed || $0.status == .aborted }
        inbox.post(.upgrade(.runFinished(paused: paused, summary: Self.summary(state, plan: await engine.plan))))
    }

    static func summary(_ state: RunState, plan: RunPlan) -> String {
        let done = state.nodes.filter { $0.status == .done }.map(\.node)
        var parts: [String] = []
        if !done.isEmpty { parts.append("\(done.joined(separator: ", ")) now \(plan.target)") }
        let kept = plan.nodes.filter(\.wasCordoned).map(\.node).filter { done.contains($0) }
        if !kept.isEmpty { parts.append("\(kept.joined(separator: ", ")) left cordoned (cordoned before the run)") }
        for node in state.nodes where node.status == .failed || node.status == .aborted {
            parts.append("\(node.node) \(node.status.rawValue)\(node.cordonedByRun ? " (left cordoned)" : "")")
        }
        let pending = state.nodes.filter { $0.status == .pending }.count
        if pending > 0 { parts.append("\(pending) not started") }
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
        case .nodeFinished(let node, let status): return .nodeFinished(node: node, status: paneStatus(status))
        case .runFinished: return nil
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
        }
    }
}
