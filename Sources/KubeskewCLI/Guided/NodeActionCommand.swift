import Foundation
import NodeExec
import SkewCore
import TUI
import Upgrade

/// The kubectl line of a single action (cordon, uncordon, drain) and the words for how it ended. Pure: the node
/// name is validated here before it reaches an argv.
struct NodeActionCommand: Equatable, Sendable {
    let node: String
    let kind: NodeActionRequest.Kind
    let argv: [String]
    /// How long kubectl may take: a drain's `DrainOptions.processTimeoutSeconds` (its --timeout plus the one margin,
    /// as for the upgrade's drain step), else a minute.
    let timeoutSeconds: Int

    /// The command for `node`, or the reason when the node name is not a valid Kubernetes name.
    static func make(kubectl: [String], kind: NodeActionRequest.Kind, node: String, drain: DrainOptions?)
        -> Result<NodeActionCommand, NodeActionRefusal> {
        guard HostValidation.isRFC1123Subdomain(node) else {
            return .failure(NodeActionRefusal(message: "\(DisplaySafe.quote(node)) is not a valid node name; nothing was run"))
        }
        switch kind {
        case .cordon, .uncordon:
            return .success(NodeActionCommand(node: node, kind: kind, argv: kubectl + [kind.rawValue, node], timeoutSeconds: 60))
        case .drain:
            let options = drain ?? DrainOptions()
            return .success(NodeActionCommand(node: node, kind: kind, argv: kubectl + ["drain", node] + options.kubectlFlags,
                                              timeoutSeconds: options.processTimeoutSeconds))
        }
    }

    /// The past tense shown when it worked: `node08 drained`.
    var doneWords: String {
        switch kind {
        case .cordon: return "\(node) cordoned"
        case .uncordon: return "\(node) uncordoned"
        case .drain: return "\(node) drained"
        }
    }

    /// Why it did not work, from kubectl's output, ending with what state the node is left in.
    func failureWords(status: ExitStatus, output: [String]) -> String {
        let reason: String
        if status == .cancelled {
            reason = "stopped by the operator"
        } else if status == .timedOut {
            reason = "kubectl did not finish in \(timeoutSeconds) s"
        } else {
            reason = KubectlDrainOutput.reason(in: output)
                ?? output.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
                ?? "kubectl \(kind.rawValue) ended with \(status)"
        }
        var words = "\(node) not \(doneWords.dropFirst(node.count + 1)): \(reason)"
        if kind == .drain, output.contains(where: { $0.contains("\(node) cordoned") || $0.contains("\(node) already cordoned") }) {
            words += "; \(node) stays cordoned (u uncordons it)"
        }
        return words
    }
}

/// Why a single action was not run.
struct NodeActionRefusal: Error, Equatable {
    let message: String
}
