import Foundation
import SkewCore
import Testing
@testable import TUI

/// The single actions outside a run: the drain options dialog, the action panes with their outcome, stopping one,
/// and the events line of what the cluster did.
@Suite struct NodeActionScreenTests {
    // MARK: drain dialog

    @Test func drainDefaultsAreTheIssuesAndTheFlagsFollowTheChoices() {
        let defaults = DrainOptions()
        #expect(defaults.kubectlFlags == ["--ignore-daemonsets", "--timeout=300s"])
        var dialog = DrainDialog(nodes: ["node08"])
        #expect(dialog.selected == .drain)
        // Walk from the drain line up to every option, toggling each.
        #expect(dialog.handle(.char("j")) == .stay)  // wraps to the first option
        #expect(dialog.selected == .ignoreDaemonSets)
        _ = dialog.handle(.char(" "))
        _ = dialog.handle(.down); _ = dialog.handle(.char(" "))
        _ = dialog.handle(.down); _ = dialog.handle(.char(" "))
        _ = dialog.handle(.down); _ = dialog.handle(.char(" "))
        _ = dialog.handle(.down)
        #expect(dialog.selected == .gracePeriod)
        _ = dialog.handle(.char("4")); _ = dialog.handle(.char("5"))
        _ = dialog.handle(.down)
        // The first digit on a number replaces it, the next ones add to it.
        _ = dialog.handle(.char("6")); _ = dialog.handle(.char("0"))
        #expect(dialog.options == DrainOptions(ignoreDaemonSets: false, deleteEmptyDirData: true, force: true,
                                               disableEviction: true, gracePeriodSeconds: 45, timeoutSeconds: 60))
        #expect(dialog.options.kubectlFlags == ["--delete-emptydir-data", "--force", "--disable-eviction", "--grace-period=45", "--timeout=60s"])
        // Backspace takes a digit off; the grace period goes back to each pod's own when emptied.
        _ = dialog.handle(.up)
        _ = dialog.handle(.backspace); _ = dialog.handle(.backspace)
        #expect(dialog.options.gracePeriodSeconds == nil)
        #expect(dialog.handle(.down) == .stay)
        #expect(dialog.handle(.enter) == .stay)  // enter on an option moves on
        #expect(dialog.selected == .drain)
        #expect(dialog.handle(.enter) == .confirm)
        #expect(dialog.handle(.escape) == .cancel)
    }

    @Test func aZeroTimeoutCannotBeConfirmed() {
        var dialog = DrainDialog(nodes: ["node08"])
        _ = dialog.handle(.char("k"))
        #expect(dialog.selected == .timeout)
        _ = dialog.handle(.char("0"))
        #expect(dialog.options.timeoutSeconds == 0)
        #expect(dialog.handle(.char("y")) == .stay)
    }

    @Test func rOpensTheDrainDialogAndConfirmingStartsTheDrainWithTheOptions() {
        var state = Fixtures.state()
        state.moveCursor(toNode: "node01")
        #expect(state.press(.char("r")).isEmpty)
        guard case .drain(let dialog) = state.overlay else {
            Issue.record("r did not open the drain dialog")
            return
        }
        #expect(dialog.nodes == ["node01"])
        let screen = state.screen
        #expect(screen.contains("drain nodes"))
        #expect(screen.contains("[x] ignore DaemonSets"))
        #expect(screen.contains("[ ] delete emptyDir data"))
        #expect(screen.contains("[ ] disable eviction"))
        #expect(screen.contains("timeout                300 s"))
        #expect(screen.contains("kubectl drain NODE --ignore-daemonsets --timeout=300s"))
        // Nothing runs until the operator confirms; esc changes nothing.
        #expect(state.press(.escape).isEmpty)
        #expect(state.overlay == .none)
        #expect(state.flash == "drain cancelled; nothing was changed")
        state.press(.char("r"), .char("k"), .char("3"), .char("0"))
        let effects = state.press(.char("y"))
        #expect(effects == [.nodeAction(NodeActionRequest(kind: .drain, nodes: ["node01"], id: 1,
                                                          drain: DrainOptions(timeoutSeconds: 30)))])
    }

    // MARK: action panes

    @Test func anActionsPaneStreamsTheOutputAndEndsWithTheOutcome() {
        var state = Fixtures.state(width: 120, height: 40)
        state.now = UpgradeFixtures.start
        state.moveCursor(toNode: "node01")
        state.press(.char("r"), .char("y"))
        guard let run = state.upgrade.run else {
            Issue.record("no pane for the drain")
            return
        }
        #expect(run.kind == .actions)
        #expect(run.panes.map(\.node) == ["node01"])
        #expect(run.isActive)
        _ = state.update(.nodeAction(.started(requestID: 1, node: "node01", command: "kubectl drain node01 --ignore-daemonsets --timeout=300s", at: state.now)))
        _ = state.update(.nodeAction(.output(requestID: 1, node: "node01", line: "node/node01 cordoned")))
        _ = state.update(.nodeAction(.output(requestID: 1, node: "node01", line: "evicting pod shop/web-1\u{1B}]0;owned\u{07}")))
        var screen = state.screen
        #expect(screen.contains("node01 ─ drain running"))
        #expect(screen.contains("$ kubectl drain node01 --ignore-daemonsets --timeout=300s"))
        #expect(screen.contains("evicting pod shop/web-1"))
        #expect(!screen.contains("owned"))
        #expect(screen.contains("actions 1 running"))
        #expect(screen.contains("⟳ drain"))  // the table's risk cell shows the node is being drained
        // Quitting while the drain runs asks, and says the node stays cordoned if stopped.
        state.press(.char("q"))
        guard case .confirm(let quit) = state.overlay else {
            Issue.record("quit during a drain did not ask")
            return
        }
        #expect(quit.message.first == "An action is in progress. Quitting stops it (kubectl is stopped);")
        #expect(quit.message.contains("  node01: drain running, stays cordoned if stopped"))
        state.press(.char("n"))
        _ = state.update(.nodeAction(.finished(requestID: 1, node: "node01", succeeded: true, exitStatus: nil, outcome: "node01 drained")))
        screen = state.screen
        #expect(screen.contains("node01 ─ drain done"))
        #expect(screen.contains("✓ node01 drained"))
        #expect(state.flash == "node01 drained")
        #expect(state.upgrade.run?.isOver == true)
        // esc gives the keys back to the table, a second esc closes the finished panes.
        state.press(.escape, .escape)
        #expect(state.upgrade.run == nil)
    }

    @Test func aFailedDrainShowsTheReasonAndAStopAsksFirst() {
        var state = Fixtures.state(width: 120, height: 40)
        state.moveCursor(toNode: "node01")
        state.press(.char(" "), .char(" "), .char("r"), .char("y"))
        #expect(state.upgrade.run?.panes.map(\.node) == ["node01", "node02"])
        _ = state.update(.nodeAction(.started(requestID: 1, node: "node01", command: "kubectl drain node01", at: state.now)))
        // A: stop asks first and names what is left.
        #expect(state.press(.char("A")).isEmpty)
        guard case .confirm(let stop) = state.overlay else {
            Issue.record("A did not ask before stopping the drain")
            return
        }
        #expect(stop.message == ["Stop the drain of node01?", "kubectl is stopped; node01 stays cordoned (u uncordons it)."])
        #expect(state.press(.char("y")) == [.stopNodeAction(requestID: 1)])
        let reason = "node01 not drained: a PodDisruptionBudget allows no disruption of shop/postgres-0; gave up after 300s; node01 stays cordoned (u uncordons it)"
        _ = state.update(.nodeAction(.finished(requestID: 1, node: "node01", succeeded: false, exitStatus: "exit 1", outcome: reason)))
        _ = state.update(.nodeAction(.finished(requestID: 1, node: "node02", succeeded: false, exitStatus: nil, outcome: "node02: not started (the drain was stopped)")))
        let screen = state.screen
        #expect(screen.contains("node01 ─ drain FAILED"))
        #expect(screen.contains("exit 1"))
        // The reason is wrapped under the output and stays in view.
        #expect(screen.contains("node01 not drained: a PodDisruptionBudget allows no disruption of"))
        #expect(screen.contains("shop/postgres-0; gave up after 300s; node01 stays cordoned (u uncordons"))
        // R and S belong to upgrade runs: a failed action is not retried by them.
        #expect(state.press(.char("R")).isEmpty)
        #expect(state.flash == "no failed node to retry")
    }

    @Test func anActionDuringARunGetsAPaneBesideTheRunsAndLeavesItsProgressAlone() {
        var state = UpgradeFixtures.stateWithRun(width: 120, height: 40)
        _ = state.update(.upgrade(.stepStarted(node: "node01", index: 0, at: state.now)))
        state.press(.escape)  // keys back to the table
        state.press(.char("G"), .char("c"), .char("y"))
        guard let run = state.upgrade.run else {
            Issue.record("the run went away")
            return
        }
        #expect(run.kind == .upgrade)
        #expect(run.panes.count == 3)
        #expect(run.nodeProgress.total == 2)
        #expect(run.paneIndex("node01") == 0)
        // The engine's news still reaches the run's panes, the action's news its own.
        _ = state.update(.upgrade(.output(node: "node01", line: "Setting up kubeadm")))
        #expect(state.upgrade.run?.panes[0].lines.last == "Setting up kubeadm")
        #expect(state.upgrade.run?.panes[2].lines.isEmpty == true)
    }

    @Test func finishedActionPanesAreKeptToTheNewestTwelveAndRunningOnesNeverDropped() {
        var run = RunView(runID: "", target: "", panes: [], kind: .actions)
        let step = [PaneStep(name: "kubectl cordon", location: "cp")]
        run.addActionPanes([RunPane(node: "busy", steps: step, status: .running, action: PaneAction(name: "drain", requestID: 0))])
        for id in 1...20 {
            run.addActionPanes([RunPane(node: "node\(id)", steps: step, status: .done, action: PaneAction(name: "cordon", requestID: id))])
        }
        #expect(run.panes.count == 13)
        #expect(run.panes.first?.node == "busy")
        #expect(run.panes.dropFirst().map(\.node) == (9...20).map { "node\($0)" })
        #expect(run.focused == 12)
    }

    // MARK: events

    @Test func eventsAreWhatChangedBetweenSnapshots() {
        let at = UpgradeFixtures.start
        let before = Fixtures.data().prepared?.rows ?? PreparedRows(Fixtures.data()).rows
        var nodes = Fixtures.nodes
        nodes[2] = Fixtures.node("node01", kubelet: "v1.35.2", cordoned: true)
        nodes[3] = Fixtures.node("node02", kubelet: "v1.34.4", ready: "False")
        nodes.remove(at: 4)
        nodes.append(Fixtures.node("node99", kubelet: "v1.35.2"))
        let after = PreparedRows(Fixtures.data(Fixtures.snapshot(nodes: nodes))).rows
        let events = ClusterEventLog.changes(from: before, to: after, at: at)
        let removed = before[4].name
        #expect(events.map { "\($0.node) \($0.change)" } == [
            "node01 cordoned", "node01 kubelet v1.35.2", "node02 NotReady", "node99 joined (v1.35.2)", "\(removed) gone from the API",
        ])
        #expect(events.filter(\.isWarning).map(\.node) == ["node02", removed])
        #expect(ClusterEventLog.changes(from: after, to: after, at: at).isEmpty)
    }

    @Test func theEventsLineShowsWhatTheClusterDidSinceTheRunBegan() {
        var state = UpgradeFixtures.stateWithRun(width: 120, height: 40)
        #expect(state.screen.contains("events no node changed since 08:00:12"))
        state.now = UpgradeFixtures.start.addingTimeInterval(60)
        var nodes = Fixtures.nodes
        nodes[2] = Fixtures.node("node01", kubelet: "v1.35.1", cordoned: true)
        _ = state.update(.snapshotChanged(Fixtures.data(Fixtures.snapshot(nodes: nodes))))
        state.now = UpgradeFixtures.start.addingTimeInterval(90)
        nodes[2] = Fixtures.node("node01", kubelet: "v1.35.2", ready: "False", cordoned: true)
        _ = state.update(.snapshotChanged(Fixtures.data(Fixtures.snapshot(nodes: nodes))))
        let line = state.screen.split(separator: "\n").first { $0.contains(" events ") }.map(String.init) ?? ""
        #expect(line.contains("08:01:30 node01 NotReady"))
        #expect(line.contains("08:01:30 node01 kubelet v1.35.2"))
        #expect(line.contains("08:01:00 node01 cordoned"))
        // Newest first.
        #expect((line.range(of: "NotReady")?.lowerBound ?? line.endIndex) < (line.range(of: "cordoned")?.lowerBound ?? line.startIndex))
    }
}

extension DashboardState {
    /// Puts the cursor on the named node.
    mutating func moveCursor(toNode name: String) {
        if let index = visibleRows.firstIndex(where: { $0.name == name }) { moveCursor(to: index) }
    }
}

/// `p`: the plan of the marked nodes, shown and never started; `U` in it makes it the real review.
@Suite struct PlanPreviewTests {
    @Test func pShowsThePlanAndStartsNothingUntilU() {
        var state = Fixtures.state(width: 100, height: 30)
        state.moveCursor(toNode: "node01")
        state.press(.char(" "), .char(" "))
        #expect(state.press(.char("p")) == [.upgrade(.plan(nodes: ["node01", "node02"]))])
        _ = state.update(.upgrade(.planReady(UpgradeFixtures.review)))
        var screen = state.screen
        #expect(screen.contains("plan preview: 2 nodes to v1.35.2"))
        #expect(screen.contains("a preview: nothing runs from here; U reviews it for the upgrade, esc closes"))
        #expect(screen.contains("$ kubectl drain node02 --ignore-daemonsets"))
        // Acknowledging every blocker still starts nothing from a preview.
        state.press(.char(" "), .char("j"), .char(" "))
        #expect(state.press(.char("y")).isEmpty)
        #expect(state.press(.enter).isEmpty)
        #expect(state.flash == "a preview: U reviews it for the upgrade")
        #expect(state.upgrade.review != nil)
        state.press(.char("U"))
        screen = state.screen
        #expect(screen.contains("upgrade plan: 2 nodes to v1.35.2"))
        #expect(state.press(.char("y")) == [.upgrade(.start(nodes: ["node01", "node02"]))])
    }

    @Test func aPreviewCanBeLookedAtInReadOnlyModeAndDuringARun() {
        var readOnly = Fixtures.state(width: 100, height: 30, readOnly: true)
        #expect(readOnly.press(.char("p")) == [.upgrade(.plan(nodes: ["cp-1"]))])
        _ = readOnly.update(.upgrade(.planReady(UpgradeFixtures.review)))
        // Issue 13: the --read-only preview said "U upgrade these"; nothing there may point at an upgrade.
        let screen = readOnly.screen
        #expect(!screen.contains("U upgrade these") && !screen.contains("U reviews it"), "\(screen)")
        #expect(screen.contains("a preview under --read-only: nothing runs from here; esc closes"), "\(screen)")
        #expect(readOnly.press(.char("U")).isEmpty)
        #expect(readOnly.flash == "read-only: nothing can be upgraded")
        #expect(readOnly.press(.escape).isEmpty)
        #expect(readOnly.flash == "plan closed; nothing was changed")

        var running = UpgradeFixtures.stateWithRun(width: 100, height: 30)
        running.press(.escape)
        #expect(running.press(.char("p")) == [.upgrade(.plan(nodes: ["cp-1"]))])
        _ = running.update(.upgrade(.planReady(UpgradeFixtures.review)))
        #expect(running.press(.char("U")).isEmpty)
        #expect(running.flash == "a run is in progress: wait for it, or abort it (A)")
        running.press(.escape)
        #expect(running.upgrade.run?.panes.count == 2, "the run stays")
    }
}
