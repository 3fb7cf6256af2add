import ArgumentParser
import Dispatch
import Foundation
import KubeClient
import NodeExec
import SkewCore
import Upgrade

/// `kubeskew upgrade NODE…`: the upgrade engine without the dashboard; output prefixed per node and step.
struct UpgradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Run the kubeadm node-upgrade procedure on the named nodes, headless; exit 0 only when every node reached the target.",
        discussion: """
        The plan is printed first (see `kubeskew plan`). Blockers (PodDisruptionBudgets that allow no disruption, \
        pods without a controller, emptyDir data, a node whose commands would go to a loopback host or to none of its \
        own addresses) stop the run unless --accept-blockers is given. A run records its cluster, kubeconfig, context, \
        executor and each node's destination; --resume refuses to go on with any other. Every run is \
        journaled under $XDG_STATE_HOME/kubeskew/runs (see `kubeskew history`); an interrupted run resumes with --resume.

        Examples:
          kubeskew upgrade node01 --yes
          kubeskew upgrade node02 node03 --concurrency 2 --ssh-user ubuntu --yes
          kubeskew upgrade --resume 20261125T151242Z-b6f417
          kubeskew upgrade --cluster --target v1.35.0 --yes

        The executor, ssh, drain, concurrency and target settings not given as flags come from the configuration \
        file (see `kubeskew config`), except on --resume, which keeps the run's own. A context the file makes \
        readOnly is not upgraded (--no-read-only overrides).
        """
    )

    @Argument(help: "The nodes to upgrade (by name). Only these are touched.", completion: ShellCompletion.nodes)
    var nodes: [String] = []

    @Option(name: .long, help: "Nodes upgraded at once (default 1; with --resume, the run's own).")
    var concurrency: Int?

    @Flag(name: .long, help: "Do not ask for confirmation.")
    var yes = false

    @Flag(name: .long, help: "Go ahead despite the drain blockers found (adds --delete-emptydir-data / --force to the drain as needed).")
    var acceptBlockers = false

    @Flag(name: .long, help: "Go on with the other nodes after a node fails (default: stop starting new nodes).")
    var keepGoing = false

    @Option(name: .long, help: ArgumentHelp("Resume an interrupted run from the journal (see `kubeskew history`).", valueName: "RUN"))
    var resume: String?

    @Flag(name: .long, help: "Upgrade the whole cluster (see `kubeskew plan --cluster`): per minor hop the control plane, one node at a time, then the workers. Run it again to go on after a stop.")
    var cluster = false

    @Flag(name: .long, help: "With --cluster: no etcd snapshot before kubeadm upgrade apply (not recommended).")
    var skipEtcdBackup = false

    @OptionGroup(title: "Planning") var planning: PlanningOptions

    @OptionGroup(title: "Executor") var executors: ExecutorOptions

    @OptionGroup var data: DataOptions
    @OptionGroup(title: "Cluster") var clusterOptions: ClusterOptions

    func validate() throws {
        if cluster && (!nodes.isEmpty || resume != nil) {
            throw ValidationError("--cluster upgrades every node from what the cluster shows; name no nodes and no --resume with it")
        }
        if skipEtcdBackup && !cluster { throw ValidationError("--skip-etcd-backup is for --cluster") }
        if nodes.isEmpty && resume == nil && !cluster { throw ValidationError("name the nodes to upgrade, --cluster, or --resume RUN") }
        if !nodes.isEmpty && resume != nil {
            throw ValidationError("--resume takes no node names: the run's nodes are in its plan (see `kubeskew history`)")
        }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
    }

    // Nil when not given: the configuration file's readOnly then decides, for the context in use.
    @Flag(name: .long, inversion: .prefixedNo, help: "Refuse to change the cluster (what a configuration file's readOnly: true means); --no-read-only overrides the file.")
    var readOnly: Bool?

    @OptionGroup(title: "Configuration file") var config: ConfigOptions

    @OptionGroup(title: "Logging") var logging: LoggingOptions

    func run() async throws {
        try logging.install(for: "upgrade")
        let journal = Journal()
        var command = self
        do {
            let settings = try command.applyConfig(journal: journal)
            if command.readOnly == true {
                throw OperatorError(message: "read-only (\(settings.origin(.readOnly))"
                                    + (settings.context.map { ", context \(DisplaySafe.quote($0))" } ?? "")
                                    + "): upgrade changes the cluster, nothing was changed; --no-read-only overrides it")
            }
        } catch let e as OperatorError {
            Output.err("kubeskew upgrade: \(e.message)\n")
            throw ExitCode(e.status)
        }
        try await command.execute(journal: journal)
    }

    /// Takes what the flags did not give from the configuration file, for the context in use. A resumed run keeps
    /// its recorded executor, options and concurrency (flags alone may change them, as before): only readOnly applies,
    /// for the run's context.
    mutating func applyConfig(journal: Journal) throws -> EffectiveSettings {
        var flags = executors.flagValues.adding(planning.flagValues).adding(data.flagValues)
        flags.given(.concurrency, concurrency.map(SettingValue.number))
        flags.given(.readOnly, readOnly)
        let recordedContext = resume.flatMap { try? ResumeCheck.loadPlan($0, journal: journal) }?.identity?.context
        let settings = try config.settings(flags: flags, cluster: clusterOptions, context: clusterOptions.context ?? recordedContext)
        readOnly = settings.flag(.readOnly)
        if resume == nil {
            executors = executors.resolved(settings)
            planning = planning.resolved(settings)
            data = data.resolved(settings)
            concurrency = settings.number(.concurrency)
        }
        return settings
    }

    private func execute(journal: Journal) async throws {
        let client: KubeAPIClient
        var settings: ResumeSettings?
        do {
            if let resume {
                // The run's own kubeconfig, context, executor and options, unless flags say otherwise.
                let recorded = try ResumeCheck.loadPlan(resume, journal: journal)
                let restored = try ResumeSettings.resolve(recorded, state: try? journal.loadState(resume), cluster: clusterOptions,
                                                          executors: executors, concurrency: concurrency, planning: planning,
                                                          acceptBlockers: acceptBlockers)
                for notice in restored.notices { Output.out("note: \(notice)\n") }
                settings = restored
                client = try restored.client()
            } else {
                client = try clusterOptions.client()
            }
        } catch let e as OperatorError {
            Output.err("kubeskew upgrade: \(e.message)\n")
            throw ExitCode(1)
        }
        let status: Int32
        do {
            status = cluster ? try await ClusterUpgrade(command: self, client: client, journal: journal).run()
                : try await upgrade(client, journal: journal, resuming: settings)
        } catch let e as OperatorError {
            Output.err("kubeskew upgrade: \(e.message)\n")
            status = e.status
        } catch {
            Output.err("kubeskew upgrade: \(error)\n")
            status = 1
        }
        await client.shutdown()
        if status != 0 { throw ExitCode(status) }
    }

    private func upgrade(_ client: KubeAPIClient, journal: Journal, resuming settings: ResumeSettings?) async throws -> Int32 {
        let executors = settings?.executors ?? self.executors
        let concurrency = settings?.concurrency ?? self.concurrency ?? 1
        let nodeExecutor = try executors.make(client)
        var plan: RunPlan
        var resumed: RunState?
        var runLock: RunLock?
        if let resume, let settings {
            plan = settings.plan
            do { resumed = try journal.loadState(resume) } catch { throw OperatorError(message: "\(error)") }
            // The run goes on only on its own cluster, through the same kubeconfig, context, executor and destinations.
            let current = try await runIdentity(client, executor: executors.identity)
            if let refusal = await ResumeCheck.refusal(plan, current: current, executor: nodeExecutor) {
                throw OperatorError(message: refusal)
            }
            // One process drives a run; under its lock, read the state again: it is what the last driver left.
            runLock = try Self.holdRunLock(journal, resume)
            resumed = (try? journal.loadState(resume)) ?? resumed
            // Resumable: interrupted, aborted (also by quitting the dashboard), or ended on a failure whose cause
            // the operator has fixed. A run with every node done has nothing left.
            if let r = resumed, r.allDone {
                throw OperatorError(message: "run \(resume) finished with every node done; nothing to resume")
            }
            // What the journal says was done must be what the cluster shows; where it is not, the operator decides.
            if let r = resumed {
                let reconciliation = await ResumeReconciliation.check(
                    plan, state: r, nodeExecutor: nodeExecutor, controlPlaneExecutor: LoggedExecutor(LocalExecutor()),
                    readNode: { try await client.getNode($0) })
                if !reconciliation.mismatches.isEmpty {
                    Output.out("the journal and the cluster differ:\n" + reconciliation.mismatches.map { "  \($0.line)\n" }.joined())
                    try confirmRedo(resume)
                    resumed = reconciliation.applied(to: r)
                    Output.out("those steps and the ones after them run again, each after its own check\n")
                }
            }
            if settings.planChanged {
                // Options changed by flags: the journal records the plan that runs from now on.
                do { try journal.replacePlan(plan) } catch { throw OperatorError(message: "cannot record the changed plan of run \(resume): \(error)") }
            }
            Output.out("resuming run \(resume): " + (resumed?.nodes.map { "\($0.node) \($0.completedSteps)/\($0.steps.count)" }.joined(separator: ", ") ?? "") + "\n")
        } else {
            let identity = try await runIdentity(client, executor: executors.identity)
            var (plans, refused) = try await PlanSession.plans(nodes, client: client, cluster: clusterOptions, data: data,
                                                               planning: planning, executor: nodeExecutor)
            // With --accept-blockers the plan printed is the one that runs, drain options for the blockers included.
            if acceptBlockers { plans = plans.map { $0.acceptingBlockers() } }
            Output.out(PlanPrinter.text(plans, refused: refused, blockersAccepted: acceptBlockers))
            // A node at the target already is nothing to do (success); any other refusal fails the command.
            let blocking = refused.filter { !$0.alreadyCurrent }
            if !blocking.isEmpty {
                throw OperatorError(message: "not every named node can be upgraded (see above: " + blocking.map(\.node).joined(separator: ", ")
                                    + "); name only the nodes that can", status: 2)
            }
            if plans.isEmpty {
                Output.out("nothing to do: every named node is already at the target\n")
                return 0
            }
            let blocked = plans.filter { !$0.blockers.isEmpty }
            if !blocked.isEmpty && !acceptBlockers {
                throw OperatorError(message: "blockers on \(blocked.map(\.node).joined(separator: ", ")) (see above); resolve them or pass --accept-blockers")
            }
            try confirm(plans)
            for p in plans {
                let report = await Preflight.check(p, executor: nodeExecutor)
                if !report.passed { throw OperatorError(message: "preflight: " + report.problems.joined(separator: "; ")) }
                Output.out("\(p.node)  preflight ok: kubeadm \(report.kubeadmVersion ?? "?"), \(report.packageManager?.rawValue ?? p.packageManager.rawValue)\n")
            }
            guard let target = plans.first?.target else { throw OperatorError(message: "nothing to upgrade") }
            plan = RunPlan(id: Self.runID(), createdAt: Self.timestamp(), target: target, concurrency: concurrency, nodes: plans,
                           identity: identity)
        }

        let printer = EventPrinter(plan: plan)
        let engine: UpgradeEngine
        do {
            engine = try UpgradeEngine(
                plan: plan, resuming: resumed, journal: journal, nodeExecutor: nodeExecutor, controlPlaneExecutor: LoggedExecutor(LocalExecutor()),
                gate: APINodeGate(client: client), cordonMarks: APICordonMarking(client: client),
                leases: NodeLeases(api: APILeases(client: client), holder: .local(run: plan.id)), options: EngineOptions(concurrency: concurrency, stopOnFirstFailure: !keepGoing),
                onEvent: { printer.print($0) })
        } catch { throw OperatorError(message: "\(error)") }
        Output.out("run \(plan.id) (journal: \(journal.runDirectory(plan.id).path))\n")
        let state = try await Self.drive(engine, runID: plan.id, journal: journal, lock: runLock, nodeExecutor: nodeExecutor)
        Output.out(RunSummary.text(state, plan: plan))
        return state.allDone ? 0 : 1
    }

    private func confirm(_ plans: [NodePlan]) throws {
        if yes { return }
        guard isatty(STDIN_FILENO) == 1 else {
            throw OperatorError(message: "confirmation needed: run in a terminal or pass --yes")
        }
        Output.out("Upgrade \(plans.map(\.node).joined(separator: ", ")) as above? [y/N] ")
        guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
            throw OperatorError(message: "not confirmed; nothing was changed")
        }
    }

    /// The operator's answer to running again the steps the cluster does not show done: `--yes`, or y at a terminal.
    private func confirmRedo(_ runID: String) throws {
        if yes { return }
        let refusal = "run \(runID) not resumed: the cluster does not show what its journal says was done (above); "
            + "`kubeskew upgrade --resume \(runID) --yes` runs those steps again, or `kubeskew history \(runID)` to finish by hand"
        guard isatty(STDIN_FILENO) == 1 else { throw OperatorError(message: refusal) }
        Output.out("Run those steps again? [y/N] ")
        guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else { throw OperatorError(message: refusal) }
    }

    static func runID() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return f.string(from: Date()) + "-" + String(UUID().uuidString.prefix(6)).lowercased()
    }

    static func timestamp() -> String { ISO8601DateFormatter().string(from: Date()) }
}
