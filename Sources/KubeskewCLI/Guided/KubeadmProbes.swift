import KubeModel
import Synchronization

/// The kubeadm versions found on nodes (the API does not report kubeadm): by preflight, and again by the run after
/// each step that installs kubeadm (`KubeadmReprobe`). The dashboard's feeds merge them into each snapshot before
/// assessing, so the KUBEADM column, the node's verdict and the kubeadm-mismatch risk follow the nodes.
final class KubeadmProbes: Sendable {
    private struct Found {
        var versions: [String: String] = [:]
        /// Per node, the ticket of the answer recorded last.
        var answeredTicket: [String: Int] = [:]
        var nextTicket = 0
        var generation = 0
    }

    private let found = Mutex(Found())

    /// Taken when a probe of a node is sent: answers are recorded in the order their questions were asked, so a
    /// slow answer read before an install never overwrites a newer one read after it.
    func ticket() -> Int {
        found.withLock { state in
            state.nextTicket += 1
            return state.nextTicket
        }
    }

    /// Records what `kubeadm version -o short` printed on `node` for the probe that took `ticket` (nil: asked now).
    func record(node: String, version: String, ticket: Int? = nil) {
        let asked = ticket ?? self.ticket()
        found.withLock { state in
            guard asked > state.answeredTicket[node] ?? 0 else { return }
            state.answeredTicket[node] = asked
            guard state.versions[node] != version else { return }
            state.versions[node] = version
            state.generation += 1
        }
    }

    /// Changes on every new or different version (the live feed re-assesses when it moved).
    var generation: Int { found.withLock { $0.generation } }

    /// Adds the probed versions to a snapshot.
    func merge(into snapshot: inout ClusterSnapshot) {
        let versions = found.withLock { $0.versions }
        snapshot.kubeadmVersions.merge(versions) { _, probed in probed }
    }
}
