import ArgumentParser
import Foundation
import NodeExec
import TUI
import Upgrade

/// How the dashboard asks the nodes for their kubeadm: on open (the default) or only on the `K` key, and how many
/// at once.
struct ProbeOptions: ParsableArguments {
    // Optional, nil when not given: the configuration file's probing settings apply then (see `resolved`).
    @Flag(name: .long, inversion: .prefixedNo, help: "Ask the nodes for their kubeadm as the dashboard opens (default); --no-probe: only when K is pressed, nothing is reached just by looking.")
    var probe: Bool?

    @Option(name: .long, help: ArgumentHelp("kubeadm probes (kubeadm version -o short on the node) run at once (default 8).", valueName: "N"))
    var probeConcurrency: Int?

    static let defaultConcurrency = 8
    var concurrency: Int { probeConcurrency ?? Self.defaultConcurrency }

    func validate() throws {
        if let probeConcurrency, probeConcurrency < 1 { throw ValidationError("--probe-concurrency must be at least 1") }
    }

    /// Whether nodes are asked as soon as they are seen with this executor; `origin` names what turned probing off.
    func onOpen(executor kind: ExecutorOptions.Kind, origin: String = "--no-probe") -> KubeadmProber.OnOpen {
        if probe == false { return .wait(reason: "\(origin): not asked (K asks the marked nodes, or all)") }
        // A probe through the pod executor is a privileged pod on the node: not something to start on every node of
        // a cluster just because the dashboard opened.
        if kind == .pod { return .wait(reason: "the pod executor would start a privileged pod per node: K asks the marked nodes, or all") }
        return .probe
    }
}

extension KubeadmProber {
    /// The prober of the cluster whose kube-system namespace has `clusterUID`, with its cache beside the runs of
    /// `journalRoot` (no cache without the uid: answers are then kept for this session only).
    static func make(probes: KubeadmProbes, executor: any NodeExecutor, concurrency: Int, onOpen: OnOpen,
                     clusterUID: String?, journalRoot: URL) -> KubeadmProber {
        let cache = clusterUID.flatMap { KubeadmProbeCache(root: KubeadmProbeCache.root(besideRunsAt: journalRoot), clusterUID: $0) }
        return KubeadmProber(probes: probes, executor: executor, concurrency: concurrency, onOpen: onOpen, cache: cache)
    }
}

extension KubeadmProber {
    /// The dashboard's `K`: asks the nodes again off the UI thread, and says so when there is nothing to ask.
    nonisolated func reprobeFromKey(_ inbox: DashboardInbox) -> @Sendable ([String]) -> Void {
        { nodes in
            Task {
                let asked = await self.reprobe(nodes)
                if asked == 0 { inbox.post(.notice("no node to ask for kubeadm (not seen yet, or managed)")) }
            }
        }
    }
}
