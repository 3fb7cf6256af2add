import Foundation
import NodeExec
import SkewCore
import TUI

/// Runs the dashboard's single node actions (cordon, uncordon, drain) with the real kubectl, and reports each
/// node's outcome as a notice: "node08 uncordoned", or kubectl's own reason.
struct NodeActionRunner: Sendable {
    let kubectl: [String]
    let executor: any NodeExecutor
    let inbox: DashboardInbox
    /// Upgrades go through the guided upgrade; this gets the other kinds.
    func perform(_ request: NodeActionRequest) async {
        for node in request.nodes {
            guard HostValidation.isRFC1123Subdomain(node) else {
                inbox.post(.notice("\(DisplaySafe.quote(node)) is not a valid node name; nothing was run"))
                continue
            }
            let argv: [String]
            switch request.kind {
            case .cordon: argv = kubectl + ["cordon", node]
            case .uncordon: argv = kubectl + ["uncordon", node]
            case .drain: argv = kubectl + ["drain", node, "--ignore-daemonsets", "--timeout=300s"]
            case .upgrade: continue
            }
            do {
                let (result, lines) = try await executor.collect(CommandSpec(argv, timeout: .seconds(330)), on: .localhost)
                let last = lines.last { !$0.text.isEmpty }?.text ?? ""
                if result.succeeded {
                    inbox.post(.notice("\(node): \(request.kind.rawValue) done: \(last)"))
                } else {
                    inbox.post(.notice("\(node): \(request.kind.rawValue) failed (\(result.status)): \(result.stderrTail.last ?? last)"))
                }
            } catch {
                inbox.post(.notice("\(node): \(request.kind.rawValue) could not run: \(error.description)"))
            }
        }
    }
}
