import Foundation
import KubeModel
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

/// Issue 12: "`kubeadm upgrade plan <target>` (its output in the pane; read with `-o json` where the kubeadm version
/// supports it, to confirm the target and the component table)"; the document's shape is control-plane-upgrade.md §2
/// ("Non-JSON lines … can precede the JSON document: locate the first `{`").
struct KubeadmUpgradePlanJSONTests {
    static func document(apiserver: String, manual: Bool = false) -> [String] {
        """
        [upgrade/config] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...
        [upgrade] Running cluster health checks
        {
          "kind": "UpgradePlan",
          "apiVersion": "output.kubeadm.k8s.io/v1alpha3",
          "availableUpgrades": [
            {
              "description": "version in the v1.34 series",
              "components": [
                {"name": "kubelet", "currentVersion": "v1.33.3", "newVersion": "v1.34.9", "nodeName": "cp-1"},
                {"name": "kube-apiserver", "currentVersion": "v1.33.3", "newVersion": "\(apiserver)", "nodeName": "cp-1"},
                {"name": "kube-apiserver", "currentVersion": "v1.33.3", "newVersion": "\(apiserver)", "nodeName": "cp-2"},
                {"name": "kube-proxy", "currentVersion": "1.33.3", "newVersion": "v1.34.9"}
              ]
            }
          ],
          "configVersions": [
            {"group": "kubeproxy.config.k8s.io", "currentVersion": "v1alpha1", "preferredVersion": "v1alpha1", "manualUpgradeRequired": \(manual)}
          ]
        }
        """.split(separator: "\n").map(String.init)
    }

    @Test func thePlanMustNameTheTargetForKubeAPIServer() {
        #expect(KubeadmUpgradePlanJSON.problem(Self.document(apiserver: "v1.34.9"), version: "v1.34.9") == nil)
        #expect(KubeadmUpgradePlanJSON.problem(Self.document(apiserver: "v1.34.8"), version: "v1.34.9")
                == "kubeadm upgrade plan names v1.34.8 for kube-apiserver, not v1.34.9: kubeskew does not apply it")
        #expect(KubeadmUpgradePlanJSON.problem(Self.document(apiserver: "v1.34.9", manual: true), version: "v1.34.9")?
            .hasPrefix("kubeadm upgrade plan says kubeproxy.config.k8s.io need a manual config upgrade") == true)
        #expect(KubeadmUpgradePlanJSON.problem(["Error: unknown shorthand flag: 'o' in -o"], version: "v1.34.9") == "kubeadm upgrade plan -o json printed no JSON document")
        #expect(KubeadmUpgradePlanJSON.version(in: ["kubeadm", "upgrade", "plan", "v1.34.9", "-o", "json"]) == "v1.34.9")
    }

    @Test func theStepIsPlannedOnlyWhereKubeadmPrintsIt() {
        #expect(Planner.applies("structured-plan", to: Hop(version: KubeVersion.parse("v1.25.0")!, changesMinor: true)))
        #expect(!Planner.applies("structured-plan", to: Hop(version: KubeVersion.parse("v1.24.17")!, changesMinor: true)))
        #expect(!Planner.applies("minor-change", to: Hop(version: KubeVersion.parse("v1.34.9")!, changesMinor: false)))
    }
}

/// Issue 12: "After each control-plane node: its static pods run the target version and the API answers."
struct ControlPlaneWaitTests {
    static func pod(_ component: String, _ tag: String, ready: Bool = true) -> Pod {
        var pod = Pod(metadata: ObjectMeta(name: "\(component)-cp-1", namespace: "kube-system", labels: ["component": component]),
                      spec: PodSpec(nodeName: "cp-1", containers: [Container(name: component, image: "registry.k8s.io/\(component):\(tag)")]))
        pod.status = PodStatus(phase: "Running", conditions: [PodCondition(type: "Ready", status: ready ? "True" : "False")])
        return pod
    }

    @Test func everyComponentAtTheVersionAndReady() {
        let all = ["kube-apiserver", "kube-controller-manager", "kube-scheduler"].map { Self.pod($0, "v1.34.9") }
        #expect(APINodeGate.controlPlaneProblem(all, version: "v1.34.9") == nil)
        #expect(APINodeGate.controlPlaneProblem(all, version: "v1.35.9") == "kube-apiserver v1.34.9, kube-controller-manager v1.34.9, kube-scheduler v1.34.9")
        let notReady = [Self.pod("kube-apiserver", "v1.34.9", ready: false), Self.pod("kube-controller-manager", "v1.34.9")]
        #expect(APINodeGate.controlPlaneProblem(notReady, version: "v1.34.9") == "kube-apiserver v1.34.9 not Ready, no kube-scheduler pod")
    }
}
