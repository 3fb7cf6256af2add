import KubeModel
import SkewCore

/// The details panel of one node: verdicts and risks explained in words, upgrade path, nodeInfo, conditions,
/// taints and the pods kubeskew knows on it.
enum DetailsContent {
    static func panel(_ state: DashboardState, node name: String, scroll: Int, width: Int) -> TextPanel {
        TextPanel(title: "node \(Sanitize.forScreen(name))", lines: lines(state, node: name, width: max(20, width)),
                  scroll: scroll)
    }

    static func lines(_ state: DashboardState, node name: String, width: Int) -> [StyledLine] {
        guard let data = state.data,
              let assessment = data.assessment.nodes.first(where: { $0.name == name }) else {
            return [[Span("the node \(Sanitize.forScreen(name)) is no longer in the cluster", Style(.warning))]]
        }
        let node = data.snapshot.nodes.first { $0.name == name }
        let probe = data.snapshot.kubeadmProbes[name]
        let row = NodeRow(node: node, assessment: assessment, kubeadmProbe: probe)
        var out: [StyledLine] = []
        func heading(_ text: String) {
            if !out.isEmpty { out.append([]) }
            out.append([Span(text, Style(.title, bold: true))])
        }
        func wrapped(_ text: String, indent: Int, style: Style = .plain) {
            let pad = String(repeating: " ", count: indent)
            for line in WordWrap.lines(Sanitize.forScreen(text), width: max(10, width - indent)) {
                out.append([Span(pad + line, style)])
            }
        }

        out.append([Span(row.name, Style(.normal, bold: true)), Span("  \(row.role)  ", Style(.dim)),
                    Span(row.statusText, row.ready == "Ready" ? Style(.ok) : Style(.danger, bold: true)),
                    Span("  skew ", Style(.dim)), Span(row.verdict.rawValue, VerdictStyle.style(row.verdict))])
        if let hold = state.hold(on: name) {
            wrapped(hold.words(now: state.now) + "; this dashboard does not act on it until they are done", indent: 0,
                    style: Style(.warning, bold: true))
        }

        heading("Verdicts")
        let components: [(String, ComponentAssessment?)] = [
            ("kubelet", assessment.kubelet), ("kube-proxy", assessment.kubeProxy), ("kubeadm", assessment.kubeadm),
        ]
        for (label, component) in components {
            guard let component else {
                if label == "kubeadm" {
                    let (cell, why) = KubeadmProbeText.unknown(probe)
                    out.append([Span("  " + TextWidth.fit(label, to: 11), Style(.dim)),
                                Span(cell, row.kubeadmProbeFailed ? Style(.warning) : Style(.dim))])
                    wrapped(why, indent: 4)
                } else {
                    out.append([Span("  " + TextWidth.fit(label, to: 11), Style(.dim)), Span("not reported", Style(.dim))])
                }
                continue
            }
            let version = component.version?.description ?? Sanitize.forScreen(component.raw ?? "-")
            out.append([Span("  " + TextWidth.fit(label, to: 11), Style(.dim)),
                        Span(TextWidth.fit(version, to: 10) + " ", Style(.normal, bold: true)),
                        Span(component.verdict.rawValue, VerdictStyle.style(component.verdict))])
            wrapped(component.judgement.reason, indent: 4)
            if let policy = component.judgement.policy {
                wrapped("policy: \(policy)", indent: 4, style: Style(.dim))
            }
            if label == "kubeadm", let asked = KubeadmProbeText.answered(probe) {
                wrapped(asked, indent: 4, style: Style(.dim))
            }
        }

        heading("Risks")
        let clusterRisks = data.assessment.controlPlane.risks
        if assessment.risks.isEmpty {
            out.append([Span(clusterRisks.isEmpty ? "  none known" : "  none particular to this node", Style(.ok))])
        }
        for risk in assessment.risks {
            let label = risk.id ?? risk.kind.badge
            out.append([Span("  " + label, VerdictStyle.style(risk.kind))])
            wrapped(risk.detail, indent: 4)
        }
        // The header names these and points here; every node's details carry them, so they are one key away.
        if !clusterRisks.isEmpty {
            heading(ClusterRiskSummary.detailHeading)
            out += ClusterRiskSummary.detailLines(clusterRisks, width: width)
        }
        // The hop's API removals are the cluster's too: said with its risks, under every node.
        if let removals = data.apiRemovals, !removals.findings.isEmpty || !removals.gaps.isEmpty {
            heading(removals.heading)
            out += removals.detailLines(width: width)
        }

        heading("Upgrade path")
        if let problem = assessment.pathProblem {
            wrapped(problem.description, indent: 2, style: Style(.warning))
        } else if assessment.hops.isEmpty {
            out.append([Span("  nothing to do: the node is on the target", Style(.ok))])
        } else {
            let hops = assessment.hops.map { $0.changesMinor ? "\($0.version) (new minor: repository switch, drain)" : "\($0.version)" }
            wrapped("\(row.kubelet) → " + hops.joined(separator: " → "), indent: 2)
        }

        heading("nodeInfo")
        let info = node?.nodeInfo
        let fields: [(String, String?)] = [
            ("kubelet", info?.kubeletVersion), ("kubeProxy", info?.kubeProxyVersion),
            ("runtime", info?.containerRuntimeVersion), ("osImage", info?.osImage), ("kernel", info?.kernelVersion),
            ("os/arch", info.flatMap { i in
                i.operatingSystem == nil && i.architecture == nil ? nil : "\(i.operatingSystem ?? "?")/\(i.architecture ?? "?")"
            }),
            ("internalIP", node?.internalIP), ("providerID", node?.spec?.providerID),
            ("distribution", assessment.distribution.rawValue),
        ]
        for (label, value) in fields {
            guard let value, !value.isEmpty else { continue }
            out.append([Span("  " + TextWidth.fit(label, to: 13), Style(.dim)), Span(Sanitize.forScreen(value))])
        }

        heading("Conditions")
        let conditions = node?.status?.conditions ?? []
        if conditions.isEmpty { out.append([Span("  none reported", Style(.dim))]) }
        for condition in conditions {
            let bad = (condition.type == "Ready") != (condition.status == "True")
            out.append([Span("  " + TextWidth.fit(Sanitize.forScreen(condition.type), to: 20), Style(.dim)),
                        Span(TextWidth.fit(Sanitize.forScreen(condition.status), to: 8), bad ? Style(.danger, bold: true) : Style(.ok)),
                        Span(Sanitize.forScreen(condition.reason ?? ""), Style(.dim))])
            if bad, let message = condition.message, !message.isEmpty { wrapped(message, indent: 4) }
        }

        heading("Taints")
        let taints = node?.spec?.taints ?? []
        if taints.isEmpty { out.append([Span("  none", Style(.dim))]) }
        for taint in taints {
            let value = taint.value.map { "=\($0)" } ?? ""
            out.append([Span("  " + Sanitize.forScreen("\(taint.key)\(value):\(taint.effect)"))])
        }

        out += podLines(state, node: name, snapshotPods: data.snapshot.systemPods, width: width)
        return out
    }

    /// Every pod on the node once read (`NodePods`), those a drain would stop on marked; until then, or when they
    /// cannot be read, the kube-system pods the snapshot has.
    static func podLines(_ state: DashboardState, node name: String, snapshotPods: [Pod], width: Int) -> [StyledLine] {
        var out: [StyledLine] = [[]]
        func heading(_ text: String) { out.append([Span(text, Style(.title, bold: true))]) }
        guard let read = state.nodePods, read.node == name, read.problem == nil else {
            heading("Pods on this node (kube-system)")
            if let problem = state.nodePods?.problem, state.nodePods?.node == name {
                out.append([Span("  every pod could not be read: " + Sanitize.forScreen(problem), Style(.warning))])
            } else if state.nodePods == nil {
                out.append([Span("  reading every pod on the node\(state.options.glyphs.ellipsis)", Style(.dim))])
            }
            let pods = snapshotPods.filter { $0.nodeName == name }
            if pods.isEmpty { out.append([Span("  none known", Style(.dim))]) }
            for pod in pods.sorted(by: { $0.name < $1.name }) {
                out.append([Span("  " + Sanitize.forScreen("\(pod.namespace)/\(pod.name)")),
                            Span("  " + Sanitize.forScreen(pod.status?.phase ?? ""), Style(.dim))])
            }
            return out
        }
        let blocking = read.pods.filter { $0.blocksDrain != nil }.count
        heading("Pods on this node (\(read.pods.count)\(blocking > 0 ? ", \(blocking) blocking a drain" : ""))")
        if read.pods.isEmpty { out.append([Span("  none", Style(.dim))]) }
        for pod in read.pods.sorted(by: { ($0.blocksDrain == nil ? 1 : 0, $0.namespace, $0.name) < ($1.blocksDrain == nil ? 1 : 0, $1.namespace, $1.name) }) {
            var line: StyledLine = [Span("  " + Sanitize.forScreen("\(pod.namespace)/\(pod.name)"), pod.blocksDrain == nil ? .plain : Style(.warning, bold: true)),
                                    Span("  " + Sanitize.forScreen(pod.phase), Style(.dim))]
            if pod.staysOnDrain { line.append(Span("  stays (DaemonSet or static)", Style(.dim))) }
            out.append(line)
            if let why = pod.blocksDrain {
                for part in WordWrap.lines("blocks a drain: " + Sanitize.forScreen(why), width: max(10, width - 4)) {
                    out.append([Span("    " + part, Style(.warning))])
                }
            }
        }
        return out
    }
}
