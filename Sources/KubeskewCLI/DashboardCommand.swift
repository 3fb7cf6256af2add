import ArgumentParser
import Foundation
import KubeClient
import KubeModel
import NodeExec
import SkewCore
import TUI
import Upgrade

/// `kubeskew dashboard`: the interactive dashboard, live on a cluster (kubeconfig) or on offline input (a nodes
/// file or a cluster-info dump).
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "The interactive dashboard: live on the kubeconfig's cluster (watch mode), or on a nodes file / dump.",
        discussion: """
        Press ? in the dashboard for its keys.

        Examples:
          kubeskew                                # the current context, live
          kubeskew --context prod --read-only     # look, change nothing
          kubeskew dashboard --from-dump ./dump   # a kubectl cluster-info dump
          kubeskew --all-contexts                 # the fleet view: one row per cluster
          kubeskew --contexts prod,staging        # the fleet view on these contexts

        Settings not given as flags come from the configuration file (see `kubeskew config`), from the section of \
        the context shown: one opened from the fleet view or with :ctx takes its own.
        """
    )

    @OptionGroup var input: InputOptions

    // The settings the configuration file may also give are optional: nil is "no flag", and the file or the
    // built-in default applies (resolved for each context opened, in `applyConfig`).
    @Flag(name: .long, inversion: .prefixedNo, help: "Hide and unbind every action that changes the cluster (cordon, uncordon, drain, upgrade); --no-read-only overrides a configuration file's readOnly: true.")
    var readOnly: Bool?

    @Flag(name: .long, inversion: .prefixedNo, help: "--no-color: no colour (NO_COLOR is honoured too); --color: colour on a terminal (the default) despite the configuration file's color: never.")
    var color: Bool?

    @OptionGroup var data: DataOptions

    @OptionGroup(title: "Live cluster (when no file is given)") var cluster: ClusterOptions

    @OptionGroup(title: "Guided upgrade and kubeadm probes (live cluster)") var executors: ExecutorOptions

    @OptionGroup(title: "kubeadm probes (live cluster)") var probing: ProbeOptions

    @Option(name: .long, help: "Guided upgrade: nodes upgraded at once (default 1).")
    var concurrency: Int?

    @Option(name: .long, help: ArgumentHelp("Guided upgrade: give up a drain after this many seconds.", valueName: "SECONDS"))
    var drainTimeout: Int?

    @OptionGroup(title: "Many clusters") var fleet: FleetOptions

    @OptionGroup(title: "Configuration file") var config: ConfigOptions

    @OptionGroup(title: "Logging") var logging: LoggingOptions

    func validate() throws {
        try fleet.validate(context: cluster.context, input: input, probeKubeadm: false)
    }

    func run() async throws {
        try logging.install(for: "dashboard")
        if fleet.isFleet {
            try await runFleet()
            return
        }
        if input.isLive {
            try await runLiveSession()
            return
        }
        var command = self
        do { _ = try command.applyConfig() } catch let e as OperatorError {
            Output.err("kubeskew dashboard: \(e.message)\n")
            throw ExitCode(e.status)
        }
        try await command.runOffline()
    }

    /// Takes what the flags did not give from the configuration file, for the context in use (`cluster.context`,
    /// else the kubeconfig's current one).
    mutating func applyConfig() throws -> EffectiveSettings {
        var flags = executors.flagValues.adding(probing.flagValues).adding(data.flagValues)
        flags.given(.concurrency, concurrency.map(SettingValue.number))
        flags.given(.drainTimeout, drainTimeout.map(SettingValue.number))
        flags.given(.readOnly, readOnly)
        flags.given(.color, color.map { .text($0 ? "auto" : "never") }, flag: color == false ? "--no-color" : "--color")
        let settings = try config.settings(flags: flags, cluster: cluster)
        executors = executors.resolved(settings)
        probing = probing.resolved(settings)
        data = data.resolved(settings)
        concurrency = settings.number(.concurrency)
        drainTimeout = settings.number(.drainTimeout)
        readOnly = settings.flag(.readOnly)
        color = settings.text(.color).map { $0 != "never" }
        return settings
    }

    /// The dashboard on a nodes file or a dump (settings already resolved).
    private func runOffline() async throws {
        let inbox: DashboardInbox
        var offline: (snapshot: ClusterSnapshot, context: AssessmentContext)?
        do {
            let context = try data.context()
            var (snapshot, source) = try input.offlineSnapshot()
            try input.applyControlPlane(to: &snapshot)
            let facts = snapshot.facts()
            let assessment = Assessor(context: context).assess(facts)
            inbox = try DashboardInbox()
            inbox.post(.snapshotChanged(DashboardData(snapshot: snapshot, assessment: assessment)))
            inbox.post(.watchState(.offline(source: (source as NSString).lastPathComponent)))
            offline = (snapshot, context)
        } catch let e as OperatorError {
            Output.err("kubeskew dashboard: \(e.message)\n")
            throw ExitCode(e.status)
        }
        try await runDashboard(inbox, onAction: { request in
            // Offline input has no cluster to act on; say so instead of pretending.
            for node in request.nodes {
                inbox.post(.nodeAction(.finished(requestID: request.id, node: node, succeeded: false, exitStatus: nil,
                                                 outcome: "\(node): offline input, nothing to \(request.kind.rawValue)")))
            }
        }, onProbeKubeadm: { _ in
            inbox.post(.notice("offline input: no node to ask for kubeadm; open the dashboard on the live cluster"))
        }, onChooseTarget: { [offline] choice in
            // The file does not change: assess it again with the chosen target, off the UI thread.
            guard let (snapshot, context) = offline else { return }
            Task.detached {
                var chosen = context
                chosen.target = choice
                let assessment = Assessor(context: chosen).assess(snapshot.facts())
                if let problem = assessment.targetProblem { inbox.post(.notice("target \(choice): \(problem)")); return }
                inbox.post(.snapshotChanged(DashboardData(snapshot: snapshot, assessment: assessment)))
            }
        })
    }

    /// What became of one cluster's dashboard: how it ended, the context it showed (resolved), and what to print
    /// once the terminal is the shell's again (a run's summary).
    struct LiveOutcome {
        var exit: DashboardExit
        var context: String
        var after: [String] = []
    }

    /// The live dashboard on the kubeconfig's context (or --context); `:ctx NAME` reopens it on another context in
    /// the same terminal. A context that cannot be opened sends the operator back to the one before, saying why.
    private func runLiveSession() async throws {
        let host = TerminalHost()
        var after: [String] = []
        defer { for line in after { Output.out(line) } }
        defer { host.shutdown() }
        var context = cluster.context
        var previous: String?
        var notice: String?
        while true {
            do {
                let outcome = try await runLive(context: context, host: host, returnsToFleet: false, notice: notice)
                after += outcome.after
                notice = nil
                guard case .switchContext(let name) = outcome.exit else { return }
                previous = outcome.context
                context = name
                host.showTransition("opening context \(name)\u{2026}")
            } catch let e as OperatorError {
                guard let back = previous else {
                    host.shutdown()
                    Output.err("kubeskew dashboard: \(e.message)\n")
                    throw ExitCode(e.status)
                }
                notice = "cannot open context \(context ?? "?"): \(e.message)"
                context = back
                previous = nil
            }
        }
    }

    /// The fleet view (`--all-contexts`, `--contexts`): every cluster read at once, each row as it comes; `enter`
    /// opens that context's live dashboard in the same terminal, `esc` there comes back (see `CommandPrompt.swift`
    /// for when it may not).
    private func runFleet() async throws {
        let names: [String]
        let known: [String]
        let check: FleetCheck
        let inbox: Inbox<FleetMessage>
        do {
            known = try FleetCheck.allContexts(kubeconfig: cluster.kubeconfig)
            names = fleet.requestedContexts ?? known
            let unknown = names.filter { !known.contains($0) }
            if !unknown.isEmpty {
                throw OperatorError(message: "no context \(unknown.map { DisplaySafe.quote($0) }.joined(separator: ", ")) in the kubeconfig; "
                                    + "its contexts: \(known.map { DisplaySafe.quote($0) }.joined(separator: ", "))")
            }
            // Each row takes its own context's target from the configuration file, as `check --all-contexts` does.
            var base = self
            let settings = try base.applyConfig()
            check = FleetCheck(kubeconfig: cluster.kubeconfig, context: try self.data.context(), timeout: .seconds(fleet.contextTimeout))
                .withTargets(of: names, from: settings)
            inbox = try Inbox<FleetMessage>()
        } catch let e as OperatorError {
            Output.err("kubeskew dashboard: \(e.message)\n")
            throw ExitCode(e.status)
        }
        let loader = FleetLoader(check: check, contexts: names, inbox: inbox)
        loader.start(generation: 0)
        let host = TerminalHost()
        var after: [String] = []
        var state: FleetState?
        var notice: String?
        do {
            fleet: while true {
                var configuration = runtimeConfiguration(host: host)
                configuration.notice = notice
                // The spinner of the rows still loading turns at this pace.
                configuration.tickInterval = .milliseconds(250)
                notice = nil
                let (exit, kept) = try await FleetRuntime.run(configuration: configuration, inbox: inbox, state: state,
                                                              contexts: names, onReload: { loader.start(generation: $0) })
                state = kept
                guard case .openContext(var target) = exit else { break fleet }
                cluster: while true {
                    host.showTransition("opening context \(target)\u{2026}")
                    do {
                        let outcome = try await runLive(context: target, host: host, returnsToFleet: true, notice: nil)
                        after += outcome.after
                        switch outcome.exit {
                        case .back:
                            break cluster
                        case .switchContext(let name):
                            target = name
                        default:
                            break fleet
                        }
                    } catch let e as OperatorError {
                        notice = "cannot open \(target): \(e.message)"
                        break cluster
                    }
                }
            }
        } catch {
            await loader.stop()
            host.shutdown()
            for line in after { Output.out(line) }
            if let e = error as? DashboardError {
                Output.err("kubeskew dashboard: \(e.message)\n")
                throw ExitCode(1)
            }
            throw error
        }
        await loader.stop()
        host.shutdown()
        for line in after { Output.out(line) }
    }

    func runtimeConfiguration(host: TerminalHost?) -> DashboardRuntime.Configuration {
        var configuration = DashboardRuntime.Configuration(
            readOnly: readOnly ?? false,
            color: ColorMode.requested(noColorFlag: color == false, environment: ProcessInfo.processInfo.environment))
        configuration.terminalHost = host
        return configuration
    }

    /// Live: read the cluster once (control plane, kube-proxy, kubeadm-config), then follow the nodes by watch.
    /// `context` nil: the kubeconfig's current context. Throws `OperatorError` when the cluster cannot be opened
    /// (nothing of it is left running then). Every task of this cluster — watch, publisher, system-pod refresh,
    /// kubeadm prober, API-removal scan, guided-upgrade engine, client — is stopped before it returns: the next
    /// screen must never show anything of this cluster's.
    private func runLive(context contextName: String?, host: TerminalHost, returnsToFleet: Bool, notice: String?) async throws -> LiveOutcome {
        // The flags as given, with this context's section of the configuration file (its readOnly, executor,
        // target…): never the settings of the context shown before.
        var command = self
        command.cluster.context = contextName
        let settings = try command.applyConfig()
        return try await command.runLive(settings, host: host, returnsToFleet: returnsToFleet, notice: notice)
    }

    private func runLive(_ settings: EffectiveSettings, host: TerminalHost, returnsToFleet: Bool, notice: String?) async throws -> LiveOutcome {
        let probes = KubeadmProbes()
        let client: KubeAPIClient
        let inbox: DashboardInbox
        let snapshot: ClusterSnapshot
        /// The first list's resourceVersion: the watch goes on from it (one list of 5,000 nodes at start, not two).
        let nodesVersion: String
        let assessor: Assessor
        let removedAPIs: RemovedAPIs
        do {
            let context = try data.context()
            removedAPIs = try data.removedAPITable()
            client = try cluster.client()
            do {
                let loaded = try await loadLive(client)
                var read = loaded.snapshot
                nodesVersion = loaded.nodesResourceVersion
                try input.applyControlPlane(to: &read)
                snapshot = read
                inbox = try DashboardInbox()
                assessor = Assessor(context: context)
                inbox.post(.snapshotChanged(DashboardData(snapshot: snapshot, assessment: assessor.assess(snapshot.facts()))))
                inbox.post(.watchState(.live))
            } catch {
                await client.shutdown()
                throw error
            }
        }
        // The guided upgrade and the single actions act on this cluster: node steps through the chosen executor,
        // drain and uncordon through kubectl with the operator's own kubeconfig and context.
        let kubectl = cluster.kubectlArgv(for: client)
        // A run made here belongs to this cluster; only this cluster's unfinished runs are offered.
        var identity: RunIdentity?
        do { identity = try await runIdentity(client, executor: executors.identity) } catch let e as OperatorError {
            inbox.post(.notice("upgrades are off: \(e.message)"))
        }
        let journal = Journal()
        let nodeExecutor: any NodeExecutor
        do { nodeExecutor = try executors.make(client) } catch {
            await client.shutdown()
            throw error
        }
        // kubeadm is read on the nodes through the executor the upgrade would use.
        let prober = KubeadmProber.make(probes: probes, executor: nodeExecutor, concurrency: probing.concurrency,
                                        onOpen: probing.onOpen(executor: executors.kind, origin: settings.origin(.probeOnOpen)),
                                        clusterUID: identity?.clusterUID, journalRoot: journal.root)
        let selection = TargetSelection(assessor.context)
        let apiRemovals = APIRemovalWatch(client: client, table: removedAPIs)
        defer { apiRemovals.stop() }
        let feed = DashboardLiveFeed(base: snapshot, assessor: assessor, inbox: inbox, kubeadmProbes: probes, prober: prober,
                                     selection: selection, apiRemovals: apiRemovals)
        let watching = Task { await feed.watch(client, resumeFrom: nodesVersion) }
        let publishing = Task { await feed.publish(every: .milliseconds(200)) }
        let refreshing = Task { await feed.refreshSystemPods(client, every: .seconds(2)) }
        let holding = Task { await feed.refreshHolds(client, every: .seconds(2)) }
        defer {
            watching.cancel()
            publishing.cancel()
            refreshing.cancel()
            holding.cancel()
        }
        /// Stops this cluster's feeds and waits until they are gone, then its client: the inbox they post to is
        /// this cluster's alone, and nothing of theirs outlives the screen.
        func stopFeeds() async {
            watching.cancel()
            publishing.cancel()
            refreshing.cancel()
            apiRemovals.stop()
            await client.shutdown()
            _ = await (watching.value, publishing.value, refreshing.value)
        }
        let session: GuidedSession
        do {
            session = GuidedSession(setup: GuidedUpgradeDriver.Setup(
                client: client, context: try data.context(), journal: journal, nodeExecutor: nodeExecutor,
                controlPlaneExecutor: LoggedExecutor(LocalExecutor()), kubectl: kubectl, drainTimeoutSeconds: drainTimeout,
                concurrency: max(1, concurrency ?? 1), kubeadmProbes: probes, identity: identity, targetSelection: selection,
                removedAPIs: removedAPIs), inbox: inbox)
            if let identity { GuidedSession.offerResume(journal.resumableRun(of: identity), inbox: inbox) }
        } catch {
            await prober.stop()
            await stopFeeds()
            throw error
        }
        let contexts = (try? FleetCheck.allContexts(kubeconfig: cluster.kubeconfig)) ?? [client.config.contextName]
        var configuration = runtimeConfiguration(host: host)
        configuration.contexts = KubeContexts(names: contexts, current: client.config.contextName)
        configuration.returnsToFleet = returnsToFleet
        configuration.notice = notice
        let exit: DashboardExit
        do {
            exit = try await runDashboard(inbox, configuration: configuration, onAction: session.onAction, onStopAction: session.onStopAction,
                                          onUpgrade: session.onUpgrade, onProbeKubeadm: prober.reprobeFromKey(inbox),
                                          onReadNodePods: NodePodsReader.callback(client: client, inbox: inbox),
                                          onChooseTarget: { selection.choose($0) })
        } catch {
            await prober.stop()
            _ = await session.stopForQuit(prefix: "kubeskew")
            await stopFeeds()
            throw error
        }
        await prober.stop()
        let (_, finalState, finalPlan) = await session.stop(after: exit, prefix: "kubeskew")
        var outcome = LiveOutcome(exit: exit, context: client.config.contextName)
        if let state = finalState, let plan = finalPlan {
            outcome.after.append(RunSummary.text(state, plan: plan))
        }
        await stopFeeds()
        return outcome
    }

    @discardableResult
    private func runDashboard(
        _ inbox: DashboardInbox, configuration: DashboardRuntime.Configuration? = nil,
        onAction: @escaping @Sendable (NodeActionRequest) -> Void,
        onStopAction: @escaping @Sendable (Int) -> Void = { _ in },
        onUpgrade: (@Sendable (UpgradeRequest) -> Void)? = nil,
        onProbeKubeadm: @escaping @Sendable ([String]) -> Void = { _ in },
        onReadNodePods: (@Sendable (String) -> Void)? = nil,
        onChooseTarget: @escaping @Sendable (TargetChoice) -> Void = { _ in }
    ) async throws -> DashboardExit {
        let configuration = configuration ?? runtimeConfiguration(host: nil)
        do {
            return try await DashboardRuntime.run(configuration: configuration, inbox: inbox, onAction: onAction,
                                           onStopAction: onStopAction, onUpgrade: onUpgrade ?? { request in
                // Offline input has no cluster to upgrade: say so instead of leaving the review waiting.
                if case .plan = request {
                    inbox.post(.upgrade(.planFailed("offline input: nothing to upgrade; open the dashboard on the live cluster")))
                }
            }, onProbeKubeadm: onProbeKubeadm, onReadNodePods: onReadNodePods ?? { node in
                // Offline input has only the pods of its file: details show those.
                inbox.post(.nodePods(NodePods(node: node, pods: [], problem: "offline input: only the pods of the file are known")))
            }, onChooseTarget: onChooseTarget)
        } catch let e as DashboardError {
            Output.err("kubeskew dashboard: \(e.message)\n")
            throw ExitCode(1)
        }
    }
}
