import Foundation
import KubeClient
import KubeModel
import SkewCore
import Synchronization
import TUI
import Upgrade

/// Feeds the dashboard from a live cluster: the node watch updates a node set, and a publisher assesses and posts
/// at most one snapshot per interval, so a burst of node events costs one assessment; assessment and table rows are
/// built here, never on the UI thread.
final class DashboardLiveFeed: Sendable {
    private struct Nodes {
        var byName: [String: Node] = [:]
        var dirty = false
        var staleSince: Date?
        /// kube-system pods (static control-plane pods, kube-proxy, CoreDNS), re-read now and then: a control-plane
        /// or kube-proxy upgrade changes their images, which the node watch does not see.
        var systemPods: [Pod]
        /// The kube-proxy DaemonSet as last read (its image is the cluster's kube-proxy version).
        var kubeProxyDaemonSet: DaemonSet?
        /// Counts changes of `systemPods` and `kubeProxyDaemonSet`, so that the publisher derives the facts from them only when they change.
        var systemPodsGeneration = 0
        /// The node names in order, kept while the set of names stays the same (heartbeats do not change it).
        var order: [String]?
    }

    private let nodes: Mutex<Nodes>
    private let base: ClusterSnapshot
    private let assessor: Assessor
    private let inbox: DashboardInbox
    private let kubeadmProbes: KubeadmProbes?
    /// Asks the nodes of each published node set for their kubeadm (it decides which are new to it).
    private let prober: KubeadmProber?
    /// The target picked on the dashboard (`t`): a new choice re-assesses every node with it.
    private let selection: TargetSelection?
    /// The API versions the hop to the target removes, scanned in the background; a finished scan publishes.
    private let apiRemovals: APIRemovalWatch?

    init(base: ClusterSnapshot, assessor: Assessor, inbox: DashboardInbox, kubeadmProbes: KubeadmProbes? = nil,
         prober: KubeadmProber? = nil, selection: TargetSelection? = nil, apiRemovals: APIRemovalWatch? = nil) {
        self.selection = selection
        self.apiRemovals = apiRemovals
        // The nodes live in the node set from here on: `base` keeps the rest, so that nodes the watch replaced are freed.
        var rest = base
        rest.nodes = []
        self.base = rest
        self.kubeadmProbes = kubeadmProbes
        self.prober = prober
        self.assessor = assessor
        self.inbox = inbox
        var initial = Nodes(systemPods: base.systemPods, kubeProxyDaemonSet: base.kubeProxyDaemonSet)
        for node in base.nodes { initial.byName[node.name] = node }
        // The first publish assesses and probes the nodes of the first list (the watch goes on from it, no relist).
        initial.dirty = true
        nodes = Mutex(initial)
    }

    /// Re-reads the version-bearing kube-system pods every `interval` (three label-selected lists, a few KB) until
    /// cancelled; a change makes the next publish re-assess.
    func refreshSystemPods(_ client: KubeAPIClient, every interval: Duration, kubeProxyAtLeastEvery fallback: Duration = .seconds(30)) async {
        var proxies = base.systemPods.filter(ClusterSnapshotLoader.isKubeProxy)
        var policy = KubeProxyRelistPolicy(listedAtVersion: base.kubeProxyDaemonSet?.metadata.resourceVersion, fallback: fallback)
        var lastList = ContinuousClock.now
        var warnings = ServerWarningRelay()
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            // Warnings of every read so far (the watch's, the scans', these), shown as they come.
            warnings.relay(client, to: inbox)
            async let fewPods = ClusterSnapshotLoader.controlPlaneAndDNSPods(client)
            let daemonSet = try? await client.getDaemonSet(namespace: "kube-system", name: "kube-proxy")
            let version = daemonSet?.metadata.resourceVersion
            if policy.shouldRelist(daemonSetVersion: version, sinceLastList: lastList.duration(to: .now)) {
                if let listed = try? await ClusterSnapshotLoader.kubeProxyPods(client) {
                    proxies = listed
                    policy.listedAtVersion = version
                    lastList = .now
                }
            }
            guard let few = try? await fewPods else { continue }
            let pods = ClusterSnapshotLoader.merged(few, proxies)
            nodes.withLock { state in
                if state.systemPods != pods || (daemonSet != nil && state.kubeProxyDaemonSet != daemonSet) {
                    state.systemPods = pods
                    if let daemonSet { state.kubeProxyDaemonSet = daemonSet }
                    state.systemPodsGeneration += 1
                    state.dirty = true
                }
            }
        }
    }

    /// Reads the nodes other kubeskews hold (their Leases in kube-system, one label-selected list) every `interval`
    /// until cancelled, and posts them when they change. Expired Leases and this process's own are not holds. A
    /// list that fails keeps the last answer (the actions themselves take the Lease and are refused on their own).
    func refreshHolds(_ client: KubeAPIClient, every interval: Duration) async {
        var last: [String: NodeHold]?
        while !Task.isCancelled {
            if let leases = try? await client.listLeases(namespace: NodeLease.namespace, labelSelector: NodeLease.labelSelector) {
                let holds = Self.holds(leases, now: Date())
                if holds != last {
                    last = holds
                    inbox.post(.nodeHolds(holds))
                }
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// The live holds of other kubeskews, by node.
    static func holds(_ leases: [Lease], now: Date) -> [String: NodeHold] {
        var holds: [String: NodeHold] = [:]
        for lease in leases {
            guard let node = NodeLease.node(of: lease), let holder = lease.holder, !OwnLeaseHolders.contains(holder),
                  let expires = lease.expiresAt, expires > now else { continue }
            holds[Sanitize.forScreen(node)] = NodeHold(holder: Sanitize.forScreen(holder),
                                                       since: lease.spec.acquireTime.flatMap(MicroTime.parse))
        }
        return holds
    }

    /// Watches until cancelled, from `resumeFrom` (the resourceVersion of the list `base` came from) when given.
    func watch(_ client: KubeAPIClient, resumeFrom: String? = nil) async {
        for await update in NodeWatcher(client: client, resumeFrom: resumeFrom) {
            if Task.isCancelled { return }
            var wentLive = false
            nodes.withLock { state in
                switch update {
                case .listed(let all, _):
                    state.byName = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
                    state.order = nil
                    state.dirty = true
                case .changed(let node):
                    let old = state.byName.updateValue(node, forKey: node.name)
                    if old == nil { state.order = nil }
                    // A heartbeat moves only the resourceVersion: nothing to assess, draw or diff again. At 5,000 nodes
                    // each publish copies and compares every row, which heartbeats alone made several times a second.
                    if Self.matters(node, replacing: old) { state.dirty = true }
                case .deleted(let node):
                    if state.byName.removeValue(forKey: node.name) != nil { state.order = nil }
                    state.dirty = true
                case .interrupted, .resumed:
                    // .resumed: the watch is back after an outage; the stale mark is cleared below.
                    break
                }
                if case .interrupted = update {
                    if state.staleSince == nil { state.staleSince = Date() }
                } else if state.staleSince != nil {
                    state.staleSince = nil
                    wentLive = true
                }
            }
            switch update {
            case .interrupted(let error, let retryIn):
                let since = nodes.withLock { $0.staleSince } ?? Date()
                inbox.post(.watchState(.stale(since: since, reason: "\(Self.shortReason(error)); retrying in \(Self.seconds(retryIn))")))
            default:
                if wentLive { inbox.post(.watchState(.live)) }
            }
        }
    }

    /// Whether a watched change of a node is one the dashboard shows or assesses: not when only its resourceVersion
    /// moved (a heartbeat: kubeskew's `Node` keeps no heartbeat time).
    static func matters(_ node: Node, replacing old: Node?) -> Bool {
        guard let old else { return true }
        return !node.differsOnlyInResourceVersion(from: old)
    }

    /// Posts an assessed snapshot whenever the node set changed, at most once per `interval`, until cancelled. Only
    /// the nodes that changed since the last post are assessed and turned into rows again (heartbeats change nothing
    /// shown), unless a cluster-level fact changed.
    func publish(every interval: Duration) async {
        var incremental = IncrementalAssessor(assessor)
        var rows = PreparedRowsBuilder()
        var system: (generation: Int, facts: ClusterSnapshot.SystemFacts)?
        var probed = kubeadmProbes?.generation ?? 0
        var chosen = selection?.generation ?? 0
        var scanned = apiRemovals?.generation ?? 0
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            let newlyProbed = (kubeadmProbes?.generation ?? 0) != probed
            probed = kubeadmProbes?.generation ?? 0
            // A new target changes every node's verdict and hops: nothing cached is reused.
            let retarget = (selection?.generation ?? 0) != chosen
            let newlyScanned = (apiRemovals?.generation ?? 0) != scanned
            scanned = apiRemovals?.generation ?? 0
            if retarget, let selection {
                chosen = selection.generation
                incremental = IncrementalAssessor(Assessor(context: selection.context))
                rows = PreparedRowsBuilder()
            }
            let changed: ([Node], [Pod], DaemonSet?, Int)? = nodes.withLock { state in
                guard state.dirty || newlyProbed || retarget || newlyScanned else { return nil }
                state.dirty = false
                let order = state.order ?? state.byName.keys.sorted()
                state.order = order
                return (order.compactMap { state.byName[$0] }, state.systemPods, state.kubeProxyDaemonSet, state.systemPodsGeneration)
            }
            guard let (changedNodes, systemPods, daemonSet, generation) = changed else { continue }
            await prober?.consider(changedNodes)
            var snapshot = base
            snapshot.nodes = changedNodes
            snapshot.systemPods = systemPods
            snapshot.kubeProxyDaemonSet = daemonSet
            kubeadmProbes?.merge(into: &snapshot)
            // Everything but the nodes and the probed kubeadm versions (read per node) comes from `base` and the
            // system pods: derive it again only when the system pods changed.
            let systemFacts = system?.generation == generation ? system?.facts ?? snapshot.systemFacts : snapshot.systemFacts
            system = (generation, systemFacts)
            let assessment = incremental.assess(snapshot.facts(system: systemFacts))
            var data = DashboardData(snapshot: snapshot, assessment: assessment)
            data.apiRemovals = apiRemovals?.view(for: snapshot, assessment: assessment)
            inbox.post(.snapshotChanged(data.preparingRows(with: &rows)))
        }
    }

    private static func shortReason(_ error: KubeClientError) -> String {
        let text = error.description
        return text.count > 80 ? String(text.prefix(79)) + "…" : text
    }

    private static func seconds(_ duration: Duration) -> String {
        let ms = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return ms < 1000 ? "\(ms) ms" : "\(ms / 1000) s"
    }
}
