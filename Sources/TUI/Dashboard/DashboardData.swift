import Foundation
import KubeModel
import SkewCore

/// What the dashboard shows: one cluster snapshot and SkewCore's assessment of it (made off the input path).
public struct DashboardData: Sendable {
    public var snapshot: ClusterSnapshot
    public var assessment: ClusterAssessment

    public init(snapshot: ClusterSnapshot, assessment: ClusterAssessment) {
        self.snapshot = snapshot
        self.assessment = assessment
    }
}

/// Whether the data on screen follows the cluster.
public enum WatchState: Sendable, Equatable {
    /// Connecting for the first time.
    case connecting
    /// The watch is up: changes appear as they happen.
    case live
    /// The connection was lost: the screen shows the last snapshot, taken before `since`.
    case stale(since: Date, reason: String)
    /// Read once from files (`--nodes-file`): nothing to watch.
    case offline(source: String)
}
