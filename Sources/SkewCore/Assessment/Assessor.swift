/// Turns cluster facts into verdicts, risks and upgrade paths. Pure: the same facts and context give the same result.
public struct Assessor: Sendable {
    public let context: AssessmentContext

    public init(context: AssessmentContext) {
        self.context = context
    }

    public func assess(_ facts: ClusterFacts) -> ClusterAssessment {
        let basis = clusterBasis(facts)
        let nodes = facts.nodes.map { assessNode($0, basis: basis) }
        return assessment(basis, nodes: nodes)
    }

    /// What every node's assessment depends on besides its own facts, derived from the cluster-level facts.
    struct ClusterBasis: Sendable {
        let controlPlane: ControlPlaneAssessment
        let apiservers: APIServerSet?
        let target: KubeVersion?
        let targetSource: TargetSource?
        let targetProblem: UpgradePathError?
    }

    func clusterBasis(_ facts: ClusterFacts) -> ClusterBasis {
        let parsedAPI = facts.apiserverVersions.map { (raw: $0, version: KubeVersion.parse($0)) }
        let apiservers = APIServerSet(parsedAPI.compactMap(\.version))
        let kubeadmVersion = facts.kubeadmClusterVersion.flatMap(KubeVersion.parse)

        var target: ResolvedTarget?
        var targetProblem: UpgradePathError?
        if let apiservers {
            do {
                target = try UpgradePath.target(apiservers: apiservers, kubeadmClusterVersion: kubeadmVersion, choice: context.target, calendar: context.calendar)
            } catch { targetProblem = error }
        } else {
            targetProblem = .noAPIServerVersion
        }
        let controlPlane = assessControlPlane(
            facts, apiservers: apiservers, unparsable: parsedAPI.filter { $0.version == nil }.map(\.raw), target: target?.version)
        return ClusterBasis(
            controlPlane: controlPlane, apiservers: apiservers, target: target?.version, targetSource: target?.source, targetProblem: targetProblem)
    }

    func assessNode(_ n: NodeFacts, basis: ClusterBasis) -> NodeAssessment {
        assessNode(n, apiservers: basis.apiservers, target: basis.target, targetProblem: basis.targetProblem)
    }

    /// The whole assessment from the basis and the node assessments (counted here).
    func assessment(_ basis: ClusterBasis, nodes: [NodeAssessment]) -> ClusterAssessment {
        var counts: [SummaryBucket: Int] = [:]
        for b in SummaryBucket.allCases { counts[b] = 0 }
        for n in nodes { counts[n.bucket, default: 0] += 1 }
        return ClusterAssessment(
            controlPlane: basis.controlPlane, target: basis.target, targetSource: basis.targetSource, targetProblem: basis.targetProblem, nodes: nodes,
            counts: counts, notes: dataNotes())
    }

    /// Notes that the data in force is old: the report must say so when it is more than six months old.
    public func dataNotes() -> [String] {
        var notes: [String] = []
        let cal = context.calendar.dataTakenOn
        if cal.months(until: context.today) >= 6 {
            notes.append("release calendar data is from \(cal), more than 6 months old: end-of-life verdicts may be missing; pass --releases FILE with newer data")
        }
        let adv = context.advisories.dataTakenOn
        if adv.months(until: context.today) >= 6 {
            notes.append("advisory data is from \(adv), more than 6 months old: newer CVEs are not known; pass --advisories FILE with newer data")
        }
        return notes
    }

    // MARK: nodes

    func assessNode(_ n: NodeFacts, apiservers: APIServerSet?, target: KubeVersion?, targetProblem: UpgradePathError?) -> NodeAssessment {
        let kubelet = judge("kubelet", n.kubeletVersion, apiservers) { SkewPolicy.kubelet($0, apiservers: $1, target: target) }
        let proxy = n.kubeProxyVersion.map { raw in
            judge("kube-proxy", raw, apiservers) { SkewPolicy.kubeProxy($0, kubelet: kubelet.version, apiservers: $1, target: target) }
        }
        let kubeadm = n.kubeadmVersion.map { raw in
            judge("kubeadm", raw, apiservers) { SkewPolicy.kubeadm($0, target: target, kubelet: kubelet.version, apiservers: $1) }
        }
        let distribution = Distribution.detect(kubeletVersion: kubelet.version, providerID: n.providerID, labels: n.labels, osImage: n.osImage, nodeName: n.name)

        var hops: [Hop] = []
        var problem: UpgradePathError? = targetProblem
        if problem == nil, let target {
            if !distribution.isKubeadmManageable {
                problem = .managed(distribution)
            } else if let v = kubelet.version {
                do { hops = try UpgradePath.hops(from: v, to: target, calendar: context.calendar) } catch { problem = error }
                // No component may be newer than the oldest API server: a node passes the control plane only after
                // it. The hops stay, to show what is left; the plan is refused until then.
                if problem == nil, !hops.isEmpty, let oldest = apiservers?.policyVersions.oldest, oldest < target.policyVersion {
                    problem = .controlPlaneFirst(target: target)
                }
            } else {
                problem = .kubeletVersionUnknown(reason: kubelet.judgement.reason)
            }
        }

        var risks: [Risk] = []
        if let v = kubelet.version { risks += cveRisks("kubelet", v) }
        if let v = proxy?.version { risks += cveRisks("kube-proxy", v) }
        // The end of life of a minor the control plane runs is the control plane's risk, said once for the whole cluster
        // (ControlPlaneAssessment.risks); a node carries only that of a minor of its own.
        let controlPlaneMinors = Set(apiservers?.versions.map(\.minorLine) ?? [])
        if let v = kubelet.version, !controlPlaneMinors.contains(v.minorLine),
           context.calendar.isEndOfLife(v.minorLine, on: context.today) == true {
            let eol = context.calendar.release(v.minorLine).map { " on \($0.endOfLife)" } ?? ""
            risks.append(Risk(kind: .eol, component: "kubelet", minor: v.minorLine, detail: "Kubernetes \(v.minorLine) reached end of life\(eol): no more patches, security fixes included"))
        }
        if hops.contains(where: \.changesMinor) {
            risks.append(Risk(kind: .drainRequired, component: "kubelet", fixedIn: nil, detail: PolicyText.drainBeforeMinor))
        }
        if let v = kubelet.version, let api = apiservers, v.major == api.newest.major,
           api.newest.minor - v.minor >= SkewPolicy.maxOlderMinors(of: v) {
            risks.append(Risk(kind: .blocksCPUpgrade, component: "kubelet", detail: "kubelet \(v) is \(api.newest.minor - v.minor) minors behind kube-apiserver \(api.newest): " + PolicyText.blocksControlPlane))
        }
        if distribution != .vanilla {
            risks.append(Risk(kind: .managed, detail: "\(distribution.displayName) node: \(distribution.upgradeAdvice)"))
        }
        if let a = kubeadm?.version, let k = kubelet.version, !a.samePrecedence(as: k) {
            // kubeadm goes first in the node procedure, so kubeadm ahead of the kubelet is an upgrade that stopped.
            let detail = a > k ? SkewPolicy.halfFinished(kubeadm: a, kubelet: k)
                               : "kubeadm \(a) is behind kubelet \(k); " + PolicyText.kubeadmMatch
            risks.append(Risk(kind: .kubeadmMismatch, component: "kubeadm", detail: detail))
        }
        return NodeAssessment(
            name: n.name, isControlPlane: n.isControlPlane, kubelet: kubelet, kubeProxy: proxy, kubeadm: kubeadm,
            distribution: distribution, risks: risks, hops: problem == nil || problem?.isControlPlaneFirst == true ? hops : [],
            pathProblem: problem)
    }

    private func judge(
        _ name: String, _ raw: String?, _ apiservers: APIServerSet?, _ rule: (KubeVersion, APIServerSet) -> Judgement
    ) -> ComponentAssessment {
        guard let raw, !raw.isEmpty else {
            return ComponentAssessment(raw: raw, version: nil, judgement: Judgement(.unknown, "\(name) version not reported"))
        }
        let version: KubeVersion
        do { version = try KubeVersion(raw) } catch {
            return ComponentAssessment(raw: raw, version: nil, judgement: Judgement(.unknown, error.message))
        }
        guard let apiservers else {
            return ComponentAssessment(raw: raw, version: version, judgement: Judgement(.unknown, "API server version unknown"))
        }
        return ComponentAssessment(raw: raw, version: version, judgement: rule(version, apiservers))
    }

    private func cveRisks(_ component: String, _ v: KubeVersion) -> [Risk] {
        context.advisories.fixable(component: component, version: v).map { a, fix in
            Risk(kind: .cve, id: a.id, component: component, fixedIn: fix, detail: "\(a.id) (\(a.severity)) in \(component) \(v): \(a.summary); fixed in \(fix)")
        }
    }

    // MARK: control plane

    static let skewedComponents: Set<String> = ["kube-controller-manager", "kube-scheduler", "cloud-controller-manager"]

    func assessControlPlane(_ facts: ClusterFacts, apiservers: APIServerSet?, unparsable: [String], target: KubeVersion? = nil) -> ControlPlaneAssessment {
        var verdict = ControlPlaneVerdict.supported
        var judgement: Judgement?
        if let apiservers {
            (verdict, judgement) = SkewPolicy.apiservers(apiservers)
        }
        if !unparsable.isEmpty {
            verdict = .apiserverSkew
            judgement = Judgement(.unknown, unparsable.map { "kube-apiserver " + DisplaySafe.quote($0) + " is not a version" }.joined(separator: "; "))
        }
        var components: [(name: String, node: String?, raw: String, version: KubeVersion?, judgement: Judgement?)] = []
        var risks: [Risk] = []
        for c in facts.components {
            let version = KubeVersion.parse(c.version)
            var j: Judgement?
            if c.name == "kube-apiserver", version != nil, let apiservers {
                j = SkewPolicy.apiservers(apiservers).1
            } else if Self.skewedComponents.contains(c.name) {
                if let version, let apiservers {
                    j = SkewPolicy.controlPlaneComponent(c.name, version, apiservers: apiservers)
                } else {
                    j = Judgement(.unknown, version == nil ? "\(c.name) \(DisplaySafe.quote(c.version)) is not a version" : "API server version unknown")
                }
            } else if c.name == "kube-proxy", let version, let apiservers {
                j = SkewPolicy.kubeProxy(version, kubelet: nil, apiservers: apiservers)
            }
            if let version, c.name != "kube-apiserver" { risks += cveRisks(c.name, version) }
            // Replicas on one node (two CoreDNS pods) are one line.
            if !components.contains(where: { $0.name == c.name && $0.node == c.node && $0.raw == c.version }) {
                components.append((c.name, c.node, c.version, version, j))
            }
        }
        // One end-of-life risk per minor the API servers run: nodes on those minors leave it to this one.
        var endOfLifeMinors: Set<MinorLine> = []
        for v in apiservers?.versions ?? [] {
            for r in cveRisks("kube-apiserver", v) where !risks.contains(r) { risks.append(r) }
            if context.calendar.isEndOfLife(v.minorLine, on: context.today) == true, endOfLifeMinors.insert(v.minorLine).inserted {
                let eol = context.calendar.release(v.minorLine).map { " on \($0.endOfLife)" } ?? ""
                risks.append(Risk(kind: .eol, component: "kube-apiserver", minor: v.minorLine, detail: "Kubernetes \(v.minorLine) reached end of life\(eol): the control plane gets no more patches; plan a minor upgrade"))
            }
        }
        let kubeadmVersion = facts.kubeadmClusterVersion.flatMap(KubeVersion.parse)
        let pending = target.map {
            ControlPlaneProgress.pending(components: facts.components, kubeadmClusterVersion: kubeadmVersion, target: $0, calendar: context.calendar)
        } ?? []
        return ControlPlaneAssessment(
            apiservers: apiservers?.versions ?? [], verdict: verdict, judgement: judgement, components: components,
            kubeadmClusterVersion: kubeadmVersion, risks: risks, pendingUpgrade: pending)
    }
}
