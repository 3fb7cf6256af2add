import KubeModel
import Synchronization

/// The kubeadm versions preflight found on nodes (the API does not report kubeadm): the dashboard's feeds merge
/// them into each snapshot before assessing, so the KUBEADM column and the kubeadm-mismatch risk fill in as nodes
/// are probed.
final class KubeadmProbes: Sendable {
    private struct Found {
        var versions: [String: String] = [:]
        var generation = 0
    }

    private let found = Mutex(Found())

    /// Records what `kubeadm version -o short` printed on `node`.
    func record(node: String, version: String) {
        found.withLock { state in
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
