import Foundation
import KubeModel
import Synchronization

/// The kubeadm versions found on nodes (the API does not report kubeadm), and where each node's probe stands: by
/// the background prober (`KubeadmProber`), by preflight, and again by the run after each step that installs kubeadm
/// (`KubeadmReprobe`). The dashboard's feeds merge them into each snapshot before assessing, so the KUBEADM column,
/// kubeadm's verdict and the kubeadm-mismatch risk follow the nodes.
final class KubeadmProbes: Sendable {
    private struct Found {
        var versions: [String: String] = [:]
        var statuses: [String: KubeadmProbeStatus] = [:]
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
        record(node: node, status: .found(version: version, at: Date(), cached: false), ticket: ticket)
    }

    /// Records the answer (or the failure) of the probe that took `ticket` (nil: asked now). A failure forgets the
    /// version known before: the node's kubeadm is then unknown, and the screen says why.
    func record(node: String, status: KubeadmProbeStatus, ticket: Int? = nil) {
        let asked = ticket ?? self.ticket()
        found.withLock { state in
            guard asked > state.answeredTicket[node] ?? 0 else { return }
            state.answeredTicket[node] = asked
            let version = status.version
            if state.versions[node] != version || state.statuses[node] != status {
                state.versions[node] = version
                state.statuses[node] = status
                state.generation += 1
            }
        }
    }

    /// Says that `node` is being asked (the version known so far stays until the answer).
    func markProbing(_ node: String) {
        set(node, .probing)
    }

    /// Says why `node` is not asked (`.notProbed`, `.notKubeadm`); a version known from a run stays.
    func markPassedOver(_ node: String, _ status: KubeadmProbeStatus) {
        found.withLock { state in
            guard state.versions[node] == nil else { return }
            if state.statuses[node] != status {
                state.statuses[node] = status
                state.generation += 1
            }
        }
    }

    private func set(_ node: String, _ status: KubeadmProbeStatus) {
        found.withLock { state in
            if state.statuses[node] != status {
                state.statuses[node] = status
                state.generation += 1
            }
        }
    }

    /// Changes on every new or different version or status (the live feed re-assesses when it moved).
    var generation: Int { found.withLock { $0.generation } }

    /// The status of every node asked or passed over so far.
    var statuses: [String: KubeadmProbeStatus] { found.withLock { $0.statuses } }

    /// Adds the probed versions and the probes' statuses to a snapshot.
    func merge(into snapshot: inout ClusterSnapshot) {
        let (versions, statuses) = found.withLock { ($0.versions, $0.statuses) }
        snapshot.kubeadmVersions.merge(versions) { _, probed in probed }
        snapshot.kubeadmProbes.merge(statuses) { _, probed in probed }
    }
}
