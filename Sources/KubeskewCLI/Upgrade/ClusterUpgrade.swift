import Foundation
import KubeClient
import KubeModel
import NodeExec
import SkewCore
import Upgrade

/// `kubeskew upgrade --cluster`: runs the whole-cluster plan phase by phase. Each phase is an ordinary journaled run
/// (its own run ID, resumable with `--resume`); before each phase the cluster is read and planned again, so what runs
/// next is always decided from what the cluster shows now: a run stopped anywhere goes on by running the same command
/// again (a control plane stopped between two nodes is "mid-upgrade", and its remaining nodes are finished first).
///
/// Concurrency: this loop owns the phases; one engine runs at a time, driven by `UpgradeCommand.drive`, which owns
/// the signals (SIGINT/SIGTERM abort the phase in flight, and no later phase starts).
struct ClusterUpgrade {
    let command: UpgradeCommand
    let client: KubeAPIClient
    let journal: Journal

    /// Runs every phase until the cluster is at the target; 0 when it is, 1 when a phase stopped short.
    func run() async throws -> Int32 {
        let executors = command.executors
        let nodeExecutor = try executors.make(client)
        let identity = try await runIdentity(client, executor: executors.identity)
        let context = try command.data.context()
        try refuseUnfinishedRuns(of: identity)
        var phases = try clusterPhases(context: context)
        var repeatGuard = ClusterPhases.RepeatGuard()
        var first = true
        var appliedBefore = false
        while true {
            let plan = try await phases.currentPlan()
            if first {
                // The version asked for is the first plan's: a relative target is not resolved again after a hop.
                phases = phases.pinned(to: plan.target)
                Output.out(ClusterPlanPrinter.text(plan))
                let blocked = plan.phases.flatMap(\.nodes).filter { !$0.blockers.isEmpty }
                if !blocked.isEmpty && !command.acceptBlockers {
                    throw OperatorError(message: "blockers on \(blocked.map(\.node).joined(separator: ", ")) (see above); resolve them or pass --accept-blockers")
                }
                try await checkCertificates(plan, executor: nodeExecutor)
                if !plan.phases.isEmpty { try ask("Upgrade the cluster to \(plan.target) as above? [y/N] ") }
            }
            guard let phase = plan.phases.first else {
                Output.out(first ? "nothing to do: the cluster is at \(plan.target)\n" : "the cluster is at \(plan.target)\n")
                return 0
            }
            try repeatGuard.check(phase)
            if phase.kind == .controlPlane && appliedBefore {
                try ask("The control plane is at its previous hop. Go on with kubeadm upgrade apply \(phase.version)? [y/N] ")
            }
            // Without --accept-blockers a phase with blockers was refused above (first plan) or stops here (found later).
            let nodes = try await phases.ready(phase, accepted: command.acceptBlockers ? nil : ReviewedBlockers.none, executor: nodeExecutor)
            Output.out("\nphase: \(phase.kind.rawValue) → \(phase.version): \(phase.nodes.map(\.node).joined(separator: ", "))\n")
            let runPlan = RunPlan(id: UpgradeCommand.runID(), createdAt: UpgradeCommand.timestamp(), target: phase.version,
                                  concurrency: phase.oneAtATime ? 1 : (command.concurrency ?? 1), nodes: nodes,
                                  identity: identity)
            let state = try await runPhase(runPlan, nodeExecutor: nodeExecutor)
            guard state.allDone else {
                Output.out(Self.advice(phase, state: state, plan: runPlan))
                return 1
            }
            if phase.kind == .controlPlane || phase.kind == .finishControlPlane {
                let nodes = phase.nodes.map(\.node)
                let behind = try await phases.controlPlaneBehind(phase.version, nodes: nodes)
                if !behind.isEmpty {
                    throw OperatorError(message: "the control plane is not at \(phase.version) after its phase: " + behind.joined(separator: "; ")
                                        + "; the next phase does not start")
                }
                Output.out("control plane at \(phase.version) on \(nodes.joined(separator: ", ")) (static pods read through the API)\n")
                if phase.kind == .controlPlane { appliedBefore = true }
            }
            first = false
        }
    }

    /// A run of this cluster that is unfinished (interrupted, or driven by another kubeskew right now) must end first:
    /// planning around it would run its nodes' steps a second time, from two runs.
    private func refuseUnfinishedRuns(of identity: RunIdentity) throws {
        for id in journal.runIDs() {
            guard let state = try? journal.loadState(id), !state.isFinished || state.isResumable, !state.allDone, state.resumeDeclinedAt == nil,
                  let plan = try? journal.loadPlan(id), plan.identity?.sameCluster(as: identity) == true else { continue }
            let nodes = state.nodes.filter { $0.status != .done }.map(\.node).joined(separator: ", ")
            if !state.isFinished && Journal.processIsAlive(state.pid) {
                throw OperatorError(message: "run \(id) is upgrading \(nodes) on this cluster now (pid \(state.pid)); wait for it to end")
            }
            throw OperatorError(message: "run \(id) on this cluster did not finish (\(nodes)): finish it first with "
                                + "`kubeskew upgrade --resume \(id)`, then run kubeskew upgrade --cluster again")
        }
    }

    /// "kubeadm certs check-expiration read, and an expired or soon-expiring certificate shown before anything runs":
    /// on every control-plane node of the plan; an expired one stops here.
    private func checkCertificates(_ plan: ClusterPlan, executor: any NodeExecutor) async throws {
        let nodes = plan.phases.filter { $0.kind == .controlPlane || $0.kind == .finishControlPlane }.flatMap(\.nodes)
        var unique: [NodePlan] = []
        for node in nodes where !unique.contains(where: { $0.node == node.node }) { unique.append(node) }
        let resolved = await DestinationCheck.resolve(unique, executor: executor)
        let findings = await ControlPlaneCertificates.check(resolved.plans, executor: executor)
        for line in findings.warnings { Output.out("certificates: \(line)\n") }
        if !findings.blocking.isEmpty { throw OperatorError(message: findings.blocking.map(\.line).joined(separator: "; ")) }
    }

    private func clusterPhases(context: AssessmentContext) throws -> ClusterPhases {
        let options = try command.planning.plannerOptions(kubectl: command.clusterOptions.kubectlArgv(for: client))
        return ClusterPhases(client: client, context: context, plannerOptions: options,
                             packageManagerOverride: command.planning.packageManager, etcdBackup: !command.skipEtcdBackup,
                             removedAPIs: try command.data.removedAPITable())
    }

    private func runPhase(_ plan: RunPlan, nodeExecutor: any NodeExecutor) async throws -> RunState {
        let printer = EventPrinter(plan: plan)
        let engine: UpgradeEngine
        do {
            engine = try UpgradeEngine(
                plan: plan, resuming: nil, journal: journal, nodeExecutor: nodeExecutor, controlPlaneExecutor: LoggedExecutor(LocalExecutor()),
                gate: APINodeGate(client: client), cordonMarks: APICordonMarking(client: client),
                leases: NodeLeases(api: APILeases(client: client), holder: .local(run: plan.id)),
                options: EngineOptions(concurrency: plan.concurrency, stopOnFirstFailure: true), onEvent: { printer.print($0) })
        } catch { throw OperatorError(message: "\(error)") }
        Output.out("run \(plan.id) (journal: \(journal.runDirectory(plan.id).path))\n")
        let state = try await UpgradeCommand.drive(engine, runID: plan.id, journal: journal, lock: nil, nodeExecutor: nodeExecutor)
        Output.out(RunSummary.text(state, plan: plan))
        return state
    }

    private func ask(_ question: String) throws {
        if command.yes { return }
        guard isatty(STDIN_FILENO) == 1 else { throw OperatorError(message: "confirmation needed: run in a terminal or pass --yes") }
        Output.out(question)
        guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
            throw OperatorError(message: "not confirmed; the phases done so far stay done, and the same command goes on from here")
        }
    }

    /// What to do after a phase stopped short: kubeadm's own recovery advice where `apply` or `upgrade node` failed.
    static func advice(_ phase: ClusterPlan.Phase, state: RunState, plan: RunPlan) -> String {
        var out = "the cluster upgrade stopped in its \(phase.kind.rawValue) phase to \(phase.version); no later phase started.\n"
        for (node, nodePlan) in zip(state.nodes, plan.nodes) {
            guard let index = node.steps.firstIndex(where: { $0.state == .failed }) else { continue }
            let step = nodePlan.steps[index]
            let controlPlaneStep = (step.kind == .upgradeApply || step.kind == .upgradeNode)
                && (phase.kind == .controlPlane || phase.kind == .finishControlPlane)
            switch controlPlaneStep {
            case true:
                out += "  \(node.node): \(nodePlan.stepTitle(index)) failed. kubeadm upgrade is idempotent: fix the cause, then run the same "
                    + "kubeskew upgrade --cluster again. kubeadm rolls a failed control plane back by itself; if it could not, "
                    + "`kubeadm upgrade apply --force <the version it ran before>` on \(node.node) recovers it. Its backups are in "
                    + "/etc/kubernetes/tmp (kubeadm-backup-etcd-*, kubeadm-backup-manifests-*)"
                    + (nodePlan.steps.contains { $0.kind == .etcdSnapshot } ? ", and kubeskew's etcd snapshot in /var/backups/kubeskew" : "") + ".\n"
            case false:
                out += "  \(node.node): \(nodePlan.stepTitle(index)) failed; fix the cause, then `kubeskew upgrade --resume \(plan.id)` or run the same "
                    + "kubeskew upgrade --cluster again.\n"
            }
        }
        return out
    }
}
