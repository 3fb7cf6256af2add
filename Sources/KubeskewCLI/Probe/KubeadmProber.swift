import DequeModule
import Foundation
import KubeModel
import NodeExec
import SkewCore
import Upgrade

/// Asks the nodes for their kubeadm in the background, a bounded number at a time, and keeps the answers in
/// `KubeadmProbes` (what the screen shows) and in the state directory (`KubeadmProbeCache`, for the next start).
///
/// Concurrency: the prober owns its probe tasks; the feeds only hand it node lists (`consider`) and the dashboard's
/// key asks again (`reprobe`). `stop()` (on quit) cancels every probe in flight, which stops their ssh or pods;
/// nothing else cancels them. A node is asked once per boot and kubelet version: a reboot or a kubelet change asks
/// again, a heartbeat does not.
actor KubeadmProber {
    /// Whether nodes are asked as soon as they are seen.
    enum OnOpen: Sendable, Equatable {
        case probe
        /// Nodes wait for the operator's key; the reason is shown in their details.
        case wait(reason: String)
    }

    private struct Pending {
        let node: String
        let target: NodeTarget
        let key: KubeadmProbeCache.Key
    }

    private let probes: KubeadmProbes
    private let executor: any NodeExecutor
    private let concurrency: Int
    private let onOpen: OnOpen
    private let cache: KubeadmProbeCache?
    private var cached: [String: KubeadmProbeCache.Entry]
    /// Per node, the boot and kubelet it was last asked (or answered from the cache) for.
    private var askedFor: [String: KubeadmProbeCache.Key] = [:]
    /// The latest node objects seen, for `reprobe`.
    private var known: [String: (target: NodeTarget, key: KubeadmProbeCache.Key)] = [:]
    private var queue: Deque<Pending> = []
    private var queued: Set<String> = []
    private var running: [String: Task<Void, Never>] = [:]
    private var unsaved = 0
    private var stopped = false
    /// A problem writing the cache, said once.
    private(set) var cacheProblem: String?

    init(probes: KubeadmProbes, executor: any NodeExecutor, concurrency: Int = 8, onOpen: OnOpen = .probe,
         cache: KubeadmProbeCache?) {
        self.probes = probes
        self.executor = executor
        self.concurrency = max(1, concurrency)
        self.onOpen = onOpen
        self.cache = cache
        cached = cache?.load() ?? [:]
    }

    /// Looks at the nodes of a snapshot: asks the ones not asked for their current boot and kubelet (or takes the
    /// cache's answer), and says why the others are passed over.
    func consider(_ nodes: [Node]) {
        guard !stopped else { return }
        for node in nodes {
            let kubelet = node.nodeInfo?.kubeletVersion ?? ""
            let key = KubeadmProbeCache.Key(bootID: node.nodeInfo?.bootID ?? "", kubeletVersion: kubelet)
            if askedFor[node.name] == key { continue }
            if let reason = Self.notKubeadm(node) {
                askedFor[node.name] = key
                probes.markPassedOver(node.name, .notKubeadm(reason: reason))
                continue
            }
            let target: NodeTarget
            do {
                target = try NodeTarget(name: node.name, internalIP: node.internalIP, machineID: node.nodeInfo?.machineID)
            } catch {
                askedFor[node.name] = key
                probes.record(node: node.name, status: .failed(short: "bad node", reason: error.description, at: Date()))
                continue
            }
            known[node.name] = (target, key)
            askedFor[node.name] = key
            if !key.bootID.isEmpty, let entry = cached[node.name], entry.key == key {
                probes.record(node: node.name, status: .found(version: entry.kubeadmVersion, at: entry.probedAt, cached: true))
                continue
            }
            switch onOpen {
            case .probe: enqueue(Pending(node: node.name, target: target, key: key))
            case .wait(let reason): probes.markPassedOver(node.name, .notProbed(reason: reason))
            }
        }
        pump()
    }

    /// Asks `nodes` again now (all nodes seen when empty), whatever the cache says: the operator's key.
    /// Returns how many nodes are asked.
    @discardableResult
    func reprobe(_ nodes: [String]) -> Int {
        guard !stopped else { return 0 }
        let names = nodes.isEmpty ? known.keys.sorted() : nodes
        var count = 0
        for name in names {
            guard let (target, key) = known[name] else { continue }
            enqueue(Pending(node: name, target: target, key: key))
            count += 1
        }
        pump()
        return count
    }

    /// Cancels the probes in flight and forgets the queue (quit); saves what was learnt.
    func stop() {
        stopped = true
        queue.removeAll()
        queued.removeAll()
        for task in running.values { task.cancel() }
        running.removeAll()
        saveCache()
    }

    /// Waits until every probe asked so far has answered (`check --probe-kubeadm`).
    func waitUntilIdle() async {
        while !(queue.isEmpty && running.isEmpty) {
            if let task = running.values.first { await task.value } else { await Task.yield() }
        }
        saveCache()
    }

    /// Nodes kubeadm does not manage are not asked: a provider's node has no kubeadm to report.
    static func notKubeadm(_ node: Node) -> String? {
        guard let text = node.nodeInfo?.kubeletVersion, let version = try? KubeVersion(text) else { return nil }
        let distribution = Distribution.detect(kubeletVersion: version, providerID: node.spec?.providerID, labels: node.labels,
                                               osImage: node.nodeInfo?.osImage, nodeName: node.name)
        guard !distribution.isKubeadmManageable else { return nil }
        return "\(distribution.displayName) node: not managed by kubeadm, so not asked"
    }

    private func enqueue(_ pending: Pending) {
        guard !queued.contains(pending.node), running[pending.node] == nil else { return }
        queued.insert(pending.node)
        queue.append(pending)
        probes.markProbing(pending.node)
    }

    private func pump() {
        while running.count < concurrency, let next = queue.popFirst() {
            queued.remove(next.node)
            let ticket = probes.ticket()
            let (executor, probes) = (self.executor, self.probes)
            running[next.node] = Task {
                let status = await KubeadmVersionProbe.ask(next.target, executor: executor)
                // An answer cut short by quitting is not an answer.
                if !Task.isCancelled { probes.record(node: next.node, status: status, ticket: ticket) }
                self.finished(next, status)
            }
        }
    }

    private func finished(_ pending: Pending, _ status: KubeadmProbeStatus) {
        running[pending.node] = nil
        guard !stopped else { return }
        if case .found(let version, let at, _) = status, !pending.key.bootID.isEmpty {
            cached[pending.node] = KubeadmProbeCache.Entry(key: pending.key, kubeadmVersion: version, probedAt: at)
            unsaved += 1
        } else if cached.removeValue(forKey: pending.node) != nil {
            unsaved += 1
        }
        // Written when the queue drains, and every 200 answers of a long one (5,000 nodes): not once per answer.
        if unsaved >= 200 || (queue.isEmpty && running.isEmpty && unsaved > 0) { saveCache() }
        pump()
    }

    private func saveCache() {
        guard let cache, unsaved > 0 else { return }
        unsaved = 0
        if let problem = cache.save(cached), cacheProblem == nil { cacheProblem = problem }
    }
}
