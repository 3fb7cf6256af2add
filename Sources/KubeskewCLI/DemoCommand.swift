import ArgumentParser
import Foundation
import Synchronization
import KubeClient
import NodeExec
import Simulator
import SkewCore
import TUI
import Upgrade

/// `kubeskew demo`: the dashboard on a built-in simulated cluster, with the whole guided upgrade working and nothing
/// to install: the simulator runs in this process, node commands run in its simulated node shells, and the
/// control-plane steps run the real kubectl against it.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The dashboard on a built-in simulated cluster: mark nodes, U, review, confirm, and watch them upgrade.",
        discussion: """
        The demo cluster: control plane v1.33.3; node01 one patch behind; node02 (Debian) and node03 (Rocky, dnf) a \
        minor behind; node04 at v1.29 (three passes); node05 NotReady; node06 cordoned; node07 with kubeadm ahead of \
        its kubelet; node08 whose drain a PodDisruptionBudget blocks; and an EKS managed node kubeskew refuses. \
        Runs are journaled in a temporary folder unless XDG_STATE_HOME is set; an interrupted run found there is \
        offered for resume. With XDG_STATE_HOME set, the demo keeps its runs apart from live ones \
        ($XDG_STATE_HOME/kubeskew/demo/runs), quitting during a run also saves the simulated cluster beside them \
        ($XDG_STATE_HOME/kubeskew/demo/demo-cluster.json), and the next demo offers that run on it, and on nothing \
        else; --fresh starts from the scenario again.
        """
    )

    @Option(name: .long, help: "Speed of the simulated node shells: 1 realistic (a few seconds per node), 10 ten times faster, 0 instant.")
    var speed: Double = 1

    @Option(name: .long, help: "Nodes upgraded at once.")
    var concurrency: Int = 1

    @Option(name: .long, help: ArgumentHelp("Give up a drain after this many seconds (the PDB-blocked node fails then).", valueName: "SECONDS"))
    var drainTimeout: Int = 15

    @Flag(name: .long, help: "Hide and unbind every action that changes the cluster.")
    var readOnly = false

    @Flag(name: .long, help: "No colour (NO_COLOR is honoured too).")
    var noColor = false

    @Flag(name: .long, help: "Start from the demo scenario: ignore and delete the saved demo cluster.")
    var fresh = false

    func validate() throws {
        if speed < 0 || !speed.isFinite { throw ValidationError("--speed must be 0 or more") }
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if drainTimeout < 1 { throw ValidationError("--drain-timeout must be at least 1 second") }
    }

    @OptionGroup(title: "Logging") var logging: LoggingOptions

    func run() async throws {
        try logging.install(for: "demo")
        let environment = ProcessInfo.processInfo.environment
        let scratch: URL
        do { scratch = try Self.makeScratchDirectory() } catch let e as OperatorError {
            Output.err("kubeskew demo: \(e.message)\n")
            throw ExitCode(1)
        }
        defer { try? FileManager.default.removeItem(at: scratch) }

        let journal: Journal
        let savedCluster: DemoClusterFile?
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            // Apart from live runs: a demo run belongs to the demo's simulated cluster and is offered by no other.
            journal = Journal(root: Journal.demoRoot(environment: environment))
            savedCluster = DemoClusterFile(journal: journal)
        } else {
            journal = Journal(root: scratch.appendingPathComponent("state/kubeskew/runs"))
            savedCluster = nil
        }
        if fresh { savedCluster?.delete() }
        let candidate = journal.resumableRun()
        // The saved cluster is the one the offered run acted on; any other run would act on a cluster it never saw.
        var notes: [String] = []
        let image: SimulatorImage?
        switch savedCluster?.load(for: candidate?.runID) {
        case .some(.success(let loaded)): image = loaded
        case .some(.failure(let problem)): image = nil; notes.append(problem.description)
        case .none: image = nil
        }

        let simulator: RunningSimulator
        do {
            var options = SimulatorOptions(scenario: try Scenario.named("demo"), shellSpeed: speed)
            options.image = image
            simulator = try await RunningSimulator.start(options)
        } catch {
            Output.err("kubeskew demo: cannot start the simulated cluster: \(error)\n")
            throw ExitCode(1)
        }
        // With a kept journal the kubeconfig has a stable path beside it: the plan's kubectl steps name it, and a run
        // resumed by a later demo must reach that demo's cluster through the same path.
        let kubeconfig = savedCluster?.kubeconfigURL.path ?? scratch.appendingPathComponent("kubeconfig").path
        let client: KubeAPIClient
        do {
            try savedCluster?.makeFolder()
            try simulator.writeKubeconfig(to: kubeconfig)
            client = KubeAPIClient(config: try KubeconfigLoader.load(explicitPath: kubeconfig, context: nil))
        } catch {
            Output.err("kubeskew demo: \(error)\n")
            try? await simulator.stop()
            throw ExitCode(1)
        }
        guard let shells = simulator.shells else {
            Output.err("kubeskew demo: the simulated node shells did not start\n")
            await client.shutdown()
            try? await simulator.stop()
            throw ExitCode(1)
        }

        let kubectl = KubectlCommand.argv(context: client.config.contextName, kubeconfigFiles: [kubeconfig])
        let executor = LoggedExecutor(SimulatedNodeExecutor(shells: shells))
        // The run is offered only on the cluster it acted on (the saved one, same kube-system uid), with the same
        // kubeconfig, context and node shells.
        let identity = try? await runIdentity(client, executor: ExecutorIdentity(kind: "demo"))
        var offer: RunState?
        if let candidate, image == nil {
            notes.append("run \(candidate.runID) is not offered: it belongs to the demo cluster it acted on, which was not kept (kubeskew history lists it)")
        } else if let candidate, let identity {
            do {
                let plan = try journal.loadPlan(candidate.runID)
                if let refusal = await ResumeCheck.refusal(plan, current: identity, executor: executor) {
                    notes.append(refusal)
                } else {
                    offer = candidate
                }
            } catch { notes.append("run \(candidate.runID) is not offered: \(error)") }
        }
        let context = AssessmentContext(today: DataOptions.currentDay())
        let selection = TargetSelection(context)
        let inbox: DashboardInbox
        do { inbox = try DashboardInbox() } catch {
            Output.err("kubeskew demo: \(error)\n")
            throw ExitCode(1)
        }
        let probes = KubeadmProbes()
        // The simulated shells answer at once: every node is asked as the demo opens (probes are not cached here,
        // the demo cluster is made anew).
        let prober = KubeadmProber(probes: probes, executor: executor, concurrency: 8, onOpen: .probe, cache: nil)
        let session = GuidedSession(setup: GuidedUpgradeDriver.Setup(
            client: client, context: context, journal: journal, nodeExecutor: executor,
            controlPlaneExecutor: LoggedExecutor(LocalExecutor()), kubectl: kubectl, drainTimeoutSeconds: drainTimeout, concurrency: concurrency,
            kubeadmProbes: probes, identity: identity, targetSelection: selection), inbox: inbox)
        let apiRemovals = APIRemovalWatch(client: client, table: .embedded())
        defer { apiRemovals.stop() }
        let feed = Task {
            await ClusterFeed(client: client, context: context, inbox: inbox, interval: .seconds(1), kubeadmProbes: probes,
                              prober: prober, selection: selection, apiRemovals: apiRemovals).run()
        }
        GuidedSession.offerResume(offer, notes: ["(the demo cluster is as the run left it)"], inbox: inbox)
        for note in notes { inbox.post(.notice(note)) }

        let configuration = DashboardRuntime.Configuration(
            readOnly: readOnly, color: ColorMode.requested(noColorFlag: noColor, environment: environment))
        var failure: String?
        var exit = DashboardExit.quit
        do {
            exit = try await DashboardRuntime.run(configuration: configuration, inbox: inbox, onAction: session.onAction,
                                           onStopAction: session.onStopAction, onUpgrade: session.onUpgrade,
                                           onProbeKubeadm: prober.reprobeFromKey(inbox),
                                           onReadNodePods: NodePodsReader.callback(client: client, inbox: inbox),
                                           onChooseTarget: { selection.choose($0) })
        } catch {
            failure = "\(error)"
        }
        await prober.stop()
        // The terminal is restored: say what the run leaves behind before the cluster goes away.
        let (wasRunning, finalState, plan) = await session.stop(after: exit, prefix: "kubeskew demo")
        // Keep the cluster the unfinished run acted on (this session's run, else the one it was restored for).
        var saved: String?
        if let savedCluster, let runID = plan?.id ?? image?.runID {
            switch await savedCluster.save(simulator, runID: runID, journal: journal) {
            case .success(let path)?: saved = path
            case .failure(let problem)?: Output.err("kubeskew demo: \(problem)\n")
            case nil: break
            }
        }
        if let state = finalState, let plan {
            if wasRunning {
                Output.out(exit.isHangup ? "kubeskew demo: the terminal went away: the run stopped after the steps in flight\n"
                                         : "kubeskew demo: the run was aborted on quit; running commands were stopped\n")
            }
            Output.out(Self.summary(state, plan: plan, journalKept: journal.root.path.hasPrefix(scratch.path) == false, clusterSavedAt: saved))
        } else if let saved {
            Output.out("The demo cluster is saved in \(saved); the next kubeskew demo offers the unfinished run on it (--fresh starts over).\n")
        }
        feed.cancel()
        // Closing the client and the simulated cluster is bounded: a connection that will not close (the terminal
        // gone, a half-finished request) must not keep the process alive after the operator quit.
        let closed = Atomic(false)
        Task.detached {
            await client.shutdown()
            try? await simulator.stop()
            closed.store(true, ordering: .releasing)
        }
        let deadline = ContinuousClock.now + .seconds(3)
        while !closed.load(ordering: .acquiring) && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if let failure {
            Output.err("kubeskew demo: \(failure)\n")
            throw ExitCode(1)
        }
    }

    /// What the run leaves behind, per node; the demo cluster itself ends with the demo.
    static func summary(_ state: RunState, plan: RunPlan, journalKept: Bool, clusterSavedAt: String? = nil) -> String {
        var out = "summary of run \(state.runID)\(state.aborted ? " (aborted)" : ""):\n"
        for (node, nodePlan) in zip(state.nodes, plan.nodes) {
            var line = "  \(node.node): \(node.status.rawValue), \(node.completedSteps)/\(node.steps.count) steps"
            if node.status == .done { line += ", now \(nodePlan.target)" }
            if let index = node.steps.firstIndex(where: { $0.state == .failed }) {
                line += "; stopped at \(nodePlan.stepTitle(index)) (\(node.steps[index].exitStatus ?? "no exit status"))"
            }
            if nodePlan.wasCordoned {
                line += "; left cordoned (it was cordoned before the run)"
            } else if node.cordonedByRun && node.status != .done {
                line += "; cordoned by the run unless uncordoned since"
            }
            out += line + "\n"
        }
        if let clusterSavedAt {
            out += "The journal keeps the run, and the demo cluster is saved in \(clusterSavedAt): the next kubeskew demo "
                + "offers to resume the run on it (--fresh starts over).\n"
        } else {
            out += journalKept
                ? "The journal keeps the run (kubeskew history shows it); the next kubeskew demo starts from the scenario.\n"
                : "The demo cluster and its journal end with the demo.\n"
        }
        return out
    }

    /// A private folder (0700) for the kubeconfig (0600) and, without XDG_STATE_HOME, the journal.
    static func makeScratchDirectory() throws -> URL {
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("kubeskew-demo.XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkdtemp($0) != nil } ?? false }
        guard made else {
            throw OperatorError(message: "cannot create a temporary folder in \(NSTemporaryDirectory()): \(String(cString: strerror(errno)))")
        }
        return URL(fileURLWithPath: String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}
