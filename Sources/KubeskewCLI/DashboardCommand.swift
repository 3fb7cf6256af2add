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
        """
    )

    @OptionGroup var input: InputOptions

    @Flag(name: .long, help: "Hide and unbind every action that changes the cluster (cordon, uncordon, drain, upgrade).")
    var readOnly = false

    @Flag(name: .long, help: "No colour (NO_COLOR is honoured too).")
    var noColor = false

    @OptionGroup var data: DataOptions

    @OptionGroup(title: "Live cluster (when no file is given)") var cluster: ClusterOptions

    @OptionGroup(title: "Guided upgrade and kubeadm probes (live cluster)") var executors: ExecutorOptions

    @OptionGroup(title: "kubeadm probes (live cluster)") var probing: ProbeOptions

    @Option(name: .long, help: "Guided upgrade: nodes upgraded at once.")
    var concurrency = 1

    @Option(name: .long, help: ArgumentHelp("Guided upgrade: give up a drain after this many seconds.", valueName: "SECONDS"))
    var drainTimeout: Int?

    @OptionGroup(title: "Logging") var logging: LoggingOptions

    func run() async throws {
        try logging.install(for: "dashboard")
        if input.isLive {
            try await runLive()
            return
        }
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

    /// Live: read the cluster once (control plane, kube-proxy, kubeadm-config), then follow the nodes by watch.
    private func runLive() async throws {
        let probes = KubeadmProbes()
        let client: KubeAPIClient
        let inbox: DashboardInbox
        let snapshot: ClusterSnapshot
        let assessor: Assessor
        let removedAPIs: RemovedAPIs
        do {
            let context = try data.context()
            removedAPIs = try data.removedAPITable()
            client = try cluster.client()
            do {
                var read = try await loadLiveSnapshot(client).0
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
        } catch let e as OperatorError {
            Output.err("kubeskew dashboard: \(e.message)\n")
            throw ExitCode(e.status)
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
        do { nodeExecutor = try executors.make(client) } catch let e as OperatorError {
            await client.shutdown()
            Output.err("kubeskew dashboard: \(e.message)\n")
            throw ExitCode(e.status)
        }
        // kubeadm is read on the nodes through the executor the upgrade would use.
        let prober = KubeadmProber.make(probes: probes, executor: nodeExecutor, concurrency: probing.probeConcurrency,
                                        onOpen: probing.onOpen(executor: executors.kind),
                                        clusterUID: identity?.clusterUID, journalRoot: journal.root)
        let selection = TargetSelection(assessor.context)
        let apiRemovals = APIRemovalWatch(client: client, table: removedAPIs)
        defer { apiRemovals.stop() }
        let feed = DashboardLiveFeed(base: snapshot, assessor: assessor, inbox: inbox, kubeadmProbes: probes, prober: prober,
                                     selection: selection, apiRemovals: apiRemovals)
        let watching = Task { await feed.watch(client) }
        let publishing = Task { await feed.publish(every: .milliseconds(200)) }
        let refreshing = Task { await feed.refreshSystemPods(client, every: .seconds(2)) }
        let holding = Task { await feed.refreshHolds(client, every: .seconds(2)) }
        defer {
            watching.cancel()
            publishing.cancel()
            refreshing.cancel()
            holding.cancel()
        }
        let session: GuidedSession
        do {
            session = GuidedSession(setup: GuidedUpgradeDriver.Setup(
                client: client, context: try data.context(), journal: journal, nodeExecutor: nodeExecutor,
                controlPlaneExecutor: LocalExecutor(), kubectl: kubectl, drainTimeoutSeconds: drainTimeout,
                concurrency: max(1, concurrency), kubeadmProbes: probes, identity: identity, targetSelection: selection,
                removedAPIs: removedAPIs), inbox: inbox)
            if let identity { GuidedSession.offerResume(journal.resumableRun(of: identity), inbox: inbox) }
        } catch let e as OperatorError {
            await client.shutdown()
            Output.err("kubeskew dashboard: \(e.message)\n")
            throw ExitCode(e.status)
        }
        let exit: DashboardExit
        do {
            exit = try await runDashboard(inbox, onAction: session.onAction, onStopAction: session.onStopAction,
                                          onUpgrade: session.onUpgrade, onProbeKubeadm: prober.reprobeFromKey(inbox),
                                          onReadNodePods: NodePodsReader.callback(client: client, inbox: inbox),
                                          onChooseTarget: { selection.choose($0) })
        } catch {
            await prober.stop()
            _ = await session.stopForQuit(prefix: "kubeskew")
            watching.cancel()
            publishing.cancel()
            await client.shutdown()
            throw error
        }
        await prober.stop()
        let (_, finalState, finalPlan) = await session.stop(after: exit, prefix: "kubeskew")
        if let state = finalState, let plan = finalPlan {
            Output.out(RunSummary.text(state, plan: plan))
        }
        watching.cancel()
        publishing.cancel()
        await client.shutdown()
    }

    @discardableResult
    private func runDashboard(
        _ inbox: DashboardInbox, onAction: @escaping @Sendable (NodeActionRequest) -> Void,
        onStopAction: @escaping @Sendable (Int) -> Void = { _ in },
        onUpgrade: (@Sendable (UpgradeRequest) -> Void)? = nil,
        onProbeKubeadm: @escaping @Sendable ([String]) -> Void = { _ in },
        onReadNodePods: (@Sendable (String) -> Void)? = nil,
        onChooseTarget: @escaping @Sendable (TargetChoice) -> Void = { _ in }
    ) async throws -> DashboardExit {
        let configuration = DashboardRuntime.Configuration(
            readOnly: readOnly,
            color: ColorMode.requested(noColorFlag: noColor, environment: ProcessInfo.processInfo.environment))
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
