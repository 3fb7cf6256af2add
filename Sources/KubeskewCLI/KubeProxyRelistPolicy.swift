/// When the live dashboard lists the kube-proxy pods again (one per node: on 5,000 nodes that list is the largest
/// part of the refresh): when the kube-proxy DaemonSet changed — its resourceVersion moves with every rollout and
/// every pod it adds or loses — when there is no such DaemonSet to watch, or when `fallback` has passed anyway.
struct KubeProxyRelistPolicy: Equatable, Sendable {
    /// The DaemonSet's resourceVersion when the pods were last listed.
    var listedAtVersion: String?
    /// How long the pods may go unlisted while the DaemonSet stays the same.
    let fallback: Duration

    /// Whether to list the pods now, given the DaemonSet's current resourceVersion (nil: absent or unreadable) and
    /// the time since the last list.
    func shouldRelist(daemonSetVersion: String?, sinceLastList: Duration) -> Bool {
        guard let daemonSetVersion else { return true }
        return daemonSetVersion != listedAtVersion || sinceLastList >= fallback
    }
}
