import Testing
import SkewCore
import Upgrade
@testable import KubeskewCLI

/// Issue 11, finding 8: the summary said "uncordon with `kubectl uncordon node07`" after a run made with
/// `--kubeconfig`; pasted, it acts on the default context. Every command printed for a person names the cluster.
struct PasteableCommandTests {
    @Test func theLeftCordonedAdviceNamesTheRunsKubeconfigAndContext() throws {
        let identity = RunIdentity(clusterUID: "u", server: "https://10.0.0.1:6443", kubeconfigFiles: ["/home/ops/.kube/prod"],
                                   context: "prod-eu", executor: ExecutorIdentity(kind: "ssh"))
        let plan = try ShippedPlans.plan(["node07"], concurrency: 1, identity: identity)
        var state = RunState(plan: plan, pid: 1, startedAt: "2026-11-25T15:00:00Z")
        state.nodes[0].status = .failed
        state.nodes[0].cordonedByRun = true
        let text = RunSummary.text(state, plan: plan)
        #expect(text.contains("uncordon with `kubectl --kubeconfig /home/ops/.kube/prod --context prod-eu uncordon node07`"), "\(text)")
    }
}
