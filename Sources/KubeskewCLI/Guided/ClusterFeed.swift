import Foundation
import KubeClient
import SkewCore
import TUI

/// Keeps the dashboard's snapshot current: reads the cluster every `interval` (and when asked), assesses it off
/// the UI thread and posts it; a failed read marks the screen stale with the reason, the next good one makes it live.
struct ClusterFeed: Sendable {
    let client: KubeAPIClient
    let context: AssessmentContext
    let inbox: DashboardInbox
    let interval: Duration
    /// kubeadm versions found by the prober and preflight, merged into each snapshot.
    var kubeadmProbes: KubeadmProbes?
    /// Asks the nodes of each snapshot for their kubeadm (it decides which are new to it).
    var prober: KubeadmProber?
    /// The target picked on the dashboard (`t`), which wins over `context`'s.
    var selection: TargetSelection?
    /// The API versions the hop to the target removes, scanned in the background.
    var apiRemovals: APIRemovalWatch?

    /// Runs until the task is cancelled.
    func run() async {
        var staleSince: Date?
        var warnings = ServerWarningRelay()
        while !Task.isCancelled {
            do {
                var snapshot = try await ClusterSnapshotLoader.load(client, tolerateForbidden: true).snapshot
                await prober?.consider(snapshot.nodes)
                kubeadmProbes?.merge(into: &snapshot)
                let assessment = Assessor(context: selection?.context ?? context).assess(snapshot.facts())
                var data = DashboardData(snapshot: snapshot, assessment: assessment)
                data.apiRemovals = apiRemovals?.view(for: snapshot, assessment: assessment)
                inbox.post(.snapshotChanged(data))
                warnings.relay(client, to: inbox)
                inbox.post(.watchState(.live))
                staleSince = nil
            } catch {
                if Task.isCancelled { return }
                let since = staleSince ?? Date()
                staleSince = since
                let reason = (error as? KubeClientError)?.description ?? "\(error)"
                inbox.post(.watchState(.stale(since: since, reason: String(reason.prefix(120)))))
            }
            try? await Task.sleep(for: interval)
        }
    }
}
