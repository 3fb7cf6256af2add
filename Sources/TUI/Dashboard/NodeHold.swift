import Foundation
import SkewCore

/// Another kubeskew's hold on a node (its `coordination.k8s.io/v1` Lease, live): shown in the table and the
/// details, and this dashboard's cordon, drain, uncordon and upgrade of the node are refused with it.
public struct NodeHold: Equatable, Sendable {
    /// "<user>@<host> run <runID>", as the Lease says (sanitized by the feed).
    public var holder: String
    public var since: Date?

    public init(holder: String, since: Date?) {
        self.holder = holder
        self.since = since
    }

    /// "alice@laptop" of "alice@laptop run 2026…": what the table has room for.
    public var who: String {
        for word in [" run ", " action "] {
            if let range = holder.range(of: word) { return String(holder[..<range.lowerBound]) }
        }
        return holder
    }

    /// "being upgraded by alice@laptop run … since 16:02 UTC".
    public func words(now: Date = Date()) -> String {
        "being upgraded by \(holder)" + (since.map { " since \(UTCTime.display($0, now: now))" } ?? "")
    }

    /// "node03: being upgraded by … since 16:02 UTC; wait for it or ask them".
    public func refusal(_ node: String, now: Date = Date()) -> String {
        "\(node): \(words(now: now)); wait for it or ask them"
    }

}

extension DashboardState {
    /// The hold of another kubeskew on `node`; nil when there is none, or when this dashboard's own run or action
    /// is working on the node (its Lease is this dashboard's).
    public func hold(on node: String) -> NodeHold? {
        guard let hold = holds[node] else { return nil }
        if let run = upgrade.run, run.panes.contains(where: { $0.node == node && $0.status == .running }) { return nil }
        return hold
    }

    /// Why acting on `targets` is refused here: the first one another kubeskew holds; nil when none is held.
    func holdRefusal(_ targets: [String]) -> String? {
        for node in targets { if let hold = hold(on: node) { return hold.refusal(node, now: now) } }
        return nil
    }
}
