import Foundation
import Upgrade

/// `kubeskew history --audit RUN`: a run's change record from its journal: which cluster, who drove it and when
/// (every start and resume), each node's outcome, and every command with where it ran and how it ended.
struct RunAudit: Encodable {
    struct Cluster: Encodable {
        var server: String
        var context: String
        var clusterUID: String
        var kubeconfigUser: String?
        var executor: String
    }

    struct Session: Encodable {
        var event: String
        var time: String
        var localUser: String?
        var host: String?
        var pid: Int32?
        var kubeconfigUser: String?
    }

    struct NodeOutcome: Encodable {
        var node: String
        var from: String
        var target: String
        var status: String
        var leftCordoned: Bool
        var destination: String?
    }

    struct Command: Encodable {
        var time: String
        var node: String
        var step: String?
        var executor: String?
        var destination: String?
        var command: String
        var status: String
        var durationMs: Int64?
    }

    var run: String
    var startedAt: String
    var endedAt: String?
    var outcome: String
    var cluster: Cluster?
    var sessions: [Session]
    var nodes: [NodeOutcome]
    var commands: [Command]

    init(plan: RunPlan, state: RunState, trail: [AuditTrail.Entry]) {
        run = plan.id
        startedAt = state.startedAt
        endedAt = state.endedAt
        outcome = !state.isFinished ? "not finished" : state.allDone ? "done" : state.aborted ? "aborted" : "failed"
        cluster = plan.identity.map {
            Cluster(server: $0.server, context: $0.context, clusterUID: $0.clusterUID, kubeconfigUser: $0.user,
                    executor: $0.executor.description)
        }
        sessions = trail.filter { $0.event != "command" }.map {
            Session(event: $0.event, time: $0.time, localUser: $0.localUser, host: $0.host, pid: $0.pid, kubeconfigUser: $0.kubeconfigUser)
        }
        nodes = zip(state.nodes, plan.nodes).map { n, p in
            NodeOutcome(node: n.node, from: p.from.description, target: p.target.description, status: n.status.rawValue,
                        leftCordoned: p.wasCordoned || (n.cordonedByRun && n.status != .done), destination: p.destination?.display)
        }
        commands = trail.filter { $0.event == "command" }.map {
            Command(time: $0.time, node: $0.node ?? "?", step: $0.step, executor: $0.executor, destination: $0.destination,
                    command: $0.command ?? "?", status: $0.status ?? "?", durationMs: $0.durationMs)
        }
    }

    /// The record as JSON, for change-management systems.
    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// The record for a terminal: a header, the sessions, the nodes, then one line per command.
    var text: String {
        var out = "run \(run): \(outcome), started \(startedAt)\(endedAt.map { ", ended \($0)" } ?? "")\n"
        if let cluster {
            out += "cluster \(cluster.server), context \(cluster.context) (kube-system uid \(cluster.clusterUID)), "
                + "kubeconfig user \(cluster.kubeconfigUser ?? "not recorded"), \(cluster.executor)\n"
        }
        for s in sessions {
            out += "\(s.event) \(s.time) by \(s.localUser ?? "?")@\(s.host ?? "?") (pid \(s.pid.map(String.init) ?? "?"))\n"
        }
        for n in nodes {
            out += "node \(n.node) \(n.from) → \(n.target): \(n.status)\(n.leftCordoned ? ", left cordoned" : "")"
                + "\(n.destination.map { ", commands to \($0)" } ?? "")\n"
        }
        out += commands.isEmpty ? "no commands recorded\n" : "commands (\(commands.count)):\n"
        // Where each node's commands went is on its node line; a command run here instead says so.
        let nodeDestinations = Dictionary(nodes.map { ($0.node, $0.destination) }, uniquingKeysWith: { first, _ in first })
        for c in commands {
            let elsewhere = c.destination != nil && c.destination != (nodeDestinations[c.node] ?? nil) ? "  [\(c.destination ?? "")]" : ""
            out += "  \(c.time)  \(c.node)  \(c.step ?? "-")\(elsewhere)  $ \(c.command)  → \(c.status)"
                + "\(c.durationMs.map { " (\($0) ms)" } ?? "")\n"
        }
        return out
    }
}
