import Foundation
import KubeClient
import KubeModel

/// kubeskew's own cordons, written on the node itself: a run that cordons a node (its drain) annotates it with the
/// run's ID first, and removes the annotation once it has uncordoned it. A later run, another kubeskew, or this one
/// after an abort then lifts a cordon kubeskew made and keeps one an operator made.
public enum CordonMark {
    /// The annotation; its value is the run ID.
    public static let annotation = "kubeskew.io/cordoned-by-run"

    /// The run that cordoned `node`, when kubeskew did; nil when the node is schedulable or an operator cordoned it.
    public static func run(of node: Node) -> String? {
        guard node.isUnschedulable, let run = node.metadata.annotations?[annotation], !run.isEmpty else { return nil }
        return run
    }
}

/// Where the engine writes and removes the mark (`CordonMark`).
public protocol CordonMarking: Sendable {
    func mark(_ node: String, runID: String) async throws
    func clear(_ node: String) async throws
    /// Whether the node is unschedulable now (what a stopped drain or uncordon really left).
    func isCordoned(_ node: String) async throws -> Bool
}

/// The mark through the API server.
public struct APICordonMarking: CordonMarking {
    let client: KubeAPIClient

    public init(client: KubeAPIClient) { self.client = client }

    public func mark(_ node: String, runID: String) async throws {
        try await client.annotate(node: node, key: CordonMark.annotation, value: runID)
    }

    public func clear(_ node: String) async throws {
        try await client.annotate(node: node, key: CordonMark.annotation, value: nil)
    }

    public func isCordoned(_ node: String) async throws -> Bool {
        try await client.getNode(node).isUnschedulable
    }
}
