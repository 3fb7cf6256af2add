/// Assesses successive facts of one cluster, re-assessing only the nodes whose facts changed since the previous call;
/// the result is always identical to `Assessor.assess` on the same facts.
///
/// A watched cluster mostly sends heartbeats that change no fact, so a publish after a burst of events re-assesses a
/// handful of nodes instead of thousands. When a cluster-level fact changes (API server versions, control-plane
/// components, kubeadm's cluster version) every node is assessed again, because each node's verdict depends on them.
public struct IncrementalAssessor: Sendable {
    public let assessor: Assessor

    private struct ClusterKey: Equatable {
        let apiserverVersions: [String]
        let components: [ComponentFacts]
        let kubeadmClusterVersion: String?
    }

    private struct Entry: Sendable {
        let facts: NodeFacts
        let assessment: NodeAssessment
    }

    private var key: ClusterKey?
    private var basis: Assessor.ClusterBasis?
    private var entries: [String: Entry] = [:]
    /// How many nodes the last `assess` call assessed anew (the rest were reused).
    public private(set) var lastReassessedCount = 0

    public init(_ assessor: Assessor) {
        self.assessor = assessor
    }

    public mutating func assess(_ facts: ClusterFacts) -> ClusterAssessment {
        let newKey = ClusterKey(
            apiserverVersions: facts.apiserverVersions, components: facts.components,
            kubeadmClusterVersion: facts.kubeadmClusterVersion)
        let basis: Assessor.ClusterBasis
        if let cached = self.basis, key == newKey {
            basis = cached
        } else {
            basis = assessor.clusterBasis(facts)
            self.basis = basis
            key = newKey
            entries = [:]
        }

        // The cache is updated in place: rebuilding a 5,000-entry dictionary on every publish cost more than the rest.
        var reassessed = 0
        let nodes = facts.nodes.map { nodeFacts -> NodeAssessment in
            if let entry = entries[nodeFacts.name], Self.same(entry.facts, nodeFacts) {
                if !SameLabels.sameStorage(entry.facts.labels, nodeFacts.labels) {
                    // Equal, but the node was decoded again: keep its current facts, so that the next comparison is
                    // by storage again.
                    entries[nodeFacts.name] = Entry(facts: nodeFacts, assessment: entry.assessment)
                }
                return entry.assessment
            }
            reassessed += 1
            let assessment = assessor.assessNode(nodeFacts, basis: basis)
            entries[nodeFacts.name] = Entry(facts: nodeFacts, assessment: assessment)
            return assessment
        }
        if entries.count > facts.nodes.count {
            // Nodes are gone: forget them (a stale entry is never reused unchecked, it only takes memory).
            let names = Set(facts.nodes.map(\.name))
            entries = entries.filter { names.contains($0.key) }
        }
        lastReassessedCount = reassessed
        return assessor.assessment(basis, nodes: nodes)
    }

    /// `a == b`, with the labels compared by storage first. Every stored property of NodeFacts is compared here
    /// (a test counts them, so that a new one cannot be forgotten).
    static func same(_ a: NodeFacts, _ b: NodeFacts) -> Bool {
        a.name == b.name && a.isControlPlane == b.isControlPlane && a.kubeletVersion == b.kubeletVersion
            && a.kubeProxyVersion == b.kubeProxyVersion && a.kubeadmVersion == b.kubeadmVersion
            && a.providerID == b.providerID && a.osImage == b.osImage && SameLabels.equal(a.labels, b.labels)
    }
}
