import DequeModule
import Foundation

/// Something the cluster did that an operator watches for during maintenance: a node went NotReady or came back,
/// was cordoned or uncordoned, reported a new kubelet version, appeared or went away.
public struct ClusterEvent: Equatable, Sendable {
    public var at: Date
    public var node: String
    public var change: String
    /// True for changes that need a look (NotReady, gone).
    public var isWarning: Bool

    public init(at: Date, node: String, change: String, isWarning: Bool = false) {
        self.at = at
        self.node = node
        self.change = change
        self.isWarning = isWarning
    }
}

/// The newest cluster events, found by comparing each snapshot's rows with the previous ones.
public struct ClusterEventLog: Equatable, Sendable {
    /// Events kept; the line shows the newest that fit.
    public static let limit = 200

    public private(set) var events: Deque<ClusterEvent> = []

    public init() {}

    /// What changed between two snapshots' rows (sanitized already), in node order.
    public static func changes(from old: [NodeRow], to new: [NodeRow], at: Date) -> [ClusterEvent] {
        var before: [String: NodeRow] = [:]
        before.reserveCapacity(old.count)
        for row in old { before[row.name] = row }
        var found: [ClusterEvent] = []
        for row in new {
            guard let was = before.removeValue(forKey: row.name) else {
                found.append(ClusterEvent(at: at, node: row.name, change: "joined (\(row.kubelet))"))
                continue
            }
            if was.ready != row.ready {
                found.append(ClusterEvent(at: at, node: row.name, change: row.ready, isWarning: row.ready != "Ready"))
            }
            if was.cordoned != row.cordoned {
                found.append(ClusterEvent(at: at, node: row.name, change: row.cordoned ? "cordoned" : "uncordoned"))
            }
            if was.kubelet != row.kubelet {
                found.append(ClusterEvent(at: at, node: row.name, change: "kubelet \(row.kubelet)"))
            }
            // A version replacing a version: a probe's first answer, or its progress, is not a change of the node.
            if was.kubeadm != row.kubeadm, was.kubeadmIsVersion, row.kubeadmIsVersion {
                found.append(ClusterEvent(at: at, node: row.name, change: "kubeadm \(row.kubeadm)"))
            }
        }
        for gone in before.keys.sorted() {
            found.append(ClusterEvent(at: at, node: gone, change: "gone from the API", isWarning: true))
        }
        return found
    }

    public mutating func record(_ new: [ClusterEvent]) {
        events.append(contentsOf: new)
        if events.count > Self.limit { events.removeFirst(events.count - Self.limit) }
    }

    /// The events at or after `since`, newest first.
    public func newest(since: Date) -> [ClusterEvent] {
        events.reversed().filter { $0.at >= since }
    }
}
