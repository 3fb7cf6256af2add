import Foundation
import KubeModel
import SkewCore

/// What the dashboard shows: one cluster snapshot and SkewCore's assessment of it (made off the input path).
public struct DashboardData: Sendable {
    public var snapshot: ClusterSnapshot
    public var assessment: ClusterAssessment
    /// The table rows, when the producer built them off the UI thread (`preparingRows()`).
    public private(set) var prepared: PreparedRows?
    /// What the hop to the target removes that is still in use, once a background scan has read it; nil without a
    /// minor hop or before the first scan ends.
    public var apiRemovals: APIRemovalsInView?

    public init(snapshot: ClusterSnapshot, assessment: ClusterAssessment) {
        self.snapshot = snapshot
        self.assessment = assessment
    }

    /// This data with its table rows built now, so that the UI thread only sorts and filters when it arrives.
    public func preparingRows() -> DashboardData {
        var copy = self
        copy.prepared = PreparedRows(self)
        return copy
    }

    /// This data with its table rows built now by `builder`, which reuses the rows of nodes that did not change.
    public func preparingRows(with builder: inout PreparedRowsBuilder) -> DashboardData {
        var copy = self
        copy.prepared = builder.build(self)
        return copy
    }
}

/// The node table's rows and column widths for one snapshot (the expensive part of taking a snapshot).
public struct PreparedRows: Sendable {
    public let rows: [NodeRow]
    public let naturalWidths: [Int]

    public init(_ data: DashboardData) {
        var nodesByName: [String: Node] = [:]
        nodesByName.reserveCapacity(data.snapshot.nodes.count)
        for node in data.snapshot.nodes { nodesByName[node.name] = node }
        let nodes = data.snapshot.nodes
        rows = data.assessment.nodes.enumerated().map { index, assessment in
            let node = index < nodes.count && nodes[index].name == assessment.name ? nodes[index] : nodesByName[assessment.name]
            return NodeRow(node: node, assessment: assessment, kubeadmProbe: data.snapshot.kubeadmProbes[assessment.name])
        }
        naturalWidths = NodeTableColumns.naturalWidths(rows)
    }

    init(rows: [NodeRow], naturalWidths: [Int]) {
        self.rows = rows
        self.naturalWidths = naturalWidths
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
