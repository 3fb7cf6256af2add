import Foundation
import Testing
@testable import TUI

/// The guided upgrade's screens, rendered into the grid and compared as text; and the keys that drive them.
struct UpgradeScreenTests {
    @Test func uOpensThePlanReviewAfterPlanning() {
        var state = Fixtures.state(width: 100, height: 40)
        state.press(.char("/"))
        state.type("node01")
        state.press(.enter)
        let effects = state.press(.char("U"))
        #expect(effects == [.upgrade(.plan(nodes: ["node01"]))])
        #expect(state.screen.contains("reading the cluster and the pods on node01"))
        _ = state.update(.upgrade(.planReady(UpgradeFixtures.review)))
        let screen = state.screen
        #expect(screen.contains("upgrade plan: 2 nodes to v1.35.2"))
        #expect(screen.contains("node01  v1.35.1 → v1.35.2  (apt, 1 pass)"))
        #expect(screen.contains("│   1.  node  install kubeadm 1.35.2   $ sudo apt-mark unhold kubeadm && sudo apt-get update &&    │"))
        #expect(screen.contains("│                                        sudo apt-get install -y kubeadm='1.35.2-*' && sudo        │"))
        #expect(screen.contains("│   3.  cp    drain                    $ kubectl drain node01 --ignore-daemonsets                  │"))
        #expect(screen.contains("▸ [ ] pdb-allows-no-disruption shop/postgres-pdb"))
        #expect(screen.contains("[ ] emptydir-data default/cache-1"))
        #expect(screen.contains("node-bad: kubelet version unknown"))
        let wait = screen.split(separator: "\n").first { $0.contains("wait until the node is Ready with kubelet v1.35.2") } ?? ""
        #expect(wait.contains("4.  cp    wait until Ready") && !wait.contains("$"), "kubeskew's own wait is no shell command: \(wait)")
        #expect(screen.contains("2 blockers to acknowledge before the run can start"))
    }

    @Test func confirmingNeedsEveryBlockerAcknowledged() {
        var state = Fixtures.state(width: 100, height: 40)
        state.press(.char("U"))
        _ = state.update(.upgrade(.planReady(UpgradeFixtures.review)))
        #expect(state.press(.char("y")).isEmpty, "nothing starts with blockers unacknowledged")
        #expect(state.flash == "acknowledge every blocker first (2 left: space on each)")
        state.press(.char(" "))
        #expect(state.screen.contains("[x] pdb-allows-no-disruption shop/postgres-pdb"))
        #expect(state.screen.contains("▸ [ ] emptydir-data default/cache-1"), "the cursor moves to the next one")
        #expect(state.press(.char("y")).isEmpty)
        state.press(.char(" "))
        #expect(state.screen.contains("y starts the upgrade of 2 nodes to v1.35.2"))
        #expect(state.press(.char("y")) == [.upgrade(.start(nodes: ["node01", "node02"]))])
        #expect(state.upgrade.review == nil)
    }

    @Test func enterAcknowledgesButNeverUnacknowledgesThenStarts() {
        var state = Fixtures.state(width: 100, height: 40)
        state.press(.char("U"))
        _ = state.update(.upgrade(.planReady(UpgradeFixtures.review)))
        #expect(state.press(.enter).isEmpty)
        #expect(state.screen.contains("[x] pdb-allows-no-disruption shop/postgres-pdb"))
        state.press(.char("k"))
        #expect(state.press(.enter).isEmpty)
        #expect(state.screen.contains("[x] pdb-allows-no-disruption shop/postgres-pdb"), "enter on an acknowledged blocker keeps it")
        state.press(.char("j"))
        #expect(state.press(.enter).isEmpty)
        #expect(state.press(.enter) == [.upgrade(.start(nodes: ["node01", "node02"]))], "with every blocker acknowledged, enter starts")
    }

    @Test func aBlockerOffScreenIsBroughtIntoViewBeforeItCanBeAcknowledged() {
        var state = Fixtures.state(width: 100, height: 20)
        state.press(.char("U"))
        _ = state.update(.upgrade(.planReady(UpgradeFixtures.review)))
        #expect(!state.screen.contains("pdb-allows-no-disruption"), "the plan starts at its top")
        state.press(.char(" "))
        #expect(state.upgrade.review.map { if case .ready(let r) = $0 { return r.acknowledged.isEmpty }; return false } == true)
        #expect(state.screen.contains("▸ [ ] pdb-allows-no-disruption shop/postgres-pdb"))
        // Its advice comes into view with it: nothing is acknowledged unread.
        #expect(state.screen.contains("workload up or relax the budget"))
        state.press(.char(" "))
        #expect(state.screen.contains("[x] pdb-allows-no-disruption shop/postgres-pdb"))
    }

    @Test func cancellingTheReviewChangesNothing() {
        var state = Fixtures.state(width: 100, height: 40)
        state.press(.char("U"))
        _ = state.update(.upgrade(.planReady(UpgradeFixtures.review)))
        #expect(state.press(.escape).isEmpty)
        #expect(state.upgrade.review == nil)
        #expect(state.flash == "upgrade cancelled; nothing was changed")
        // A plan that arrives after the cancel is dropped.
        _ = state.update(.upgrade(.planReady(UpgradeFixtures.review)))
        #expect(state.upgrade.review == nil)
    }

    @Test func paneShowsEveryStepState() {
        var run = UpgradeFixtures.run
        run.panes[0].steps[0].state = .done
        run.panes[0].steps[1].state = .skipped(reason: "already done")
        run.panes[0].steps[2].state = .running(since: UpgradeFixtures.start)
        run.panes[0].status = .running
        run.panes[0].append("$ kubectl drain node01 --ignore-daemonsets")
        run.panes[0].append("node/node01 cordoned")
        run.panes[0].append("\u{1B}[31mevicting pod default/web-1\u{1B}[0m")
        var grid = Grid(width: 80, height: 6)
        RunPanesView.render(run, into: &grid, area: grid.bounds, glyphs: .unicode, now: UpgradeFixtures.start.addingTimeInterval(75))
        // Done, skipped, running with its elapsed time, pending; the output is the running step's, escape codes gone.
        #expect(grid.lines() == [
            "── node01 ─ 2/4 running ────────────────────────────────────────────────────────",
            " ✓ 1 install kubeadm 1.35.2    node │ $ kubectl drain node01 --ignore-daemonsets",
            " ↷ 2 kubeadm upgrade … skipped node │ node/node01 cordoned",
            " ⟳ 3 drain               1m15s cp   │ evicting pod default/web-1",
            " · 4 uncordon                  cp   │",
            "                                    │",
        ])
    }

    @Test func failedStepShowsExitStatusAndTheFailureStaysUntilAcknowledged() {
        var state = UpgradeFixtures.stateWithRun()
        _ = state.update(.upgrade(.stepStarted(node: "node02", index: 0, at: UpgradeFixtures.start)))
        _ = state.update(.upgrade(.stepFinished(node: "node02", index: 0, state: .done)))
        _ = state.update(.upgrade(.stepStarted(node: "node02", index: 1, at: UpgradeFixtures.start)))
        _ = state.update(.upgrade(.stepFinished(node: "node02", index: 1, state: .done)))
        _ = state.update(.upgrade(.stepStarted(node: "node02", index: 2, at: UpgradeFixtures.start)))
        _ = state.update(.upgrade(.output(node: "node02", line: "error when evicting pods/\"postgres-0\" -n \"shop\" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.")))
        _ = state.update(.upgrade(.stepFinished(node: "node02", index: 2, state: .failed(exitStatus: "exit 1", message: "drain failed: kubectl drain node02 exit 1"))))
        _ = state.update(.upgrade(.nodeFinished(node: "node02", status: .failed)))
        var screen = state.screen
        #expect(screen.contains("┌─ ✗ node02 failed"))
        #expect(screen.contains("drain failed (exit 1), step 3/4"))
        #expect(screen.contains("node02 is left cordoned."))
        // A drain cannot be skipped; the way on by keyboard is said.
        #expect(screen.contains("enter acknowledge · R retry · u uncordon · esc then r drain"))
        #expect(screen.contains("r drains it with options (disable eviction bypasses a budget); R then retries the step."))
        // Other keys do not make it go away.
        state.press(.char("j"), .tab, .char("s"))
        #expect(state.screen.contains("┌─ ✗ node02 failed"))
        state.press(.enter)
        screen = state.screen
        #expect(!screen.contains("┌─ ✗ node02 failed"))
        #expect(screen.contains("── node02 ─ 2/4 FAILED"), "the pane still says it failed")
        #expect(screen.contains("✗ 3 drain"))
        #expect(screen.contains("exit 1 cp"))
        #expect(screen.contains("✗ failed…"), "the table shows the node's progress (cut to the RISK column)")
        #expect(state.press(.char("R")) == [.upgrade(.retry(node: "node02"))])
    }

    @Test func abortAsksAndListsWhatNodesAreLeftIn() {
        var state = UpgradeFixtures.stateWithRun()
        _ = state.update(.upgrade(.stepStarted(node: "node01", index: 0, at: UpgradeFixtures.start)))
        _ = state.update(.upgrade(.stepFinished(node: "node01", index: 0, state: .done)))
        _ = state.update(.upgrade(.stepStarted(node: "node01", index: 1, at: UpgradeFixtures.start)))
        _ = state.update(.upgrade(.stepFinished(node: "node01", index: 1, state: .done)))
        _ = state.update(.upgrade(.stepStarted(node: "node01", index: 2, at: UpgradeFixtures.start)))
        #expect(state.press(.char("A")).isEmpty)
        let screen = state.screen
        #expect(screen.contains("abort the run"))
        #expect(screen.contains("Abort the run? Running commands are stopped; nodes stay as they are:"))
        #expect(screen.contains("node01: stopped in drain (2/4), cordoned if its drain got that far"))
        #expect(screen.contains("node02: not started, untouched"))
        #expect(state.press(.char("y")) == [.upgrade(.abort)])
        #expect(state.upgrade.run?.phase == .aborting)
    }

    @Test func quitDuringARunAsksAndSaysWhatIsLeft() {
        var state = UpgradeFixtures.stateWithRun()
        _ = state.update(.upgrade(.stepStarted(node: "node01", index: 0, at: UpgradeFixtures.start)))
        #expect(state.press(.char("q")).isEmpty, "q does not quit at once during a run")
        #expect(state.screen.contains("A run is in progress. Quitting aborts it"))
        #expect(state.screen.contains("node01: stopped in install kubeadm 1.35.2 (0/4), not cordoned by the run"))
        #expect(state.press(.char("y")) == [.quit])
    }

    @Test func headerAndTableShowTheRunsProgress() {
        var state = UpgradeFixtures.stateWithRun(width: 120, height: 40)
        for index in 0..<4 {
            _ = state.update(.upgrade(.stepStarted(node: "node01", index: index, at: UpgradeFixtures.start)))
            _ = state.update(.upgrade(.stepFinished(node: "node01", index: index, state: .done)))
        }
        _ = state.update(.upgrade(.nodeFinished(node: "node01", status: .done)))
        _ = state.update(.upgrade(.stepStarted(node: "node02", index: 0, at: UpgradeFixtures.start)))
        let screen = state.screen
        #expect(screen.contains("run 1/2 nodes running"))
        #expect(state.screen.split(separator: "\n").contains { $0.contains("node01") && $0.contains("✓ upgraded") })
        #expect(state.screen.split(separator: "\n").contains { $0.contains("node02") && $0.contains("⟳ step 1/4") })
        #expect(screen.contains("── node02 ─ 0/4 running"))
    }

    @Test func paneKeysScrollFollowCycleAndFullScreen() {
        var state = UpgradeFixtures.stateWithRun()
        _ = state.update(.upgrade(.stepStarted(node: "node01", index: 0, at: UpgradeFixtures.start)))
        for n in 1...100 { _ = state.update(.upgrade(.output(node: "node01", line: "line \(n)"))) }
        #expect(state.screen.contains("line 100"))
        state.press(.char("g"))
        #expect(state.screen.contains(" line 1\n") || state.screen.contains(" line 1 "))
        #expect(state.screen.contains("scrolled (G follows)"))
        #expect(!state.screen.contains("line 100"))
        state.press(.pageDown)
        #expect(!state.screen.contains(" line 1\n"))
        state.press(.char("G"))
        #expect(state.screen.contains("line 100"))
        #expect(!state.screen.contains("scrolled"))
        state.press(.char("s"))
        _ = state.update(.upgrade(.output(node: "node01", line: "line 101")))
        #expect(!state.screen.contains("line 101"), "follow off: new output does not move the view")
        state.press(.char("s"))
        #expect(state.screen.contains("line 101"))
        state.press(.char("f"))
        #expect(!state.screen.contains("control plane"), "full screen covers the table")
        #expect(state.screen.contains("── node01 ─ 0/4 running"))
        _ = state.update(.upgrade(.stepStarted(node: "node02", index: 0, at: UpgradeFixtures.start)))
        state.press(.tab)
        #expect(state.screen.contains("── node02 ─ 0/4 running"))
        #expect(!state.screen.contains("── node01 ─"))
        state.press(.escape)
        #expect(state.screen.contains("control plane"))
    }

    @Test func scrollbackIsBoundedAndSanitized() {
        var pane = RunPane(node: "node01", steps: UpgradeFixtures.steps())
        for n in 0..<(RunPane.scrollbackLimit + 500) { pane.append("\u{1B}]0;title\u{07}\u{1B}[2Jline \(n)\u{7}") }
        #expect(pane.lines.count == RunPane.scrollbackLimit)
        #expect(pane.lines.first == "line 500\u{FFFD}")
        #expect(!pane.lines.contains { $0.unicodeScalars.contains { $0.value < 0x20 } })
    }

    @Test func readOnlyHidesEveryAction() {
        var state = UpgradeFixtures.stateWithRun(readOnly: true)
        _ = state.update(.upgrade(.stepStarted(node: "node01", index: 0, at: UpgradeFixtures.start)))
        let footer = state.screen.split(separator: "\n").last.map(String.init) ?? ""
        #expect(footer.contains("tab pane"))
        for hint in ["A abort", "R retry", "S skip", "u uncordon", "P pause"] { #expect(!footer.contains(hint)) }
        #expect(state.press(.char("A")).isEmpty && state.overlay == .none)
        #expect(state.press(.char("R")).isEmpty)
        #expect(state.press(.char("P")).isEmpty)
        var table = Fixtures.state(width: 100, height: 30, readOnly: true)
        #expect(table.press(.char("U")).isEmpty)
        #expect(table.upgrade.review == nil)
        _ = table.update(.upgrade(.resumeOffer(runID: "r1", nodes: ["node01: running, 3/7 steps"])))
        #expect(table.overlay == .none, "no resume offer under --read-only")
    }

    @Test func managedNodesCannotBeMarkedOrUpgraded() {
        var nodes = Fixtures.nodes
        nodes.append(Fixtures.node("ip-10-0-1-2.ec2.internal", kubelet: "v1.35.1-eks-3025e55"))
        var state = Fixtures.state(width: 100, height: 30, data: Fixtures.data(Fixtures.snapshot(nodes: nodes)))
        state.press(.char("/"))
        state.type("ip-10")
        state.press(.enter)
        state.press(.char(" "))
        #expect(state.marks.isEmpty)
        #expect(state.flash?.hasPrefix("cannot mark: ip-10-0-1-2.ec2.internal is managed (Amazon EKS") == true, "\(state.flash ?? "")")
        #expect(state.press(.char("U")).isEmpty)
        #expect(state.upgrade.review == nil)
        state.press(.escape, .char("a"))
        #expect(!state.marks.contains("ip-10-0-1-2.ec2.internal"))
        #expect(state.marks.contains("node01"))
    }

    @Test func resumeOfferConfirmsIntoAResumeRequest() {
        var state = Fixtures.state(width: 100, height: 40)
        _ = state.update(.upgrade(.resumeOffer(runID: "20261125T150000Z-abc123", nodes: ["node01: running, 3/7 steps"])))
        state.screenDrawn()
        #expect(state.screen.contains("Run 20261125T150000Z-abc123 was interrupted:"))
        #expect(state.screen.contains("node01: running, 3/7 steps"))
        #expect(state.press(.char("y")) == [.upgrade(.resumeInterrupted(runID: "20261125T150000Z-abc123"))])
    }
}
