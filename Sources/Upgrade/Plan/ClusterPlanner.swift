import SkewCore

/// Orders a whole-cluster upgrade: which nodes move in which phase, and what each must satisfy first.
public struct ClusterPlanner: Sendable {
    /// One node as the cluster plan needs it.
    public struct Member: Sendable {
        public var name: String
        public var internalIP: String?
        public var kubelet: KubeVersion
        public var isControlPlane: Bool
        /// The version of this control-plane node's kube-apiserver static pod.
        public var apiserver: KubeVersion?
        /// The node runs kubeadm's etcd static pod (stacked etcd): the first control-plane node snapshots it.
        public var stackedEtcd: Bool
        public var packageManager: PackageManager
        /// Set when kubeadm does not manage the node (a managed or unrecognised distribution), with the reason.
        public var notKubeadm: String?
        public var wasCordoned: Bool
        /// Set when the node cannot be upgraded now, with the reason: NotReady (kubeskew could not tell it came back),
        /// or a drain that cannot pass (a budget that allows no disruption). A worker so held is left out of the
        /// cluster run while the skew policy allows it; a control-plane node so held stops the plan.
        public var held: String?

        public init(name: String, internalIP: String? = nil, kubelet: KubeVersion, isControlPlane: Bool = false,
                    apiserver: KubeVersion? = nil, stackedEtcd: Bool = false, packageManager: PackageManager = .apt,
                    notKubeadm: String? = nil, wasCordoned: Bool = false, held: String? = nil) {
            self.name = name
            self.internalIP = internalIP
            self.kubelet = kubelet
            self.isControlPlane = isControlPlane
            self.apiserver = apiserver
            self.stackedEtcd = stackedEtcd
            self.packageManager = packageManager
            self.notKubeadm = notKubeadm
            self.wasCordoned = wasCordoned
            self.held = held
        }
    }

    /// Why no cluster plan can be made, with what to do instead.
    public struct Refusal: Error, Sendable, CustomStringConvertible, Equatable {
        public let message: String
        public var description: String { message }
    }

    public let planner: Planner
    public let calendar: ReleaseCalendar
    public let advisories: Advisories
    /// The day end of life is judged on; nil: not said.
    public let today: CalendarDate?
    /// Whether the first control-plane node snapshots its stacked etcd before `apply` (`--skip-etcd-backup` turns it off).
    public let etcdBackup: Bool

    public init(planner: Planner = Planner(), calendar: ReleaseCalendar = .embedded(), advisories: Advisories = .embedded(),
                today: CalendarDate? = nil, etcdBackup: Bool = true) {
        self.planner = planner
        self.calendar = calendar
        self.advisories = advisories
        self.today = today
        self.etcdBackup = etcdBackup
    }

    /// The plan from the cluster's version (kubeadm-config's `kubernetesVersion`, else the newest kube-apiserver) to
    /// `target`.
    /// `components`: the control plane's component instances (`kube-apiserver`, …) with their versions, for what the
    /// target fixes.
    public func plan(members: [Member], clusterVersion: KubeVersion, target: KubeVersion,
                     components: [(name: String, version: KubeVersion)] = []) throws(Refusal) -> ClusterPlan {
        let controlPlane = members.filter(\.isControlPlane).sorted { $0.name < $1.name }
        guard !controlPlane.isEmpty else {
            throw Refusal(message: "no control-plane node found (node-role.kubernetes.io/control-plane): kubeskew upgrades kubeadm control planes only")
        }
        if let managed = controlPlane.first(where: { $0.notKubeadm != nil }), let reason = managed.notKubeadm {
            throw Refusal(message: "\(managed.name): \(reason); the control plane is not kubeadm's, upgrade it with its provider")
        }
        if let unknown = controlPlane.first(where: { $0.apiserver == nil }) {
            throw Refusal(message: "\(unknown.name): no kube-apiserver static pod found; kubeskew upgrades control planes kubeadm runs as static pods only")
        }
        if let held = controlPlane.first(where: { $0.held != nil }), let reason = held.held {
            throw Refusal(message: "\(held.name): \(reason); every control-plane node must be upgradable before the control plane moves")
        }
        guard target >= clusterVersion else {
            throw Refusal(message: "target \(target) is older than the control plane's \(clusterVersion); kubeskew does not downgrade")
        }
        let cpHops: [Hop]
        do { cpHops = try UpgradePath.hops(from: clusterVersion, to: target, calendar: calendar) } catch {
            throw Refusal(message: "control plane \(clusterVersion) → \(target): \(error)")
        }

        var excluded: [ClusterPlan.Excluded] = []
        var workers: [Member] = []
        for member in members where !member.isControlPlane {
            if let reason = member.notKubeadm {
                excluded.append(.init(node: member.name, reason: reason))
            } else if let reason = member.held, member.kubelet < target {
                // "kubelet may be up to three minor versions older than kube-apiserver": a worker left behind must stay so.
                if target.minor - member.kubelet.minor > SkewPolicy.maxOlderMinors(of: member.kubelet) {
                    throw Refusal(message: "\(member.name): \(reason); and the control plane's move to \(target) would leave its kubelet "
                                  + "\(member.kubelet) more than three minors behind (kubelet may be up to three minor versions older than "
                                  + "kube-apiserver): resolve it first")
                }
                excluded.append(.init(node: member.name, reason: "\(reason); left at \(member.kubelet) (within the skew policy of \(target)): resolve it, then upgrade it with U or kubeskew upgrade \(member.name)"))
            } else {
                workers.append(member)
            }
        }
        workers.sort { $0.name < $1.name }

        var phases: [ClusterPlan.Phase] = []
        // Each node's kubelet as the plan leaves it after the phases so far.
        var kubelets = Dictionary((controlPlane + workers).map { ($0.name, $0.kubelet) }, uniquingKeysWith: { first, _ in first })
        // Control-plane nodes still behind an upgrade already applied (kubeadm-config names the newer version).
        let behind = controlPlane.filter { ($0.apiserver ?? clusterVersion) < clusterVersion }
        if !behind.isEmpty {
            let nodes = try behind.map { member throws(Refusal) in
                try nodePlan(member, to: clusterVersion, role: .controlPlane)
            }
            for member in behind { kubelets[member.name] = max(member.kubelet, clusterVersion) }
            phases.append(.init(kind: .finishControlPlane, version: clusterVersion, nodes: nodes, oneAtATime: true, askFirst: false,
                                gates: ["kubeadm-config already says \(clusterVersion): these control-plane nodes finish that upgrade with kubeadm upgrade node, one at a time"]))
        }

        var current = clusterVersion
        for (index, hop) in cpHops.enumerated() {
            // Workers follow the control plane one minor at a time, each hop's workers phase after its control-plane
            // phase; workers still behind the control plane's current minor (a stop after a control-plane phase, or a
            // cluster found that way) come up to it before the next hop. So the plan made again after any phase is the
            // rest of the plan made before it. Among them, a kubelet the hop would leave more than three minors behind
            // ("kubelet may be up to three minor versions older than kube-apiserver") makes it a catch-up.
            let behind = workers.filter { (kubelets[$0.name] ?? $0.kubelet).minorLine < current.minorLine }
            if !behind.isEmpty {
                let nodes = try behind.map { member throws(Refusal) in
                    try nodePlan(member, from: kubelets[member.name] ?? member.kubelet, to: current, role: .worker)
                }
                let laggards = behind.filter { member in
                    let kubelet = kubelets[member.name] ?? member.kubelet
                    return hop.version.minor - kubelet.minor > SkewPolicy.maxOlderMinors(of: kubelet)
                }
                for member in behind { kubelets[member.name] = current }
                if laggards.isEmpty {
                    phases.append(.init(kind: .workers, version: current, nodes: nodes, oneAtATime: false, askFirst: false,
                                        gates: ["the control plane runs \(current); workers follow it one minor at a time, before its move to \(hop.version)"]))
                } else {
                    phases.append(.init(kind: .catchUp, version: current, nodes: nodes, oneAtATime: false, askFirst: false,
                                        gates: ["the control plane's move to \(hop.version) would leave \(laggards.map(\.name).joined(separator: ", ")) more than three minors behind "
                                                + "(kubelet may be up to three minor versions older than kube-apiserver); these workers reach \(current) first"]))
                }
            }
            var cpNodes: [NodePlan] = []
            for (position, member) in controlPlane.enumerated() {
                let from = kubelets[member.name] ?? member.kubelet
                kubelets[member.name] = hop.version
                cpNodes.append(try nodePlan(member, from: from, to: hop.version, role: position == 0 ? .firstControlPlane : .controlPlane,
                                            onlyTheHop: true))
            }
            phases.append(.init(
                kind: .controlPlane, version: hop.version, nodes: cpNodes, oneAtATime: true, askFirst: index > 0,
                gates: [
                    "every control-plane node Ready",
                    "kubeadm \(hop.version) installed on \(controlPlane[0].name) before kubeadm upgrade apply (its first steps)",
                    "certificates of \(controlPlane[0].name) not expired (kubeadm certs check-expiration)",
                    "no kubelet more than three minors behind \(hop.version) (the catch-up phase before, if any)",
                ]))
            let moving = workers.filter { (kubelets[$0.name] ?? $0.kubelet) < hop.version }
            if !moving.isEmpty {
                let nodes = try moving.map { member throws(Refusal) in
                    try nodePlan(member, from: kubelets[member.name] ?? member.kubelet, to: hop.version, role: .worker)
                }
                for member in moving { kubelets[member.name] = hop.version }
                phases.append(.init(kind: .workers, version: hop.version, nodes: nodes, oneAtATime: false, askFirst: false,
                                    gates: ["the control plane runs \(hop.version)"]))
            }
            current = hop.version
        }
        if cpHops.isEmpty {
            // The control plane is at the target: the workers behind it still move.
            let moving = workers.filter { $0.kubelet < target }
            if !moving.isEmpty {
                let nodes = try moving.map { member throws(Refusal) in try nodePlan(member, from: member.kubelet, to: target, role: .worker) }
                phases.append(.init(kind: .workers, version: target, nodes: nodes, oneAtATime: false, askFirst: false,
                                    gates: ["the control plane runs \(target)"]))
            }
        }
        for member in workers where member.kubelet > target {
            excluded.append(.init(node: member.name, reason: "kubelet \(member.kubelet) is newer than the target \(target); kubeskew does not downgrade"))
        }
        return ClusterPlan(from: clusterVersion, target: target, hops: cpHops.map(\.version), phases: phases, excluded: excluded,
                           fixes: fixes(controlPlane: controlPlane, components: components, from: clusterVersion, to: target))
    }

    /// What reaching `target` fixes: the CVEs of the control plane's components that a patch up to the target closes,
    /// and the end of life left behind.
    func fixes(controlPlane: [Member], components: [(name: String, version: KubeVersion)], from: KubeVersion,
               to target: KubeVersion) -> [String] {
        var out: [String] = []
        var seen = Set<String>()
        for component in components {
            for advisory in advisories.advisories where advisory.component == component.name && !seen.contains(advisory.id) {
                // Known vulnerable now (a later patch of its own minor fixes it), and fixed at the target: by the fix of the
                // target's minor, or because the target's minor came after every minor the fix was released for.
                let vulnerableNow = advisory.fix(for: component.version) != nil
                let sameMinorFix = advisory.fixed.first { $0.major == target.major && $0.minor == target.minor }
                let fixedAtTarget = sameMinorFix.map { $0 <= target }
                    ?? (!advisory.fixed.isEmpty && advisory.fixed.allSatisfy { $0.major == target.major && $0.minor < target.minor })
                if fixedAtTarget && vulnerableNow {
                    seen.insert(advisory.id)
                    out.append("closes \(advisory.id) (\(advisory.severity)) in \(component.name) \(component.version)")
                }
            }
        }
        if let today, calendar.isEndOfLife(from.minorLine, on: today) == true, calendar.isEndOfLife(target.minorLine, on: today) == false {
            let until = calendar.release(target.minorLine).map { " (supported until \($0.endOfLife))" } ?? ""
            out.append("leaves the end of life of \(from.minorLine) behind: \(target.minorLine) gets patches\(until)")
        }
        return out
    }

    /// `member`'s plan from `from` to `version`: its own hops, or (a control-plane node in a hop) just that hop.
    private func nodePlan(_ member: Member, from: KubeVersion? = nil, to version: KubeVersion, role: NodeRole,
                          onlyTheHop: Bool = false) throws(Refusal) -> NodePlan {
        let start = from ?? member.kubelet
        do {
            let hops: [Hop]
            if onlyTheHop || start >= version {
                // A control-plane node moves with its hop (its kubelet follows the control plane it runs); a node whose
                // kubelet is already there still gets the kubeadm steps of the role.
                hops = [Hop(version: version, changesMinor: start.minor != version.minor)]
            } else {
                hops = try UpgradePath.hops(from: start, to: version, calendar: calendar)
            }
            var plan = try planner.plan(name: member.name, internalIP: member.internalIP, from: start, target: version, hops: hops,
                                        packageManager: member.packageManager, role: role, stackedEtcd: etcdBackup && member.stackedEtcd)
            plan.wasCordoned = member.wasCordoned
            return plan
        } catch let error as UpgradePathError {
            throw Refusal(message: "\(member.name): \(error)")
        } catch {
            throw Refusal(message: "\(error)")
        }
    }
}
