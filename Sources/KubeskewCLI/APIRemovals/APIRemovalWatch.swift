import Foundation
import KubeClient
import KubeModel
import SkewCore
import Synchronization
import TUI

/// The dashboard's view of the API versions the hop to the target removes: scanned in the background, never on a
/// feed's path (a scan lists objects of some thirty kinds and every Helm release), again when the hop changes (the
/// control plane moved, `t` picked another target) and every few minutes.
///
/// Concurrency: the feed that owns the watch calls `view(for:)` from its loop; the watch starts at most one scan
/// task at a time and only the watch writes its state (under its lock). The scan only reads the cluster; `stop()`
/// (the feed's owner, at exit) cancels it.
final class APIRemovalWatch: Sendable {
    private struct State {
        /// The hop the view or the running scan is of ("1.31.11>1.32.13").
        var key: String?
        var view: APIRemovalsInView?
        /// Set when a scan is decided on (under the lock), cleared when it ends: one scan at a time.
        var scanning = false
        /// The running scan, for `stop()`.
        var scan: Task<Void, Never>?
        var scannedAt: ContinuousClock.Instant?
        /// Counts finished scans, so that a feed publishes again when one ends.
        var generation = 0
    }

    private let state = Mutex(State())
    private let client: KubeAPIClient
    private let table: RemovedAPIs
    private let refresh: Duration

    init(client: KubeAPIClient, table: RemovedAPIs, refresh: Duration = .seconds(300)) {
        self.client = client
        self.table = table
        self.refresh = refresh
    }

    /// Counts finished scans: a feed that saw another count publishes again.
    var generation: Int { state.withLock { $0.generation } }

    /// The last scan of this snapshot's hop; starts one when the hop is new or the last is old. Nil without a minor
    /// hop, and until the first scan of the hop ends.
    func view(for snapshot: ClusterSnapshot, assessment: ClusterAssessment) -> APIRemovalsInView? {
        guard let target = assessment.target, let current = assessment.controlPlane.apiservers.min(),
              MinorLine(target) > MinorLine(current) else { return nil }
        let key = "\(current)>\(target)"
        let now = ContinuousClock.now
        let start: Bool = state.withLock { s in
            let due = s.scannedAt.map { now - $0 >= refresh } ?? true
            guard !s.scanning, s.key != key || due else { return false }
            if s.key != key { s.view = nil }
            s.key = key
            s.scanning = true
            return true
        }
        if start {
            let scan = APIUsageScan(client: client, table: table, current: current, target: target, apiserverPods: snapshot.apiserverPods)
            let task = Task { [weak self] in
                let report = await scan.run()
                self?.finish(key: key, report: report)
            }
            state.withLock { if $0.scanning { $0.scan = task } }
        }
        return state.withLock { $0.key == key ? $0.view : nil }
    }

    private func finish(key: String, report: APIRemovalReport?) {
        state.withLock { s in
            s.scanning = false
            s.scan = nil
            s.scannedAt = .now
            guard s.key == key else { return }
            s.view = report.map { APIRemovalsInView(from: $0.from, to: $0.to, findings: $0.findings, gaps: $0.gaps) }
            s.generation += 1
        }
    }

    /// Cancels a scan in flight.
    func stop() {
        state.withLock { $0.scan }?.cancel()
    }
}
