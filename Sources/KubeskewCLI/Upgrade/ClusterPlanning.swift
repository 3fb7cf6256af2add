import Foundation
import KubeClient
import KubeModel
import SkewCore
import Upgrade

/// Builds the whole-cluster plan from a snapshot: the control plane's version and instances, every node's role,
/// kubelet, package manager and addresses, then `ClusterPlanner`'s phases with the drain blockers of every node.
enum ClusterPlanning {
    /// The plan to `target` (nil: the cluster's own version, which finishes an upgrade in progress and brings the
    /// workers up).
    /// `held`: nodes that cannot be upgraded now, with the reason (a drain that cannot pass); NotReady nodes are
    /// found here.
    static func plan(snapshot: ClusterSnapshot, assessment: ClusterAssessment, context: AssessmentContext, planner: Planner,
                     packageManagerOverride: PackageManager?, etcdBackup: Bool, held: [String: String] = [:]) throws -> ClusterPlan {
        let components = snapshot.components
        let apiserverByNode = Dictionary(components.filter { $0.name == "kube-apiserver" }.compactMap { c in
            c.node.flatMap { node in KubeVersion.parse(c.version).map { (node, $0) } }
        }, uniquingKeysWith: { first, _ in first })
        let etcdNodes = Set(components.filter { $0.name == "etcd" }.compactMap(\.node))
        // The version the control plane is being taken to: kubeadm-config's, else the newest kube-apiserver.
        guard let clusterVersion = snapshot.kubeadmConfig?.kubeadmKubernetesVersion.flatMap(KubeVersion.parse)
                ?? apiserverByNode.values.max() ?? snapshot.apiserverVersions.compactMap(KubeVersion.parse).max() else {
            throw OperatorError(message: "the control plane's version is unknown (no kubeadm-config, no kube-apiserver static pod)")
        }
        let assessed = Dictionary(assessment.nodes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var members: [ClusterPlanner.Member] = []
        var unplannable: [String] = []
        for node in snapshot.nodes {
            guard let kubelet = assessed[node.name]?.kubelet.version else {
                unplannable.append("\(node.name): kubelet version unknown")
                continue
            }
            let distribution = assessed[node.name]?.distribution ?? .vanilla
            guard let manager = packageManagerOverride ?? PackageManagerGuess.from(osImage: node.nodeInfo?.osImage) ?? (distribution.isKubeadmManageable ? nil : .apt) else {
                unplannable.append("\(node.name): cannot tell the package manager from its OS image \(DisplaySafe.quote(node.nodeInfo?.osImage ?? "?")); pass --package-manager apt|dnf|dnf5|yum")
                continue
            }
            members.append(ClusterPlanner.Member(
                name: node.name, internalIP: node.internalIP, kubelet: kubelet, isControlPlane: node.isControlPlane,
                apiserver: apiserverByNode[node.name], stackedEtcd: etcdNodes.contains(node.name), packageManager: manager,
                notKubeadm: distribution.isKubeadmManageable ? nil : "\(distribution.displayName) node: \(distribution.upgradeAdvice)",
                wasCordoned: node.isUnschedulable && CordonMark.run(of: node) == nil,
                held: node.readyStatus == "True" ? held[node.name] : "NotReady (kubeskew could not tell that it came back after its upgrade)"))
        }
        if !unplannable.isEmpty {
            throw OperatorError(message: "the whole cluster cannot be planned: " + unplannable.joined(separator: "; "))
        }
        if context.target != .intended, let problem = assessment.targetProblem {
            throw OperatorError(message: "--target \(context.target): \(problem)")
        }
        // The assessment's target (--target, resolved against this control plane), else where the control plane is going.
        let target = assessment.target ?? clusterVersion
        let cpComponents = components.filter { ["kube-apiserver", "kube-controller-manager", "kube-scheduler"].contains($0.name) }
            .compactMap { c in KubeVersion.parse(c.version).map { (name: c.name, version: $0) } }
        let clusterPlanner = ClusterPlanner(planner: planner, calendar: context.calendar, advisories: context.advisories,
                                            today: context.today, etcdBackup: etcdBackup)
        do {
            return try clusterPlanner.plan(members: members, clusterVersion: clusterVersion, target: target, components: cpComponents)
        } catch {
            throw OperatorError(message: error.message)
        }
    }

    /// Workers whose drain cannot pass as things are (a budget that allows no disruption, a pod under several
    /// budgets), with the reason: the cluster run leaves them out rather than fail on them.
    static func undrainable(_ plan: ClusterPlan, controlPlane: Set<String>) -> [String: String] {
        var out: [String: String] = [:]
        for node in plan.phases.flatMap(\.nodes) where !controlPlane.contains(node.node) && out[node.node] == nil {
            if let blocker = node.blockers.first(where: { $0.kind == .pdbAllowsNoDisruption || $0.kind == .podHasSeveralBudgets }) {
                out[node.node] = "its drain cannot pass: \(blocker.kind.rawValue) \(blocker.object)"
            }
        }
        return out
    }

    /// The drain blockers of every node of `plan`, read from the live cluster: the budgets once, each node's pods
    /// once (a node is in several phases of a multi-hop plan).
    static func blockers(of plan: ClusterPlan, client: KubeAPIClient) async throws -> [String: [Blocker]] {
        let budgets = try await client.listPDBs()
        var out: [String: [Blocker]] = [:]
        for node in plan.phases.flatMap(\.nodes) where out[node.node] == nil {
            out[node.node] = DrainBlockers.find(podsOnNode: try await client.listPods(nodeName: node.node), budgets: budgets)
        }
        return out
    }

    /// Every node plan of `plan` with its node's drain blockers.
    static func attaching(_ blockers: [String: [Blocker]], to plan: ClusterPlan) -> ClusterPlan {
        let phases = plan.phases.map { phase in
            ClusterPlan.Phase(kind: phase.kind, version: phase.version, nodes: phase.nodes.map { node in
                var node = node
                node.blockers = blockers[node.node] ?? []
                return node
            }, oneAtATime: phase.oneAtATime, askFirst: phase.askFirst, gates: phase.gates)
        }
        var out = ClusterPlan(from: plan.from, target: plan.target, hops: plan.hops, phases: phases, excluded: plan.excluded, fixes: plan.fixes)
        out.notes = plan.notes
        return out
    }

    /// The API versions still in use that a control-plane hop removes, each a blocker of the node that runs that
    /// hop first (the first hop whose minor reaches the removal; a version removed before the control plane's
    /// minor, named by a stored manifest, goes to the first hop). Deprecations, what was read and what could not
    /// be, as the plan's notes.
    static func attaching(_ report: APIRemovalReport?, to plan: ClusterPlan) -> ClusterPlan {
        guard let report else { return plan }
        var phases = plan.phases
        var notes = plan.notes
        let hopPhases = phases.indices.filter { [.controlPlane, .finishControlPlane].contains(phases[$0].kind) }
        for finding in report.removed {
            let removal = finding.removedIn ?? report.to
            guard let index = hopPhases.first(where: { MinorLine(phases[$0].version) >= removal }) ?? hopPhases.first,
                  !phases[index].nodes.isEmpty else {
                notes.append("API removal with no control-plane phase to hold it: \(finding.blockerLine)")
                continue
            }
            let phase = phases[index]
            var nodes = phase.nodes
            nodes[0].blockers.append(Blocker(kind: .removedAPIInUse, object: "\(finding.apiVersion) \(finding.kind)",
                                             advice: finding.blockerLine))
            phases[index] = ClusterPlan.Phase(kind: phase.kind, version: phase.version, nodes: nodes, oneAtATime: phase.oneAtATime,
                                              askFirst: phase.askFirst, gates: phase.gates)
        }
        for finding in report.deprecated { notes.append("API \(finding.blockerLine)") }
        if !report.read.isEmpty {
            notes.append("API versions the hop \(report.from) → \(report.to) removes, looked for in: " + report.read.joined(separator: " · "))
        }
        for gap in report.gaps { notes.append("API removals not checked: \(gap)") }
        var out = ClusterPlan(from: plan.from, target: plan.target, hops: plan.hops, phases: phases, excluded: plan.excluded, fixes: plan.fixes)
        out.notes = notes
        return out
    }
}

/// How the whole-cluster plan is printed: what it fixes, then every phase with its gates and each node's commands.
enum ClusterPlanPrinter {
    static func text(_ plan: ClusterPlan) -> String {
        let hops = plan.hops.isEmpty ? "no control-plane hop" : plan.hops.map(\.description).joined(separator: " → ")
        var out = "cluster: control plane \(plan.from) → \(plan.target) (\(hops))\n"
        for fix in plan.fixes { out += "  fixes: \(fix)\n" }
        for note in plan.notes { out += "  note: \(note)\n" }
        if plan.phases.isEmpty { out += "nothing to do: every node is at \(plan.target)\n" }
        for (index, phase) in plan.phases.enumerated() {
            out += "\nphase \(index + 1)/\(plan.phases.count): \(title(phase))\n"
            for gate in phase.gates { out += "  before: \(gate)\n" }
            out += PlanPrinter.text(phase.nodes, refused: []).split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
        }
        for excluded in plan.excluded { out += "\(excluded.node)  left alone: \(excluded.reason)\n" }
        return out
    }

    static func title(_ phase: ClusterPlan.Phase) -> String {
        let names = phase.nodes.map(\.node).joined(separator: ", ")
        switch phase.kind {
        case .finishControlPlane:
            return "finish the control plane's upgrade to \(phase.version) on \(names) (kubeadm upgrade node, one node at a time)"
        case .catchUp:
            return "workers → \(phase.version) before the next hop: \(names)"
        case .controlPlane:
            let first = phase.nodes.first?.node ?? "?"
            let others = phase.nodes.dropFirst().map(\.node)
            return "control plane → \(phase.version): \(first) runs kubeadm upgrade apply"
                + (others.isEmpty ? "" : ", then \(others.joined(separator: ", ")) kubeadm upgrade node, one node at a time")
                + (phase.askFirst ? "; kubeskew asks before it starts" : "")
        case .workers:
            return "workers → \(phase.version): \(names)"
        }
    }
}
