import Foundation
import KubeModel
import SkewCore
import TerminalText

extension CheckReport {
    /// The JSON document of `check -o json`; its shape is a contract with CI scripts (see README).
    func json() throws -> String {
        let encoder = JSONEncoder()
        // Sorted: the same report twice is the same text (JSONEncoder otherwise orders keys by a per-process hash).
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let byName = nodesByName
        let doc = JSONDocument(
            controlPlane: .init(
                apiservers: assessment.controlPlane.apiservers.map(\.description),
                verdict: assessment.controlPlane.verdict.rawValue,
                reason: assessment.controlPlane.judgement?.reason,
                kubeadmClusterVersion: assessment.controlPlane.kubeadmClusterVersion?.description,
                components: assessment.controlPlane.components.map {
                    .init(name: $0.name, node: $0.node, version: $0.raw,
                          verdict: $0.judgement?.verdict.rawValue, reason: $0.judgement?.reason)
                },
                risks: assessment.controlPlane.risks.map(JSONRisk.init),
                pendingUpgrade: assessment.controlPlane.pendingUpgrade.map {
                    .init(node: $0.node, from: $0.from.description, to: $0.to.description, command: $0.command)
                }),
            target: assessment.target?.description,
            targetSource: assessment.targetSource?.rawValue,
            targetProblem: assessment.targetProblem?.description,
            nodes: assessment.nodes.map { n in
                JSONNode(
                    name: n.name, role: Self.role(byName[n.name]), verdict: n.verdict.rawValue,
                    kubelet: JSONComponent(n.kubelet), kubeProxy: n.kubeProxy.map(JSONComponent.init),
                    kubeadm: JSONKubeadm(n.kubeadm, probe: snapshot.kubeadmProbes[n.name]), distribution: n.distribution.rawValue,
                    risks: n.risks.map(JSONRisk.init), hops: n.hops.map(\.version.description),
                    upgradeBlockedBy: n.pathProblem?.description)
            },
            summary: Dictionary(uniqueKeysWithValues: SummaryBucket.allCases.map { ($0.rawValue, assessment.counts[$0] ?? 0) }),
            notes: assessment.notes,
            apiRemovals: apiRemovals?.jsonValue,
            data: .init(releases: context.calendar.dataTakenOn.description, advisories: context.advisories.dataTakenOn.description,
                         removedAPIs: removedAPIsTakenOn?.description, today: context.today.description))
        var text = String(decoding: try encoder.encode(doc), as: UTF8.self)
        text += "\n"
        return text
    }
}

private struct JSONDocument: Encodable {
    struct ControlPlane: Encodable {
        let apiservers: [String]
        let verdict: String
        let reason: String?
        let kubeadmClusterVersion: String?
        let components: [Component]
        let risks: [JSONRisk]
        /// Control-plane nodes to upgrade before any worker, in order (empty when none).
        let pendingUpgrade: [Pending]
    }

    struct Pending: Encodable {
        let node: String
        let from: String
        let to: String
        let command: String
    }

    struct Component: Encodable {
        let name: String
        let node: String?
        let version: String
        /// nil for etcd and CoreDNS, which the skew policy does not cover.
        let verdict: String?
        let reason: String?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encodeIfPresent(node, forKey: .node)
            try c.encode(version, forKey: .version)
            try c.encode(verdict, forKey: .verdict)
            try c.encodeIfPresent(reason, forKey: .reason)
        }

        enum CodingKeys: String, CodingKey { case name, node, version, verdict, reason }
    }

    struct DataDates: Encodable {
        let releases: String
        let advisories: String
        /// The removed-API table's date; absent when the check read no API removals (no hop, or offline).
        var removedAPIs: String? = nil
        let today: String
    }

    let controlPlane: ControlPlane
    let target: String?
    let targetSource: String?
    let targetProblem: String?
    let nodes: [JSONNode]
    let summary: [String: Int]
    let notes: [String]
    let apiRemovals: JSONAPIRemovals?
    let data: DataDates

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(controlPlane, forKey: .controlPlane)
        try c.encode(target, forKey: .target)
        try c.encode(targetSource, forKey: .targetSource)
        try c.encodeIfPresent(targetProblem, forKey: .targetProblem)
        try c.encode(nodes, forKey: .nodes)
        try c.encode(summary, forKey: .summary)
        try c.encode(notes, forKey: .notes)
        try c.encodeIfPresent(apiRemovals, forKey: .apiRemovals)
        try c.encode(data, forKey: .data)
    }

    enum CodingKeys: String, CodingKey { case controlPlane, target, targetSource, targetProblem, nodes, summary, notes, apiRemovals, data }
}

private struct JSONNode: Encodable {
    let name: String
    let role: String
    let verdict: String
    let kubelet: JSONComponent
    let kubeProxy: JSONComponent?
    let kubeadm: JSONKubeadm
    let distribution: String
    let risks: [JSONRisk]
    let hops: [String]
    let upgradeBlockedBy: String?

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(role, forKey: .role)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(kubelet, forKey: .kubelet)
        try c.encode(kubeProxy, forKey: .kubeProxy)  // null when not known, as the contract says
        try c.encode(kubeadm, forKey: .kubeadm)
        try c.encode(distribution, forKey: .distribution)
        try c.encode(risks, forKey: .risks)
        try c.encode(hops, forKey: .hops)
        try c.encodeIfPresent(upgradeBlockedBy, forKey: .upgradeBlockedBy)
    }

    enum CodingKeys: String, CodingKey { case name, role, verdict, kubelet, kubeProxy, kubeadm, distribution, risks, hops, upgradeBlockedBy }
}

private struct JSONComponent: Encodable {
    let version: String?
    let raw: String?
    let verdict: String
    let supported: Bool
    let reason: String
    let policy: String?

    init(_ a: ComponentAssessment) {
        version = a.version?.description
        raw = a.version == nil ? a.raw : nil
        verdict = a.verdict.rawValue
        supported = a.supported
        reason = a.judgement.reason
        policy = a.judgement.policy
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encodeIfPresent(raw, forKey: .raw)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(supported, forKey: .supported)
        try c.encode(reason, forKey: .reason)
        try c.encodeIfPresent(policy, forKey: .policy)
    }

    enum CodingKeys: String, CodingKey { case version, raw, verdict, supported, reason, policy }
}

/// kubeadm as judged (when the node told its version) and how it was learnt: `probe.state` is `probed`, `cached`,
/// `failed` (with the reason), `not-kubeadm` (a managed node) or `not-probed` (`check` without --probe-kubeadm).
private struct JSONKubeadm: Encodable {
    struct Probe: Encodable {
        let state: String
        let at: String?
        let reason: String?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(state, forKey: .state)
            try c.encodeIfPresent(at, forKey: .at)
            try c.encodeIfPresent(reason, forKey: .reason)
        }

        enum CodingKeys: String, CodingKey { case state, at, reason }
    }

    let component: JSONComponent?
    let probe: Probe

    init(_ component: ComponentAssessment?, probe status: KubeadmProbeStatus?) {
        self.component = component.map(JSONComponent.init)
        let stamp: (Date) -> String = { ISO8601DateFormatter().string(from: $0) }
        switch status {
        case .found(_, let at, let cached)?: probe = Probe(state: cached ? "cached" : "probed", at: stamp(at), reason: nil)
        case .failed(_, let reason, let at)?: probe = Probe(state: "failed", at: stamp(at), reason: OutputSanitizer.field(reason))
        case .notKubeadm(let reason)?: probe = Probe(state: "not-kubeadm", at: nil, reason: reason)
        case .notProbed(let reason)?: probe = Probe(state: "not-probed", at: nil, reason: reason)
        case .probing?: probe = Probe(state: "probing", at: nil, reason: nil)
        case nil: probe = Probe(state: "not-probed", at: nil, reason: "kubeadm is read on the nodes: pass --probe-kubeadm (and --executor)")
        }
    }

    /// One container, in `JSONComponent`'s order then `probe`: two containers on one encoder lose the key order.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(component?.version, forKey: .version)
        if let component {
            try c.encodeIfPresent(component.raw, forKey: .raw)
            try c.encode(component.verdict, forKey: .verdict)
            try c.encode(component.supported, forKey: .supported)
            try c.encode(component.reason, forKey: .reason)
            try c.encodeIfPresent(component.policy, forKey: .policy)
        }
        try c.encode(probe, forKey: .probe)
    }

    enum CodingKeys: String, CodingKey { case version, raw, verdict, supported, reason, policy, probe }
}

private struct JSONRisk: Encodable {
    let kind: String
    let id: String?
    let component: String?
    let fixedIn: String?
    let detail: String

    init(_ r: Risk) {
        kind = r.kind.rawValue
        id = r.id
        component = r.component
        fixedIn = r.fixedIn?.description
        detail = r.detail
    }
}
