import Foundation
import NodeExec
import SkewCore
import Testing
@testable import Upgrade

/// Issue 12: "`kubeadm upgrade apply <target> --yes` (success is exit 0 plus the SUCCESS line, in both the pre-1.32
/// and the 1.32+ wording)" — control-plane-upgrade.md §4: "Match both; the safest signal is exit code 0 plus a
/// `SUCCESS!` line."
struct KubeadmApplyOutputTests {
    @Test func bothWordingsForTheVersionAskedFor() {
        #expect(KubeadmApplyOutput.succeeded(["", "[upgrade/successful] SUCCESS! Your cluster was upgraded to \"v1.31.14\". Enjoy!", ""], version: "v1.31.14"))
        #expect(KubeadmApplyOutput.succeeded(["[upgrade] SUCCESS! A control plane node of your cluster was upgraded to \"v1.36.5\"."], version: "v1.36.5"))
        #expect(!KubeadmApplyOutput.succeeded(["[upgrade] SUCCESS! A control plane node of your cluster was upgraded to \"v1.36.4\"."], version: "v1.36.5"))
        #expect(!KubeadmApplyOutput.succeeded(["[upgrade/successful] Finished dryrunning successfully!"], version: "v1.36.5"))
        #expect(KubeadmApplyOutput.version(in: ["kubeadm", "upgrade", "apply", "v1.34.9", "--yes"]) == "v1.34.9")
        #expect(KubeadmApplyOutput.version(in: ["kubeadm", "upgrade", "node"]) == nil)
    }

    static func applyPlan() -> RunPlan {
        let v = EngineFixtures.v("v1.34.9")
        let step = PlannedStep(id: "h1-upgrade-apply", name: "kubeadm upgrade apply v1.34.9", kind: .upgradeApply, location: .node,
                               action: .commands(argvs: [["kubeadm", "upgrade", "apply", "v1.34.9", "--yes"]], privileged: true), idempotent: true)
        return RunPlan(id: "20261207T120000Z-apply", createdAt: "2026-12-07T12:00:00Z", target: v, concurrency: 1, nodes: [
            NodePlan(node: "cp-1", internalIP: "127.0.0.1", from: EngineFixtures.v("v1.33.3"), target: v,
                     hops: [Hop(version: v, changesMinor: true)], packageManager: .apt, steps: [step]),
        ])
    }

    @Test func exitZeroWithoutTheSuccessLineIsNotDone() async throws {
        for (lines, done) in [(["[upgrade] SUCCESS! A control plane node of your cluster was upgraded to \"v1.34.9\"."], true),
                              (["[upgrade/staticpods] Moving new manifest …"], false)] {
            let journal = EngineFixtures.tempJournal()
            defer { try? FileManager.default.removeItem(at: journal.root) }
            let node = FakeExecutor(script: ["kubeadm upgrade apply v1.34.9 --yes": (lines, 0)])
            let engine = try UpgradeEngine(plan: Self.applyPlan(), journal: journal, nodeExecutor: node, controlPlaneExecutor: FakeExecutor(),
                                           gate: FakeGate(), onEvent: { _ in })
            let state = try await engine.run()
            #expect(state.allDone == done)
            if !done {
                #expect(state.nodes[0].steps[0].state == .failed)
                #expect(state.nodes[0].steps[0].message?.contains("exited 0 without its SUCCESS line for v1.34.9") == true)
            }
        }
    }
}
