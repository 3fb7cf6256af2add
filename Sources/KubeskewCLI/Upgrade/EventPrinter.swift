import Foundation
import KubeClient
import Upgrade
import NodeExec

/// Prints engine events as lines prefixed with the node and step, flushed at once (stdout may be a pipe).
final class EventPrinter: @unchecked Sendable {
    private let plan: RunPlan
    private let lock = NSLock()
    private let width: Int

    init(plan: RunPlan) {
        self.plan = plan
        width = plan.nodes.map(\.node.count).max() ?? 4
    }

    func print(_ event: EngineEvent) {
        lock.withLock {
            switch event {
            case let .stepStarted(node, index, _):
                let step = self.step(node, index)
                let total = plan.nodes.first { $0.node == node }?.steps.count ?? 0
                Output.out("\(pad(node))  ▶ \(index + 1)/\(total) \(step?.name ?? "?")\n")
            case let .output(node, index, line):
                Output.out("\(pad(node))  \(step(node, index)?.id ?? "?") | \(line.text)\n")
            case let .stepFinished(node, index, record):
                let name = step(node, index)?.name ?? "?"
                switch record.state {
                case .done: Output.out("\(pad(node))  ✓ \(name)\n")
                case .skipped: Output.out("\(pad(node))  ↷ \(name): \(record.message ?? "skipped")\n")
                case .failed: Output.out("\(pad(node))  ✗ \(name): \(record.message ?? record.exitStatus ?? "failed")\n")
                default: break
                }
            case let .nodeStopped(node, reason):
                Output.out("\(pad(node))  ✗ \(Self.withoutNode(reason, node))\n")
            case let .nodeFinished(node, status):
                Output.out("\(pad(node))  \(status == .done ? "done" : status.rawValue)\n")
            case .runFinished:
                break
            case let .journalFailed(message):
                Output.out("kubeskew: \(message)\n")
            }
        }
    }

    /// A reason that begins with its node's name ("node02: being upgraded by …"), without it, on a line that names
    /// the node already.
    static func withoutNode(_ reason: String, _ node: String) -> String {
        reason.hasPrefix("\(node): ") ? String(reason.dropFirst(node.count + 2)) : reason
    }

    private func step(_ node: String, _ index: Int) -> PlannedStep? {
        guard let p = plan.nodes.first(where: { $0.node == node }), p.steps.indices.contains(index) else { return nil }
        return p.steps[index]
    }

    private func pad(_ node: String) -> String { node + String(repeating: " ", count: max(0, width - node.count)) }
}

/// The end-of-run summary: each node's state, the nodes left cordoned, and how to go on.
enum RunSummary {
    /// A kubectl command for a person to paste: it names the run's kubeconfig and context, so it acts on the run's
    /// cluster whatever the shell's current context is.
    static func pasteable(_ arguments: [String], plan: RunPlan) -> String {
        let kubectl = plan.identity.map { KubectlCommand.argv(context: $0.context, kubeconfigFiles: $0.kubeconfigFiles) } ?? ["kubectl"]
        return ShellQuoting.displayLine(kubectl + arguments)
    }

    static func text(_ state: RunState, plan: RunPlan) -> String {
        var out = "\nsummary of run \(state.runID)\(state.aborted ? " (aborted)" : ""):\n"
        for (n, p) in zip(state.nodes, plan.nodes) {
            var line = "  \(n.node): \(n.status.rawValue), \(n.completedSteps)/\(n.steps.count) steps"
            if n.status == .done { line += ", now \(p.target)" }
            if let message = n.message { line += ": \(EventPrinter.withoutNode(message, n.node))" }
            if let index = n.steps.firstIndex(where: { $0.state == .failed }) {
                let failed = n.steps[index]
                line += "; failed at \(p.stepTitle(index)): \(failed.message ?? failed.exitStatus ?? "")"
            }
            if p.wasCordoned {
                line += "; left cordoned (it was cordoned before the run)"
            } else if n.cordonedByRun && n.status != .done {
                line += "; LEFT CORDONED (uncordon with `\(pasteable(["uncordon", n.node], plan: plan))` when it is safe)"
            }
            out += line + "\n"
        }
        if let reason = state.stopReason { out += "stopped: \(reason)\n" }
        // A node is refused when another kubeskew holds it, or when its Lease could not be taken at all (a 403): only
        // the first is waited out; the second needs its cause fixed.
        let heldByAnother = state.nodes.filter { $0.status == .refused }.allSatisfy { node in
            let message = node.message ?? ""
            return message.contains("being upgraded by") || message.contains("another kubeskew")
        }
        if !state.allDone, heldByAnother, state.nodes.allSatisfy({ $0.status == .done || $0.status == .refused }) {
            out += "another kubeskew holds the refused nodes; once it is done with them: kubeskew upgrade --resume \(state.runID)\n"
        } else if !state.allDone {
            out += "resume with: kubeskew upgrade --resume \(state.runID) (after fixing the cause)\n"
        }
        return out
    }
}
