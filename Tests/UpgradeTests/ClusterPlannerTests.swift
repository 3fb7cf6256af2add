import SkewCore
import Testing
@testable import Upgrade

/// Issue 12: "per minor hop, the control-plane nodes first, then the workers (with the concurrency setting), then the
/// next hop", on the official page's order (control-plane-upgrade.md §1: "(1) primary control-plane (CP) node, (2)
/// other CP nodes, (3) workers"; "Skipping MINOR versions when upgrading is unsupported.").
struct ClusterPlannerTests {
    static func v(_ text: String) -> KubeVersion { KubeVersion.parse(text)! }

    static func member(_ name: String, _ kubelet: String, cp apiserver: String? = nil, etcd: Bool = true,
                       manager: PackageManager = .apt, notKubeadm: String? = nil) -> ClusterPlanner.Member {
        ClusterPlanner.Member(name: name, kubelet: v(kubelet), isControlPlane: apiserver != nil, apiserver: apiserver.map(v),
                              stackedEtcd: apiserver != nil && etcd, packageManager: manager, notKubeadm: notKubeadm)
    }

    static func kinds(_ plan: NodePlan) -> [PlannedStep.Kind] { plan.steps.map(\.kind) }

    static func commands(_ plan: NodePlan) -> [String] { plan.steps.map { plan.displayLine($0) } }

    @Test func anHAControlPlaneMidUpgradeIsFinishedFirstWithUpgradeNodeAndNoApply() throws {
        // kube-apiserver v1.33.3 on cp-1 and v1.32.9 on cp-2, kubeadm-config v1.33.3: apply already ran on cp-1.
        let plan = try ClusterPlanner().plan(members: [
            Self.member("cp-1", "v1.33.3", cp: "v1.33.3"), Self.member("cp-2", "v1.32.9", cp: "v1.32.9"),
            Self.member("node01", "v1.32.9"), Self.member("node02", "v1.33.2"),
        ], clusterVersion: Self.v("v1.33.3"), target: Self.v("v1.33.3"))
        #expect(plan.phases.map(\.kind) == [.finishControlPlane, .workers])
        let finish = plan.phases[0]
        #expect(finish.nodes.map(\.node) == ["cp-2"] && finish.oneAtATime)
        #expect(finish.nodes[0].steps.contains { $0.kind == .upgradeNode })
        #expect(!plan.phases.flatMap(\.nodes).flatMap(\.steps).contains { $0.kind == .upgradeApply }, "apply already ran on cp-1")
        #expect(plan.phases[1].nodes.map(\.node) == ["node01", "node02"])
    }

    @Test func twoHopsRunControlPlaneThenWorkersEachAndAskBeforeTheSecondApply() throws {
        let plan = try ClusterPlanner().plan(members: [
            Self.member("cp-2", "v1.33.3", cp: "v1.33.3"), Self.member("cp-1", "v1.33.3", cp: "v1.33.3"),
            Self.member("cp-3", "v1.33.3", cp: "v1.33.3"), Self.member("node01", "v1.33.3"), Self.member("node02", "v1.32.7"),
        ], clusterVersion: Self.v("v1.33.3"), target: Self.v("v1.35.0"))
        #expect(plan.hops.map(\.minor) == [34, 35])
        // node02, a minor behind the control plane, reaches it first: workers follow the control plane one minor at a time.
        #expect(plan.phases.map(\.kind) == [.workers, .controlPlane, .workers, .controlPlane, .workers])
        #expect(plan.phases.map(\.askFirst) == [false, false, false, true, false])
        #expect(plan.phases[0].nodes.map(\.node) == ["node02"] && plan.phases[0].version == Self.v("v1.33.3"))
        for phase in plan.phases where phase.kind == .controlPlane {
            #expect(phase.oneAtATime, "control-plane nodes one at a time, whatever the concurrency")
            #expect(phase.nodes.map(\.node) == ["cp-1", "cp-2", "cp-3"])
            let first = phase.nodes[0], second = phase.nodes[1]
            // §1b: kubeadm install, then plan, the etcd snapshot, apply; then drain, kubelet, restart, wait, uncordon.
            #expect(Self.kinds(first) == [.repository, .installKubeadm, .checkCertificates, .upgradePlan, .confirmPlan, .etcdSnapshot, .upgradeApply, .waitControlPlane,
                                          .drain, .installKubelet, .restartKubelet, .waitReady, .uncordon])
            #expect(Self.commands(first).contains("sudo kubeadm upgrade apply \(phase.version) --yes"))
            #expect(Self.commands(first).contains("sudo kubeadm upgrade plan \(phase.version)"))
            // §1c: "Same as the first, but sudo kubeadm upgrade node instead of kubeadm upgrade apply".
            #expect(Self.kinds(second) == [.repository, .installKubeadm, .upgradeNode, .waitControlPlane, .drain, .installKubelet, .restartKubelet, .waitReady, .uncordon])
        }
        // node02 at v1.32.7 goes one minor at a time: v1.33.3 before the first hop, then v1.34.x with the other worker.
        #expect(plan.phases[0].nodes[0].hops.map(\.version.minor) == [33])
        #expect(plan.phases[2].nodes.map(\.node) == ["node01", "node02"])
        #expect(plan.phases[2].nodes.allSatisfy { $0.hops.map(\.version.minor) == [34] })
        #expect(plan.phases[4].nodes.allSatisfy { $0.target == Self.v("v1.35.0") })
    }

    // "kubelet may be up to three minor versions older than kube-apiserver": the hop to v1.34 would leave a v1.30 kubelet
    // four minors behind, so it moves to the control plane's version first.
    @Test func aKubeletTheHopWouldLeaveTooFarBehindCatchesUpFirst() throws {
        let plan = try ClusterPlanner().plan(members: [
            Self.member("cp-1", "v1.33.3", cp: "v1.33.3"), Self.member("old", "v1.30.9"), Self.member("fine", "v1.31.9"),
        ], clusterVersion: Self.v("v1.33.3"), target: Self.v("v1.34.0"))
        #expect(plan.phases.map(\.kind) == [.catchUp, .controlPlane, .workers])
        #expect(plan.phases[0].nodes.map(\.node) == ["fine", "old"])
        #expect(plan.phases[0].gates.first?.contains("would leave old more than three minors behind") == true, "\(plan.phases[0].gates)")
        #expect(plan.phases[0].version == Self.v("v1.33.3"))
        #expect(plan.phases[0].nodes[1].hops.map(\.version.minor) == [31, 32, 33])
        #expect(plan.phases[2].nodes.map(\.node) == ["fine", "old"])
    }

    /// `upgrade --cluster` plans again from the live cluster before every phase; what it then runs must be the rest of the
    /// plan the operator read (found: after the first control-plane hop the new plan left the workers' phase of that
    /// hop out, and moved them three minors in one phase after the last hop).
    @Test func thePlanMadeAgainAfterAnyPhaseIsTheRestOfThePlan() throws {
        var members = [Self.member("cp-1", "v1.33.3", cp: "v1.33.3"), Self.member("cp-2", "v1.32.9", cp: "v1.32.9"),
                       Self.member("cp-3", "v1.32.9", cp: "v1.32.9"), Self.member("node01", "v1.32.9"),
                       Self.member("node02", "v1.32.7"), Self.member("node03", "v1.33.3")]
        var clusterVersion = Self.v("v1.33.3")
        let target = Self.v("v1.35.9")
        let original = try ClusterPlanner().plan(members: members, clusterVersion: clusterVersion, target: target)
        #expect(original.phases.map(\.kind) == [.finishControlPlane, .workers, .controlPlane, .workers, .controlPlane, .workers])
        func shape(_ phases: ArraySlice<ClusterPlan.Phase>) -> [String] {
            phases.map { "\($0.kind) \($0.version) \($0.nodes.map { "\($0.node):\($0.hops.map(\.version.description))" })" }
        }
        for (index, phase) in original.phases.enumerated() {
            for node in phase.nodes {
                let i = try #require(members.firstIndex { $0.name == node.node })
                members[i].kubelet = phase.version
                if members[i].isControlPlane { members[i].apiserver = phase.version }
            }
            if phase.kind == .controlPlane { clusterVersion = phase.version }
            let again = try ClusterPlanner().plan(members: members, clusterVersion: clusterVersion, target: target)
            #expect(shape(again.phases[...]) == shape(original.phases[(index + 1)...]), "after phase \(index + 1)")
        }
    }

    /// A worker that cannot be upgraded now (NotReady, a drain that cannot pass) is left out of the cluster run, said
    /// with the reason, while "kubelet may be up to three minor versions older than kube-apiserver" still holds at the
    /// target; otherwise the plan is refused. A control-plane node so held stops the plan: the control plane moves
    /// whole or not at all.
    @Test func heldNodesAreLeftOutWithinTheSkewPolicyAndRefusedBeyondIt() throws {
        var stuck = Self.member("node05", "v1.33.3")
        stuck.held = "NotReady"
        let plan = try ClusterPlanner().plan(members: [Self.member("cp-1", "v1.33.3", cp: "v1.33.3"), Self.member("node01", "v1.33.3"), stuck],
                                             clusterVersion: Self.v("v1.33.3"), target: Self.v("v1.35.9"))
        #expect(!plan.phases.flatMap(\.nodes).contains { $0.node == "node05" })
        #expect(plan.excluded.map(\.node) == ["node05"])
        #expect(plan.excluded[0].reason.hasPrefix("NotReady; left at v1.33.3 (within the skew policy of v1.35.9)"), "\(plan.excluded)")

        var old = Self.member("node04", "v1.31.9")
        old.held = "its drain cannot pass: pdb-allows-no-disruption shop/postgres-pdb"
        #expect(throws: ClusterPlanner.Refusal.self) {
            try ClusterPlanner().plan(members: [Self.member("cp-1", "v1.33.3", cp: "v1.33.3"), old],
                                      clusterVersion: Self.v("v1.33.3"), target: Self.v("v1.35.9"))
        }
        var cp2 = Self.member("cp-2", "v1.33.3", cp: "v1.33.3")
        cp2.held = "NotReady"
        do {
            _ = try ClusterPlanner().plan(members: [Self.member("cp-1", "v1.33.3", cp: "v1.33.3"), cp2],
                                          clusterVersion: Self.v("v1.33.3"), target: Self.v("v1.34.9"))
            Issue.record("a NotReady control-plane node must stop the plan")
        } catch {
            #expect(error.message.hasPrefix("cp-2: NotReady; every control-plane node must be upgradable"))
        }
    }

    @Test func theEtcdSnapshotIsOnlyForAStackedEtcdAndCanBeLeftOut() throws {
        let members = [Self.member("cp-1", "v1.33.3", cp: "v1.33.3", etcd: false)]
        let external = try ClusterPlanner().plan(members: members, clusterVersion: Self.v("v1.33.3"), target: Self.v("v1.34.0"))
        #expect(!external.phases[0].nodes[0].steps.contains { $0.kind == .etcdSnapshot })
        let skipped = try ClusterPlanner(etcdBackup: false).plan(members: [Self.member("cp-1", "v1.33.3", cp: "v1.33.3")],
                                                                 clusterVersion: Self.v("v1.33.3"), target: Self.v("v1.34.0"))
        #expect(!skipped.phases[0].nodes[0].steps.contains { $0.kind == .etcdSnapshot })
        let stacked = try ClusterPlanner().plan(members: [Self.member("cp-1", "v1.33.3", cp: "v1.33.3")],
                                                clusterVersion: Self.v("v1.33.3"), target: Self.v("v1.34.0"))
        let snapshot = try #require(stacked.phases[0].nodes[0].steps.first { $0.kind == .etcdSnapshot })
        #expect(stacked.phases[0].nodes[0].displayLine(snapshot).contains("snapshot save /var/backups/kubeskew/etcd-cp-1-before-v1.34.0.db"))
    }

    @Test(arguments: [PackageManager.apt, .dnf, .dnf5, .yum])
    func everyRunbookHasTheControlPlaneSteps(manager: PackageManager) throws {
        let plan = try ClusterPlanner().plan(members: [
            Self.member("cp-1", "v1.33.3", cp: "v1.33.3", manager: manager), Self.member("cp-2", "v1.33.3", cp: "v1.33.3", manager: manager),
            Self.member("w", "v1.33.3", manager: manager),
        ], clusterVersion: Self.v("v1.33.3"), target: Self.v("v1.34.0"))
        let (first, other, worker) = (plan.phases[0].nodes[0], plan.phases[0].nodes[1], plan.phases[1].nodes[0])
        #expect(Self.commands(first).contains("sudo kubeadm certs check-expiration"))
        #expect(Self.commands(first).contains("sudo kubeadm upgrade apply v1.34.0 --yes"))
        #expect(!Self.commands(first).contains("sudo kubeadm upgrade node"))
        #expect(Self.commands(other).contains("sudo kubeadm upgrade node"))
        #expect(!Self.kinds(other).contains(.upgradeApply))
        // Workers and the other control-plane nodes share the procedure, but a control-plane node's static pods are
        // waited for (through the API) before its kubelet moves.
        #expect(Self.kinds(worker) == Self.kinds(other).filter { $0 != .waitControlPlane })
        #expect(Self.kinds(other).firstIndex(of: .waitControlPlane) == Self.kinds(other).firstIndex(of: .upgradeNode).map { $0 + 1 })
        #expect(Self.kinds(first).firstIndex(of: .waitControlPlane) == Self.kinds(first).firstIndex(of: .upgradeApply).map { $0 + 1 })
    }

    @Test func managedControlPlanesAndAbsentOnesAreRefusedManagedWorkersLeftAlone() throws {
        #expect(throws: ClusterPlanner.Refusal.self) {
            try ClusterPlanner().plan(members: [Self.member("w", "v1.33.3")], clusterVersion: Self.v("v1.33.3"), target: Self.v("v1.34.0"))
        }
        #expect(throws: ClusterPlanner.Refusal.self) {
            try ClusterPlanner().plan(members: [Self.member("cp", "v1.33.3-eks-1", cp: "v1.33.3", notKubeadm: "Amazon EKS node")],
                                      clusterVersion: Self.v("v1.33.3"), target: Self.v("v1.34.0"))
        }
        let plan = try ClusterPlanner().plan(members: [
            Self.member("cp-1", "v1.33.3", cp: "v1.33.3"), Self.member("eks", "v1.33.3", notKubeadm: "Amazon EKS node: upgrade through Amazon EKS"),
        ], clusterVersion: Self.v("v1.33.3"), target: Self.v("v1.34.0"))
        #expect(plan.excluded.map(\.node) == ["eks"])
        #expect(!plan.phases.flatMap(\.nodes).contains { $0.node == "eks" })
    }

    @Test func whatTheTargetFixesIsSaid() throws {
        let planner = ClusterPlanner(today: CalendarDate(year: 2026, month: 12, day: 7))
        let plan = try planner.plan(members: [Self.member("cp-1", "v1.33.3", cp: "v1.33.3")], clusterVersion: Self.v("v1.33.3"),
                                    target: Self.v("v1.35.0"), components: [(name: "kube-apiserver", version: Self.v("v1.33.3"))])
        #expect(plan.fixes.contains { $0.hasPrefix("closes CVE-2025-5187") }, "\(plan.fixes)")
        #expect(plan.fixes.contains { $0.hasPrefix("leaves the end of life of 1.33 behind") }, "\(plan.fixes)")
    }
}
