import Foundation

/// How a run goes on: running, stopping after the current node, paused, aborting, or over.
public enum RunPhase: Equatable, Sendable {
    case running
    /// Asked to start no further node; the ones in flight finish.
    case pausing
    /// No node in flight, some still pending: `P` goes on.
    case paused
    case aborting
    case finished(summary: String)
}

/// A run of the guided upgrade as the dashboard shows it: a pane per node, which one has focus, full screen or not,
/// and the failures the operator has not acknowledged yet. Single actions (cordon, uncordon, drain) add panes of
/// their own: to the run shown, or to a view of `kind` `.actions` when no run is shown.
public struct RunView: Equatable, Sendable {
    /// An upgrade run, or only single actions' panes.
    public enum Kind: Equatable, Sendable {
        case upgrade, actions
    }

    public var kind: Kind
    public var runID: String
    public var target: String
    public var panes: [RunPane]
    public var phase: RunPhase
    /// Index into `panes` of the pane with focus.
    public var focused = 0
    /// The operator chose the focused pane (`tab`, or reading it: scrolling, follow): from then on the run's news
    /// never move focus, in split or full screen; until then focus follows the node that is working.
    public var focusChosen = false
    public var fullScreen = false
    /// When true, pane keys (scrolling, follow, tab) act on the focused pane; `esc` gives the keys back to the table.
    public var keysOnPanes = true
    /// Nodes that failed and whose failure the operator has not acknowledged (shown until then).
    public var unacknowledgedFailures: [String] = []
    /// When the dashboard began showing this view: the events line shows what the cluster did since.
    public var openedAt = Date.distantPast

    public init(runID: String, target: String, panes: [RunPane], phase: RunPhase = .running, kind: Kind = .upgrade) {
        self.kind = kind
        self.runID = Sanitize.forScreen(runID)
        self.target = Sanitize.forScreen(target)
        self.panes = panes
        self.phase = phase
        focused = panes.firstIndex { $0.status == .running || $0.status == .failed } ?? 0
    }

    /// True when nothing runs any more: the upgrade run finished and no single action is pending or running.
    public var isOver: Bool {
        if hasActionInFlight { return false }
        if kind == .actions { return true }
        if case .finished = phase { return true }
        return false
    }

    /// True while the upgrade run has nodes in flight (quitting then leaves them half-way).
    public var upgradeIsActive: Bool {
        guard kind == .upgrade else { return false }
        switch phase {
        case .running, .pausing, .aborting: return true
        case .paused, .finished: return false
        }
    }

    /// True while anything is in flight: the upgrade run or a single action.
    public var isActive: Bool { upgradeIsActive || hasActionInFlight }

    /// True while a single action is queued or running.
    public var hasActionInFlight: Bool {
        panes.contains { $0.action != nil && ($0.status == .pending || $0.status == .running) }
    }

    /// The pane of `node` in the upgrade run (single actions' panes are not looked up by node).
    public func paneIndex(_ node: String) -> Int? { panes.firstIndex { $0.node == node && $0.action == nil } }

    /// The pane of a single action on `node`.
    public func actionPaneIndex(requestID: Int, node: String) -> Int? {
        panes.firstIndex { $0.node == node && $0.action?.requestID == requestID }
    }

    /// The panes of the upgrade run, without the single actions'.
    public var upgradePanes: [RunPane] { panes.filter { $0.action == nil } }

    /// The panes on screen: every node in flight or needing the operator, and the focused one.
    public var shownPanes: [Int] {
        panes.indices.filter { i in
            i == focused || panes[i].status == .running || panes[i].status == .failed || panes[i].status == .aborted
        }
    }

    /// Adds the panes of a single action request, focused on the first; finished action panes beyond the newest
    /// `keptActionPanes` are dropped so the list stays short.
    public mutating func addActionPanes(_ new: [RunPane]) {
        guard !new.isEmpty else { return }
        let finishedActions = panes.indices.filter { panes[$0].action != nil && panes[$0].status != .pending && panes[$0].status != .running }
        let dropped = Set(finishedActions.prefix(max(0, finishedActions.count + new.count - Self.keptActionPanes)))
        if !dropped.isEmpty { panes = panes.indices.filter { !dropped.contains($0) }.map { panes[$0] } }
        panes += new
        focused = panes.count - new.count
        keysOnPanes = true
    }

    /// Finished single-action panes kept on screen.
    static let keptActionPanes = 12

    /// Panes `tab` cycles through: every node that has started.
    public var startedPanes: [Int] { panes.indices.filter { panes[$0].status != .pending || $0 == focused } }

    /// Moves focus to the next started pane.
    public mutating func focusNext() {
        let started = startedPanes
        guard let position = started.firstIndex(of: focused) else {
            focused = started.first ?? 0
            return
        }
        focused = started[(position + 1) % started.count]
    }

    /// Nodes done, and the number of nodes in the run.
    public var nodeProgress: (done: Int, total: Int) {
        let run = upgradePanes
        return (run.filter { $0.status == .done }.count, run.count)
    }

    /// What the table shows for a node of the run: `⟳ 4/7`, `✓ upgraded`, `✗ failed 3/7`, `· queued`; for a node
    /// with a single action in flight, `⟳ drain`.
    public func progressText(for node: String, glyphs: Glyphs) -> (text: String, style: Style)? {
        if let action = panes.last(where: { $0.node == node && $0.action != nil && ($0.status == .running || $0.status == .pending) }) {
            return Self.progressText(of: action, glyphs: glyphs)
        }
        guard let pane = panes.first(where: { $0.node == node && $0.action == nil }) else { return nil }
        return Self.progressText(of: pane, glyphs: glyphs)
    }

    /// The widest text `progressText` gives any node now (the table makes room for it in the RISK column).
    public func widestProgressText(glyphs: Glyphs) -> Int {
        panes.reduce(0) { widest, pane in
            guard let progress = Self.progressText(of: pane, glyphs: glyphs) else { return widest }
            return max(widest, TextWidth.of(progress.text))
        }
    }

    /// What the table shows for one pane: its single action in flight, or its node's upgrade progress.
    static func progressText(of pane: RunPane, glyphs: Glyphs) -> (text: String, style: Style)? {
        if let name = pane.action?.name {
            guard pane.status == .running || pane.status == .pending else { return nil }
            return pane.status == .running ? ("\(glyphs == .unicode ? "⟳" : "~") \(name)", Style(.accent, bold: true))
                : ("\(name) queued", Style(.dim))
        }
        let (done, total) = pane.progress
        switch pane.status {
        case .pending: return ("queued", Style(.dim))
        case .running: return ("\(glyphs == .unicode ? "⟳" : "~") step \(min(done + 1, total))/\(total)", Style(.accent, bold: true))
        case .done: return ("\(glyphs.ok) upgraded", Style(.ok, bold: true))
        case .failed: return ("\(glyphs.bad) failed \(done + 1)/\(total)", Style(.danger, bold: true))
        case .aborted: return ("\(glyphs.bad) aborted \(done)/\(total)", Style(.danger, bold: true))
        // Refused when another kubeskew holds the node's Lease, or when the Lease could not be taken at all (a 403 of
        // a role without leases, an API down): the pane's stop line says which; this badge is true of both.
        case .refused: return ("\(glyphs.bad) refused, lease not taken", Style(.warning, bold: true))
        }
    }

    /// A warning for acting on `node` by hand while its upgrade is in flight (the step it is in), else nil.
    public func upgradeInFlightWarning(_ node: String) -> String? {
        guard let pane = upgradePanes.first(where: { $0.node == node && $0.status == .running }),
              let step = pane.currentStep else { return nil }
        return "\(node) is in the middle of its upgrade (\(pane.steps[step].name), step \(step + 1)/\(pane.steps.count)): "
            + "uncordoning it now lets pods back onto it before its kubelet is upgraded"
    }

    /// Words for the state each node is left in (quit and abort dialogs).
    public var nodeStates: [String] {
        let actions = panes.compactMap { pane -> String? in
            guard let name = pane.action?.name, pane.status == .running || pane.status == .pending else { return nil }
            let cordons = name == "drain" || name == "cordon"
            return "\(pane.node): \(name) \(pane.status == .running ? "running" : "queued")\(cordons && pane.status == .running ? ", stays cordoned if stopped" : "")"
        }
        return upgradePanes.map { pane in
            let (done, total) = pane.progress
            switch pane.status {
            // A node of a resumed run may wait with steps done by an earlier session: it is not untouched.
            case .pending where done > 0: return "\(pane.node): not started again, at step \(done + 1)/\(total), \(cordonWords(pane))"
            case .pending: return "\(pane.node): not started, untouched"
            case .done: return "\(pane.node): upgraded"
            case .running:
                let step = pane.currentStep.map { pane.steps[$0].name } ?? "?"
                return "\(pane.node): stopped in \(step) (\(done)/\(total)), \(cordonWords(pane))"
            case .failed, .aborted:
                return "\(pane.node): stopped at step \(done + 1)/\(total), \(cordonWords(pane))"
            case .refused: return "\(pane.node): refused (its Lease could not be taken), untouched"
            }
        } + actions
    }

    /// Whether a node is left cordoned: the drain step ran and the uncordon did not. A drain or uncordon still
    /// running when the run stops may or may not have got to its cordon change, and the words say so.
    private func cordonWords(_ pane: RunPane) -> String {
        // The latest drain or uncordon that began decides (a node of several passes is drained once per pass).
        guard let last = pane.steps.lastIndex(where: { step in
            (step.name.hasPrefix("drain") || step.name.hasPrefix("uncordon")) && step.state != .pending
        }) else { return "not cordoned by the run" }
        let step = pane.steps[last]
        let isDrain = step.name.hasPrefix("drain")
        switch step.state {
        case .running: return isDrain ? "cordoned if its drain got that far" : "left cordoned unless its uncordon got that far"
        case .done: return isDrain ? "left cordoned" : "not cordoned by the run"
        // An uncordon is skipped when the node is schedulable already or its cordon is the operator's: either way
        // the run holds no cordon on it. A drain skipped found the node cordoned already.
        case .skipped: return isDrain ? "left cordoned" : "not cordoned by the run"
        // A drain that failed had cordoned first; an uncordon that failed did not lift it.
        case .failed, .pending: return "left cordoned"
        }
    }
}
