import Foundation
import SkewCore

/// The guided upgrade's part of `update`: the `U` key, the plan review, the run's keys and the engine's news.
/// Pure like the rest of `update`: what must happen outside is returned as `.upgrade` effects.
extension DashboardState {
    // MARK: engine and planner news

    mutating func apply(_ event: UpgradeEvent) -> [DashboardEffect] {
        switch event {
        case .planReady(let review):
            if case .preparing = upgrade.review { upgrade.review = .ready(review) }
        case .planFailed(let message):
            if case .preparing = upgrade.review { upgrade.review = .failed(message) }
        case .runStarted(var run):
            upgrade.review = nil
            // A single action still in flight keeps its pane next to the run's.
            if let inFlight = upgrade.run?.panes.filter({ $0.action != nil && ($0.status == .running || $0.status == .pending) }) {
                run.panes += inFlight
            }
            run.openedAt = now
            upgrade.run = run
        case .stepStarted(let node, let index, let at):
            updatePane(node) { pane in
                guard index < pane.steps.count else { return }
                pane.steps[index].state = .running(since: at)
                pane.status = .running
            }
            // Focus follows the run from a pane that is no longer working, until the operator chooses one.
            if let run = upgrade.run, !run.focusChosen, let i = run.paneIndex(node), run.panes[run.focused].status != .running,
               run.panes[run.focused].status != .failed {
                upgrade.run?.focused = i
            }
        case .output(let node, let line):
            updatePane(node) { $0.append(line) }
        case .stepFinished(let node, let index, let state):
            updatePane(node) { pane in
                if index < pane.steps.count { pane.steps[index].state = state }
            }
        case .nodeFinished(let node, let status):
            updatePane(node) { $0.status = status }
            // A mark is a to-do: an upgraded node is done, so later actions on the marks do not reach it.
            if status == .done { setMarks(marks.subtracting([Sanitize.forScreen(node)])) }
            if status == .failed || status == .aborted || status == .refused, var run = upgrade.run, let i = run.paneIndex(node) {
                if status == .failed && !run.unacknowledgedFailures.contains(node) { run.unacknowledgedFailures.append(node) }
                // The failure notice draws the operator's attention; a pane they chose stays (R and S find the
                // failed node without focus).
                if !run.focusChosen { run.focused = i }
                upgrade.run = run
            }
        case .runFinished(let paused, let summary):
            upgrade.run?.phase = paused ? .paused : .finished(summary: Sanitize.forScreen(summary))
            flash = Sanitize.forScreen(summary)
        case .resumeOffer(let runID, let nodes):
            guard !options.readOnly else { return [] }
            overlay = .confirm(ConfirmDialog(
                title: "interrupted run",
                message: ["Run \(Sanitize.forScreen(runID)) was interrupted:"] + nodes.map { "  " + Sanitize.forScreen($0) }
                    + ["Resume it from the step it stopped at?"],
                onConfirm: .upgrade(.resumeInterrupted(runID: runID)), onDecline: .upgrade(.declineResume(runID: runID))))
        case .clusterRun(let active):
            upgrade.clusterRunActive = active
            // Stopped between two phases: no engine was running to report the abort, the loop's end does.
            if !active, upgrade.run?.phase == .aborting {
                upgrade.run?.phase = .finished(summary: "cluster upgrade stopped before its next phase")
            }
        case .clusterPause(let lines):
            guard !options.readOnly else { return [] }
            overlay = .confirm(ConfirmDialog(title: "cluster upgrade: next hop", message: lines.map(Sanitize.forScreen),
                                             onConfirm: .upgrade(.startCluster)))
        case .resumeMismatch(let runID, let lines):
            overlay = .confirm(ConfirmDialog(
                title: "journal ≠ cluster",
                message: ["Run \(Sanitize.forScreen(runID)): the cluster does not show what the journal says was done:"]
                    + lines.map { "  " + Sanitize.forScreen($0) }
                    + ["Run those steps (and the ones after them) again, each after its check?"],
                onConfirm: .upgrade(.resumeRunningAgain(runID: runID))))
        }
        return []
    }

    private mutating func updatePane(_ node: String, _ change: (inout RunPane) -> Void) {
        guard var run = upgrade.run, let i = run.paneIndex(Sanitize.forScreen(node)) else { return }
        change(&run.panes[i])
        upgrade.run = run
    }

    // MARK: keys

    /// Keys of the review, the failure notice and the run; nil when the key is the table's.
    mutating func handleUpgradeKey(_ key: Key) -> [DashboardEffect]? {
        if let review = upgrade.review { return handleReviewKey(key, review) }
        guard var run = upgrade.run else { return nil }
        if key == .char("q") || key == .ctrl("c"), run.isActive || upgrade.clusterRunActive {
            overlay = .confirm(Self.runQuitDialog(run, clusterRun: upgrade.clusterRunActive))
            return []
        }
        if let failed = run.unacknowledgedFailures.first, key == .enter || (key == .escape && run.keysOnPanes) {
            run.unacknowledgedFailures.removeAll { $0 == failed }
            upgrade.run = run
            flash = "\(failed): failure acknowledged; it stays failed (R retries, S skips, u uncordons)"
            return []
        }
        let readOnly = options.readOnly
        switch key {
        case .char("A") where !readOnly:
            if run.keysOnPanes, run.panes.indices.contains(run.focused), requestStopAction(run.panes[run.focused]) { return [] }
            guard run.upgradeIsActive || upgrade.clusterRunActive else {
                if let inFlight = run.panes.first(where: { $0.action != nil && $0.status == .running }), requestStopAction(inFlight) { return [] }
                flash = "no run in progress"
                return []
            }
            overlay = .confirm(Self.abortDialog(run, clusterRun: upgrade.clusterRunActive))
            return []
        case .char("R") where !readOnly:
            guard let node = failedNode(run) else { flash = "no failed node to retry"; return [] }
            run.unacknowledgedFailures.removeAll { $0 == node }
            if !run.isActive { run.phase = .running }
            upgrade.run = run
            flash = "retrying the failed step of \(node)"
            return [.upgrade(.retry(node: node))]
        case .char("S") where !readOnly:
            guard let node = failedNode(run) else { flash = "no failed node to skip a step of"; return [] }
            run.unacknowledgedFailures.removeAll { $0 == node }
            upgrade.run = run
            return [.upgrade(.skip(node: node))]
        case .char("P") where !readOnly:
            guard run.kind == .upgrade else { flash = "no upgrade run to pause"; return [] }
            switch run.phase {
            case .running:
                upgrade.run?.phase = .pausing
                flash = "pausing after the nodes in flight"
                return [.upgrade(.pauseAfterCurrent)]
            case .paused:
                upgrade.run?.phase = .running
                flash = "going on with the run"
                return [.upgrade(.resume)]
            case .pausing:
                flash = "already pausing after the nodes in flight"
            case .aborting, .finished:
                flash = "the run is over"
            }
            return []
        case .tab:
            run.focusNext()
            run.focusChosen = true
            run.keysOnPanes = true
            upgrade.run = run
            return []
        case .char("f"):
            run.fullScreen.toggle()
            run.keysOnPanes = true
            upgrade.run = run
            return []
        default:
            break
        }
        guard run.keysOnPanes, run.focused < run.panes.count else {
            if key == .escape, filter.isEmpty, run.isOver {
                upgrade.run = nil
                flash = "run closed (kubeskew history shows it again)"
                return []
            }
            return nil
        }
        let height = paneOutputHeight
        switch key {
        case .pageUp, .ctrl("b"): run.panes[run.focused].scroll(by: -max(1, height - 1), height: height)
        case .pageDown, .ctrl("f"): run.panes[run.focused].scroll(by: max(1, height - 1), height: height)
        case .char("k"), .up: run.panes[run.focused].scroll(by: -1, height: height)
        case .char("j"), .down: run.panes[run.focused].scroll(by: 1, height: height)
        case .char("g"), .home: run.panes[run.focused].scrollToTop()
        case .char("G"), .end: run.panes[run.focused].scrollToBottom()
        case .char("s"): run.panes[run.focused].toggleFollow(height: height)
        case .char("u") where !readOnly:
            let node = run.panes[run.focused].node
            overlay = .confirm(ConfirmDialog(title: "uncordon nodes", message: ["Uncordon \(node)?"] + [run.upgradeInFlightWarning(node)].compactMap { $0 },
                                             onConfirm: .nodeAction(NodeActionRequest(kind: .uncordon, nodes: [node]))))
        case .escape:
            run.keysOnPanes = false
            run.fullScreen = false
        default:
            return nil
        }
        // Reading a pane (scrolling it, following it or not) chooses it, as `tab` does.
        if key != .escape && key != .char("u") { run.focusChosen = true }
        upgrade.run = run
        return []
    }

    // MARK: questions about the run

    /// Asked on `q` or Ctrl-C while a run or an action is in flight; says what each node is left in.
    /// `clusterRun`: a cluster upgrade is going on; between two phases no run is active but quitting still stops it.
    static func runQuitDialog(_ run: RunView, clusterRun: Bool = false) -> ConfirmDialog {
        let what: String
        if run.upgradeIsActive {
            what = clusterRun ? "A cluster upgrade is in progress. Quitting aborts its phase (running commands are stopped) and no later phase starts;"
                : "A run is in progress. Quitting aborts it (running commands are stopped);"
        } else if clusterRun {
            what = "A cluster upgrade is between two phases. Quitting stops it: no later phase starts;"
        } else {
            what = "An action is in progress. Quitting stops it (kubectl is stopped);"
        }
        return ConfirmDialog(title: "quit during a run", message: [what, "the nodes are left so:"] + run.nodeStates.map { "  " + $0 } + ["Quit anyway?"],
                             onConfirm: .quit, followsRun: .quit)
    }

    static func abortDialog(_ run: RunView, clusterRun: Bool = false) -> ConfirmDialog {
        let question = !run.upgradeIsActive && clusterRun
            ? "Stop the cluster upgrade? It is between two phases: no later phase starts; nodes stay as they are:"
            : clusterRun ? "Abort the cluster upgrade? Running commands are stopped and no later phase starts; nodes stay as they are:"
            : "Abort the run? Running commands are stopped; nodes stay as they are:"
        return ConfirmDialog(title: "abort the run", message: [question] + run.nodeStates.map { "  " + $0 },
                             onConfirm: .upgrade(.abort), followsRun: .abort)
    }

    /// `q` or Ctrl-C: during a run or an action, opens the question that says what quitting leaves and returns
    /// true; otherwise false (the caller quits on `q`, asks the plain question on Ctrl-C).
    mutating func askToQuitDuringRun() -> Bool {
        guard let run = upgrade.run, run.isActive || upgrade.clusterRunActive else { return false }
        overlay = .confirm(Self.runQuitDialog(run, clusterRun: upgrade.clusterRunActive))
        return true
    }

    /// The run goes on while a dialog about it is open: its text is rebuilt after every run event, so that what it
    /// says when the operator answers is what answering does. A quit question outlives the run as the plain one;
    /// an abort question closes when nothing is left to abort.
    mutating func refreshRunDialog() {
        guard case .confirm(let dialog) = overlay, let question = dialog.followsRun else { return }
        switch question {
        case .quit:
            if let run = upgrade.run, run.isActive || upgrade.clusterRunActive {
                overlay = .confirm(Self.runQuitDialog(run, clusterRun: upgrade.clusterRunActive))
            } else {
                overlay = .confirm(Self.quitDialog)
            }
        case .abort:
            if let run = upgrade.run, run.upgradeIsActive || upgrade.clusterRunActive {
                overlay = .confirm(Self.abortDialog(run, clusterRun: upgrade.clusterRunActive))
            } else {
                overlay = .none
                flash = "the run ended before it was aborted"
            }
        }
    }

    /// The focused node when it failed, else the first failed one (upgrade panes only: a failed single action is
    /// not retried by `R`).
    private func failedNode(_ run: RunView) -> String? {
        let focused = run.panes.indices.contains(run.focused) ? run.panes[run.focused] : nil
        let stopped: Set<PaneNodeStatus> = [.failed, .aborted, .refused]
        if let focused, focused.action == nil, stopped.contains(focused.status) { return focused.node }
        return run.panes.first { $0.action == nil && stopped.contains($0.status) }?.node
    }

    private mutating func handleReviewKey(_ key: Key, _ state: PlanReviewState) -> [DashboardEffect] {
        if key == .ctrl("c") {
            overlay = .confirm(Self.quitDialog)
            return []
        }
        if upgrade.preview, let effects = handlePreviewKey(key, state) { return effects }
        guard case .ready(var review) = state else {
            if key == .escape || key == .enter || key == .char("q") || key == .char("n") {
                upgrade.review = nil
                flash = upgrade.preview ? "plan closed; nothing was changed" : "upgrade cancelled; nothing was changed"
            }
            return []
        }
        let reviewWidth = max(20, self.width - 4)
        switch key {
        case .char("j"), .down, .tab: review.select(by: 1)
        case .char("k"), .up, .backTab: review.select(by: -1)
        case .enter where review.canConfirm:
            // Enter is what an operator presses to go on: once every blocker is acknowledged it starts, like `y`;
            // before that it acknowledges (never un-acknowledges) the selected blocker.
            upgrade.review = nil
            flash = "\(review.startWords) starting"
            return [.upgrade(review.startRequest)]
        case .enter where review.isSelectedAcknowledged:
            flash = "already acknowledged: \(review.unacknowledgedCount) left (j/k to the next)"
        case .char(" "), .enter:
            // Nothing is acknowledged unseen: a blocker off screen is first brought into view.
            if let line = PlanReviewScreen.selectedLine(review, width: reviewWidth, glyphs: options.glyphs),
               line < review.scroll || line >= review.scroll + max(1, height - 5) {
                flash = "the blocker is now in view: space acknowledges it"
            } else {
                review.toggleSelected()
            }
        case .pageDown, .ctrl("f"): review.scroll += max(1, height - 6)
        case .pageUp, .ctrl("b"): review.scroll = max(0, review.scroll - max(1, height - 6))
        case .char("y"), .char("Y"):
            guard review.canConfirm else {
                flash = review.nodes.isEmpty ? "nothing to upgrade"
                    : "acknowledge every blocker first (\(review.unacknowledgedCount) left: space on each)"
                return []
            }
            upgrade.review = nil
            flash = "\(review.startWords) starting"
            return [.upgrade(review.startRequest)]
        case .escape, .char("q"), .char("n"):
            upgrade.review = nil
            flash = upgrade.preview ? "plan closed; nothing was changed" : "upgrade cancelled; nothing was changed"
            return []
        default:
            return []
        }
        if key != .pageDown && key != .pageUp && key != .ctrl("f") && key != .ctrl("b"),
           let block = PlanReviewScreen.selectedBlock(review, width: reviewWidth, glyphs: options.glyphs) {
            // The selected blocker and its advice come into view together.
            let visible = max(1, height - 5)
            if block.lowerBound < review.scroll { review.scroll = max(0, block.lowerBound - 1) }
            if block.upperBound > review.scroll + visible { review.scroll = min(block.lowerBound, block.upperBound - visible + 1) }
        }
        upgrade.review = .ready(review)
        return []
    }

    /// `U`: plans the marked nodes (or the one under the cursor); managed nodes are refused with the reason.
    /// `p` (`preview`): the same plan, shown only; it may be looked at during a run and in read-only mode.
    mutating func requestUpgrade(preview: Bool = false) -> [DashboardEffect] {
        if !preview, let run = upgrade.run, run.isActive || upgrade.clusterRunActive {
            if !run.upgradeIsActive, let action = run.panes.first(where: { $0.action != nil && ($0.status == .running || $0.status == .pending) }) {
                flash = "\(action.action?.name ?? "an action") of \(action.node) in progress: wait for it, or stop it (A)"
            } else {
                flash = "a run is in progress: wait for it, or abort it (A)"
            }
            return []
        }
        let targets: [String]
        if !marks.isEmpty {
            targets = rows.map(\.name).filter { marks.contains($0) }
        } else if let row = cursorRow {
            targets = [row.name]
        } else {
            flash = "no node to upgrade"
            return []
        }
        if !preview, let refusal = holdRefusal(targets) {
            flash = refusal
            return []
        }
        let allowed = targets.filter { managedReason($0) == nil }
        guard !allowed.isEmpty else {
            flash = targets.compactMap(managedReason).first ?? "no node to upgrade"
            return []
        }
        if !preview { upgrade.run = nil }
        upgrade.preview = preview
        upgrade.review = .preparing(nodes: allowed)
        return [.upgrade(.plan(nodes: allowed))]
    }

    /// `C`: plans the whole cluster to the target (the control plane first, one minor at a time, then the workers)
    /// and opens its review; nothing runs before `y`.
    mutating func requestClusterUpgrade() -> [DashboardEffect] {
        if upgrade.clusterRunActive || upgrade.run?.isActive == true {
            flash = "a run is in progress: wait for it, or abort it (A)"
            return []
        }
        upgrade.run = nil
        upgrade.preview = false
        upgrade.review = .preparing(nodes: ["every node"])
        return [.upgrade(.planCluster)]
    }

    /// Why a node may not be marked for upgrade (a managed node), in words; nil when it may.
    func managedReason(_ name: String) -> String? {
        guard let node = data?.assessment.nodes.first(where: { $0.name == name }),
              let risk = node.risks.first(where: { $0.kind == .managed }) else { return nil }
        return "\(name) is managed (\(Sanitize.forScreen(risk.detail))); kubeskew does not upgrade it"
    }

    /// Output lines of one pane on screen at the current size (for paging).
    var paneOutputHeight: Int {
        let layout = ScreenLayout(width: width, height: height, controlPlaneEntries: controlPlaneEntryCount)
        guard let run = upgrade.run else { return 1 }
        if run.fullScreen { return max(1, layout.body.height - 2) }
        let panes = RunLayout.split(tableBody: layout.tableBody, run: run).panes ?? layout.tableBody
        return RunLayout.outputHeight(area: panes, count: run.shownPanes.count)
    }
}

extension DashboardState {
    /// Keys that differ in a preview (`p`): nothing starts; `U` makes it the review of a real upgrade. Nil when the
    /// key does the same as in the review (moving, scrolling, acknowledging, closing).
    mutating func handlePreviewKey(_ key: Key, _ state: PlanReviewState) -> [DashboardEffect]? {
        switch key {
        case .char("y"), .char("Y"), .enter:
            flash = options.readOnly ? "a preview: read-only mode upgrades nothing" : "a preview: U reviews it for the upgrade"
            return []
        case .char("U"):
            if options.readOnly {
                flash = "read-only: nothing can be upgraded"
            } else if let run = upgrade.run, run.isActive {
                flash = "a run is in progress: wait for it, or abort it (A)"
            } else if case .ready = state {
                upgrade.preview = false
                upgrade.run = nil
                flash = "review it: acknowledge every blocker, then y starts"
            }
            return []
        default:
            return nil
        }
    }
}
