import Foundation
import Testing
import SkewCore
@testable import Upgrade

struct PlannerTests {
    func v(_ s: String) -> KubeVersion { KubeVersion.parse(s)! }

    func commandLines(_ plan: NodePlan) -> [String] {
        plan.steps.compactMap { if case .commands = $0.action { return $0.displayLine } else { return nil } }
    }

    // DESIGN.md §1: control plane at 1.33.3, node01 at 1.33.2 — exactly the six commands of the official procedure.
    @Test func designExamplePrintsTheSixCommands() throws {
        let plan = try Planner().plan(name: "node01", internalIP: "127.0.1.1", from: v("v1.33.2"), target: v("v1.33.3"),
                                      hops: [Hop(version: v("v1.33.3"), changesMinor: false)], packageManager: .apt)
        #expect(commandLines(plan) == [
            "sudo apt-mark unhold kubeadm && sudo apt-get update && sudo apt-get install -y kubeadm='1.33.3-*' && sudo apt-mark hold kubeadm",
            "sudo kubeadm upgrade node",
            // The official procedure gives no --timeout; kubectl would then wait forever, so kubeskew always gives one.
            "kubectl drain node01 --ignore-daemonsets --timeout=300s",
            "sudo apt-mark unhold kubelet kubectl && sudo apt-get update && sudo apt-get install -y kubelet='1.33.3-*' kubectl='1.33.3-*' && sudo apt-mark hold kubelet kubectl",
            "sudo systemctl daemon-reload && sudo systemctl restart kubelet",
            "kubectl uncordon node01",
        ])
        #expect(plan.steps.map(\.location) == [.node, .node, .controlPlane, .node, .node, .controlPlane, .controlPlane])
        #expect(plan.steps.first { $0.kind == .waitReady }?.action == .waitForNode(version: v("v1.33.3")))
        // The check names everything the step claims: the binary, the package version, the hold.
        #expect(plan.steps.first?.check == StepCheck(probes: [
            StepProbe(argv: ["kubeadm", "version", "-o", "short"], expectOutput: "v1.33.3"),
            StepProbe(argv: ["dpkg-query", "-W", "-f", "${Package} ${Version}\\n", "kubeadm"], expectLines: ["kubeadm 1.33.3-*"]),
            StepProbe(argv: ["apt-mark", "showhold"], expectLines: ["kubeadm"]),
        ]))
        #expect(plan.steps.first { $0.kind == .drain }?.timeoutSeconds == 300 + DrainOptions.processMarginSeconds)
    }

    // "A minor upgrade first points the node's pkgs.k8s.io repository at the new minor ... kubeadm moves one minor at
    // a time, so 1.30 → 1.33 is three passes." (DESIGN.md §1)
    @Test func minorHopsSwitchTheRepositoryEachPass() throws {
        let hops = try UpgradePath.hops(from: v("v1.30.9"), to: v("v1.33.3"), calendar: .embedded())
        let plan = try Planner(options: .init(kubectl: ["kubectl", "--context", "prod"])).plan(
            name: "node02", internalIP: nil, from: v("v1.30.9"), target: v("v1.33.3"), hops: hops, packageManager: .dnf)
        let repos = plan.steps.filter { $0.kind == .repository }
        #expect(repos.map(\.hop) == [1, 2, 3])
        #expect(repos[0].displayLine == "sudo sed -i 's#/core:/stable:/v[0-9][0-9]*\\.[0-9][0-9]*/#/core:/stable:/v1.31/#g' /etc/yum.repos.d/kubernetes.repo"
                + " && sudo dnf clean all '--disablerepo=*' --enablerepo=kubernetes")
        #expect(plan.steps.contains { $0.displayLine == "sudo dnf install -y kubeadm-'1.31.14-*' --disableexcludes=kubernetes" })
        #expect(plan.steps.contains { $0.displayLine == "kubectl --context prod drain node02 --ignore-daemonsets --timeout=300s" })
        #expect(plan.steps.filter { $0.kind == .waitReady }.map(\.action) == [.waitForNode(version: v("v1.31.14")), .waitForNode(version: v("v1.32.13")), .waitForNode(version: v("v1.33.3"))])
        #expect(Set(plan.steps.map(\.id)).count == plan.steps.count, "step ids are unique across hops")
    }

    @Test func dnf5UsesItsOwnExcludeOption() throws {
        let plan = try Planner().plan(name: "rhel-1", internalIP: nil, from: v("v1.33.2"), target: v("v1.33.3"),
                                      hops: [Hop(version: v("v1.33.3"), changesMinor: false)], packageManager: .dnf5)
        #expect(plan.steps.contains { $0.displayLine == "sudo dnf install -y kubeadm-'1.33.3-*' --setopt=disable_excludes=kubernetes" })
    }

    @Test(arguments: ["node01; rm -rf /", "Node01", "-node", "", "a b"])
    func hostileNodeNamesNeverReachACommandLine(name: String) {
        #expect(throws: Planner.PlanError.self) {
            try Planner().plan(name: name, internalIP: nil, from: v("v1.33.2"), target: v("v1.33.3"),
                               hops: [Hop(version: v("v1.33.3"), changesMinor: false)], packageManager: .apt)
        }
    }

    @Test func refusesManagedAndUnplannableNodes() {
        let ctx = AssessmentContext(today: CalendarDate(year: 2026, month: 11, day: 25))
        let a = Assessor(context: ctx).assess(ClusterFacts(apiserverVersions: ["v1.33.3"], nodes: [
            NodeFacts(name: "eks-node", kubeletVersion: "v1.33.2-eks-1552ad0"),
            NodeFacts(name: "current", kubeletVersion: "v1.33.3"),
        ]))
        #expect(throws: Planner.PlanError.self) { try Planner().plan(node: a.nodes[0], internalIP: nil, packageManager: .apt) }
        #expect(throws: Planner.PlanError.self) { try Planner().plan(node: a.nodes[1], internalIP: nil, packageManager: .apt) }
    }

    @Test(arguments: PackageManager.allCases)
    func embeddedRunbooksParse(manager: PackageManager) {
        let book = Runbook.embedded(manager)
        #expect(book.packageManager == manager)
        #expect(book.steps.map(\.kind) == [.repository, .installKubeadm, .checkCertificates, .upgradePlan, .confirmPlan, .etcdSnapshot, .upgradeApply,
                                            .upgradeNode, .waitControlPlane, .drain, .installKubelet, .restartKubelet, .waitReady, .uncordon])
        // A worker's procedure is unchanged by the control-plane steps: they are for the roles that name them.
        let workerSteps = book.steps.filter { $0.roles?.contains(.worker) ?? true }.map(\.kind)
        #expect(workerSteps == [.repository, .installKubeadm, .upgradeNode, .drain, .installKubelet, .restartKubelet, .waitReady, .uncordon])
    }
}

/// The runbooks' checks are the steps' claims, probe by probe.
struct RunbookCheckClaimsTests {
    func v(_ s: String) -> KubeVersion { KubeVersion.parse(s)! }

    @Test(arguments: PackageManager.allCases)
    func kubeletStepCheckNamesBothPackagesAndTheirPin(manager: PackageManager) throws {
        let plan = try Planner().plan(name: "node01", internalIP: nil, from: v("v1.33.2"), target: v("v1.33.3"),
                                      hops: [Hop(version: v("v1.33.3"), changesMinor: false)], packageManager: manager)
        let check = try #require(plan.steps.first { $0.kind == .installKubelet }?.check)
        let lines = check.probes.map { $0.argv.joined(separator: " ") }
        #expect(check.probes.first == StepProbe(argv: ["kubelet", "--version"], expectOutput: "Kubernetes v1.33.3"))
        if manager == .apt {
            #expect(check.probes.contains(StepProbe(argv: ["dpkg-query", "-W", "-f", "${Package} ${Version}\\n", "kubelet", "kubectl"],
                                                    expectLines: ["kubelet 1.33.3-*", "kubectl 1.33.3-*"])))
            #expect(check.probes.contains(StepProbe(argv: ["apt-mark", "showhold"], expectLines: ["kubelet", "kubectl"])))
        } else {
            #expect(check.probes.contains(StepProbe(argv: ["rpm", "-q", "--qf", "%{NAME} %{VERSION}\\n", "kubelet", "kubectl"],
                                                    expectLines: ["kubelet 1.33.3", "kubectl 1.33.3"])))
            #expect(lines.contains { $0.contains("exclude") && $0.contains("kubelet") })
            #expect(lines.contains { $0.contains("exclude") && $0.contains("kubectl") })
        }
    }

    @Test func globMatchesTheWayAptVersionsAreWritten() {
        #expect(StepProbe.glob("kubelet 1.33.3-*", matches: "kubelet 1.33.3-1.1"))
        #expect(!StepProbe.glob("kubelet 1.33.3-*", matches: "kubelet 1.33.30-1.1"))
        #expect(!StepProbe.glob("kubelet 1.33.3-*", matches: "kubectl 1.33.3-1.1"))
        #expect(StepProbe.glob("kubelet", matches: "kubelet"))
        #expect(!StepProbe.glob("kubelet", matches: "kubelet-extra"))
    }

    // Journals written before checks had several probes still load.
    @Test func aCheckFromAnOlderJournalDecodes() throws {
        let old = #"{"argv":["kubeadm","version","-o","short"],"expectOutput":"v1.33.3"}"#
        let check = try JSONDecoder().decode(StepCheck.self, from: Data(old.utf8))
        #expect(check == StepCheck(argv: ["kubeadm", "version", "-o", "short"], expectOutput: "v1.33.3"))
    }
}

/// The shipped runbooks are what kubeskew embeds (scripts/embed-assets keeps them in step).
struct EmbeddedRunbooksMatchAssetsTests {
    @Test(arguments: PackageManager.allCases)
    func embeddedCopyMatchesTheAsset(manager: PackageManager) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = try String(contentsOf: root.appendingPathComponent("Assets/runbooks/\(manager.rawValue).yaml"), encoding: .utf8)
        // The multi-line literal leaves out the file's final newline.
        #expect(EmbeddedRunbooks.files["\(manager.rawValue).yaml"] == (file.hasSuffix("\n") ? String(file.dropLast()) : file), "run scripts/embed-assets")
    }
}
