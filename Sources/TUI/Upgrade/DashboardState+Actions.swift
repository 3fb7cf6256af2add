import Foundation

/// News from a single action (cordon, uncordon, drain) for its pane; the caller's runner posts these.
public enum NodeActionEvent: Sendable {
    case started(requestID: Int, node: String, command: String, at: Date)
    case output(requestID: Int, node: String, line: String)
    /// The action ended on the node: `outcome` says so in words ("node08 drained", or the reason it did not).
    case finished(requestID: Int, node: String, succeeded: Bool, exitStatus: String?, outcome: String)
}

/// The single actions' part of `update`: confirmed actions get panes, the runner's news fills them.
extension DashboardState {
    /// Numbers a confirmed request, opens a pane per node (next to a run's panes, or on their own) and hands the
    /// request on.
    mutating func beginNodeAction(_ confirmed: NodeActionRequest) -> [DashboardEffect] {
        var request = confirmed
        lastActionRequestID += 1
        request.id = lastActionRequestID
        let step = PaneStep(name: "kubectl \(request.kind.rawValue)", location: "cp")
        let panes = request.nodes.map { node in
            RunPane(node: node, steps: [step], action: PaneAction(name: request.kind.rawValue, requestID: request.id))
        }
        var run = upgrade.run ?? RunView(runID: "", target: "", panes: [], phase: .running, kind: .actions)
        if upgrade.run == nil { run.openedAt = now }
        run.addActionPanes(panes)
        upgrade.run = run
        flash = "\(request.kind.rawValue) of \(Self.list(request.nodes)) started"
        return [.nodeAction(request)]
    }

    mutating func apply(_ event: NodeActionEvent) {
        switch event {
        case .started(let id, let node, let command, let at):
            updateActionPane(id, node) { pane in
                pane.status = .running
                pane.steps[0].state = .running(since: at)
                pane.append("$ " + command)
            }
        case .output(let id, let node, let line):
            updateActionPane(id, node) { $0.append(line) }
        case .finished(let id, let node, let succeeded, let exitStatus, let outcome):
            let ok = options.glyphs.ok
            updateActionPane(id, node) { pane in
                pane.status = succeeded ? .done : .failed
                pane.steps[0].state = succeeded ? .done : .failed(exitStatus: exitStatus, message: outcome)
                if succeeded { pane.append("\(ok) " + outcome) }
            }
            flash = Sanitize.forScreen(outcome)
        }
    }

    private mutating func updateActionPane(_ requestID: Int, _ node: String, _ change: (inout RunPane) -> Void) {
        guard var run = upgrade.run, let i = run.actionPaneIndex(requestID: requestID, node: Sanitize.forScreen(node)),
              !run.panes[i].steps.isEmpty else { return }
        change(&run.panes[i])
        upgrade.run = run
    }

    /// `A` on a single action's pane: asks before stopping it (kubectl is stopped; a drained node stays cordoned).
    mutating func requestStopAction(_ pane: RunPane) -> Bool {
        guard let action = pane.action, pane.status == .running || pane.status == .pending else { return false }
        let leftCordoned = action.name == "drain" || action.name == "cordon"
        overlay = .confirm(ConfirmDialog(
            title: "stop the \(action.name)",
            message: ["Stop the \(action.name) of \(pane.node)\(pane.status == .pending ? " and the nodes queued after it" : "")?",
                      leftCordoned ? "kubectl is stopped; \(pane.node) stays cordoned (u uncordons it)." : "kubectl is stopped."],
            onConfirm: .stopNodeAction(requestID: action.requestID)))
        return true
    }

    /// `r`: the drain options dialog for the marked nodes, else the node under the cursor.
    mutating func openDrainDialog(_ nodes: [String]) {
        var dialog = DrainDialog(nodes: nodes)
        let shown = Set(visibleRows.map(\.name))
        dialog.hiddenByFilter = nodes.filter { !shown.contains($0) }.count
        overlay = .drain(dialog)
    }

    mutating func handleDrainDialog(_ key: Key) -> [DashboardEffect] {
        guard case .drain(var dialog) = overlay else { return [] }
        if key == .ctrl("c") {
            overlay = .confirm(Self.quitDialog)
            return []
        }
        switch dialog.handle(key) {
        case .stay:
            overlay = .drain(dialog)
            if key == .char("y") || key == .enter, dialog.selected == .drain, dialog.options.timeoutSeconds == 0 {
                flash = "the timeout must be more than 0 s"
            }
            return []
        case .cancel:
            overlay = .none
            flash = "drain cancelled; nothing was changed"
            return []
        case .confirm:
            overlay = .none
            return beginNodeAction(NodeActionRequest(kind: .drain, nodes: dialog.nodes, drain: dialog.options))
        }
    }
}
