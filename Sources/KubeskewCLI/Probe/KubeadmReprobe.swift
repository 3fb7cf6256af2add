import NodeExec
import Upgrade

/// Reads kubeadm back from the nodes of a run whenever a step may have changed it, so that the KUBEADM cell, its
/// verdict and the kubeadm-mismatch risk are the node's and not preflight's: a node half-way through v1.29 → v1.33
/// runs the kubeadm of its current hop, not the one it started with.
///
/// The node is asked (`kubeadm version -o short`) rather than the step's target recorded: a failed or interrupted
/// install may have left either version, and only the node knows.
struct KubeadmReprobe: Sendable {
    let probes: KubeadmProbes
    let executor: any NodeExecutor
    let targets: [String: NodeTarget]
    /// Per node, the indexes of its steps that install kubeadm.
    let installSteps: [String: Set<Int>]

    init(plan: RunPlan, probes: KubeadmProbes, executor: any NodeExecutor) {
        self.probes = probes
        self.executor = executor
        targets = Dictionary(plan.nodes.compactMap { node in (try? node.nodeTarget()).map { (node.node, $0) } },
                             uniquingKeysWith: { first, _ in first })
        installSteps = Dictionary(plan.nodes.map { node in
            (node.node, Set(node.steps.indices.filter { node.steps[$0].kind == .installKubeadm }))
        }, uniquingKeysWith: { first, _ in first })
    }

    /// Asks again after an install of kubeadm ends, whatever its outcome, and after a node's upgrade is done.
    func follow(_ event: EngineEvent) {
        switch event {
        case .stepFinished(let node, let index, _) where installSteps[node]?.contains(index) == true:
            probe(node)
        case .nodeFinished(let node, .done):
            probe(node)
        default:
            break
        }
    }

    /// Asks `node` its kubeadm now, off the caller's path; the answer is recorded in the order asked.
    func probe(_ node: String) {
        guard let target = targets[node] else { return }
        let ticket = probes.ticket()
        let (probes, executor) = (self.probes, self.executor)
        Task {
            if let version = await Preflight.kubeadmVersion(on: target, executor: executor) {
                probes.record(node: node, version: version, ticket: ticket)
            }
        }
    }
}
