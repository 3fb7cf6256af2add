import Foundation
import Testing
import TestSupport

/// `kubeskew demo` driven by keys in tmux, as a new user would: mark, U, review, confirm, watch it converge.
@Suite(.serialized)
struct DemoEndToEndTests {
    func line(_ screen: String, _ needle: String) -> String {
        screen.split(separator: "\n").map(String.init).first { $0.contains(needle) } ?? ""
    }

    /// Moves the cursor onto `node` with the filter, then clears the filter text (the cursor stays).
    func select(_ tmux: TmuxSession, _ node: String) async throws {
        try await tmux.send("/")
        try await tmux.send("C-u")
        try await tmux.send("-l", node)
        try await tmux.send("Enter")
        try await tmux.waitFor("cursor on \(node)") { screen in
            self.line(screen, "▸").contains(node)
        }
    }

    @Test func upgradeNode01ByKeyboard() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-demo-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let tmux = try await TmuxSession(["demo", "--speed", "0"], environment: ["XDG_STATE_HOME": state.path])
        defer { tmux.stop() }
        _ = try await tmux.waitFor(text: "◉ live")
        _ = try await tmux.waitFor(text: "node08")

        // The managed node cannot be marked for upgrade, and the screen says why.
        try await select(tmux, "ip-10-0-12-34")
        try await tmux.send("Space")
        let refused = try await tmux.waitFor(text: "cannot mark: ip-10-0-12-34.eu-west-1.compute.internal is managed")
        #expect(!line(refused, "ip-10-0-12-34").contains("●"))
        try await tmux.send("Escape")

        // node08's review shows the PodDisruptionBudget that blocks its drain.
        try await select(tmux, "node08")
        try await tmux.send("U")
        let review08 = try await tmux.waitFor(text: "upgrade plan: 1 node to v1.33.3", within: .seconds(120))
        #expect(review08.contains("[ ] pdb-allows-no-disruption shop/postgres-pdb"), "\(review08)")
        #expect(review08.contains("1 blocker to acknowledge before the run can start"))
        try await tmux.send("y")
        _ = try await tmux.waitFor(text: "acknowledge every blocker first")
        try await tmux.send("Escape")
        _ = try await tmux.waitFor(text: "upgrade cancelled; nothing was changed")

        // Mark node01, U, confirm, and watch it through every step.
        try await select(tmux, "node01")
        try await tmux.send("Space")
        try await tmux.waitFor("node01 marked") { self.line($0, "node01 ").contains("●") }
        try await tmux.send("U")
        let blocked = try await tmux.waitFor(text: "upgrade plan: 1 node to v1.33.3", within: .seconds(120))
        #expect(blocked.contains("[ ] emptydir-data default/cache-5b8f7c9d4-m3n8w"), "\(blocked)")
        try await tmux.send("Space")
        let review = try await tmux.waitFor(text: "y starts the upgrade of 1 node to v1.33.3")
        #expect(review.contains("$ kubectl --kubeconfig"), "control-plane commands are shown: \(review)")
        #expect(review.contains("upgrade node"))
        try await tmux.send("y")
        let done = try await tmux.waitFor("node01 current with every step done", within: .seconds(120)) { screen in
            // The run's end reaches the header a moment after the last step's tick: wait for both.
            screen.contains("── node01 ─ 7/7 done") && self.line(screen, " node01 ").contains("current")
                && screen.contains("run 1/1 nodes finished")
        }
        #expect(!done.contains("FAILED"))
        #expect(line(done, " node01 ").contains("✓ upgraded"))
        #expect(done.contains("run 1/1 nodes finished"), "\(done)")
        for step in ["install kubeadm 1.33.3", "kubeadm upgrade node", "drain", "restart kubelet", "uncordon"] {
            #expect(done.split(separator: "\n").contains { $0.contains("✓") && $0.contains(step) }, "step \(step) done:\n\(done)")
        }
        print("=== demo after node01's upgrade ===\n\(done)")
        // Quitting restores the terminal and leaves the run's summary behind.
        try await tmux.send("q")
        // The summary's last lines stay in view once the terminal is restored (its first line may scroll away).
        let after = try await tmux.waitFor(text: "node01: done, 7/7 steps, now v1.33.3", within: .seconds(90))
        #expect(after.contains("node01: done, 7/7 steps, now v1.33.3"), "\(after)")
        #expect(after.contains("The journal keeps the run"))
    }

    // Issue 6: mark every behind node, run two at a time; the PDB-blocked node fails at its drain with the reason,
    // stays cordoned until `u` uncordons it, and every other upgradable node ends current.
    @Test func everyBehindNodeTwoAtATimeAndThePDBBlockedNodeFailsCordoned() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-demo-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let tmux = try await TmuxSession(["demo", "--speed", "0", "--concurrency", "2", "--drain-timeout", "3"],
                                environment: ["XDG_STATE_HOME": state.path])
        defer { tmux.stop() }
        _ = try await tmux.waitFor(text: "◉ live")
        try await tmux.send("a")
        _ = try await tmux.waitFor(text: "● 7 marked")
        try await tmux.send("U")
        _ = try await tmux.waitFor(text: "2 blockers to acknowledge before the run can start", within: .seconds(120))
        // Space brings a blocker into view, then acknowledges it; two blockers (node01's emptyDir, node08's PDB).
        for _ in 0..<6 {
            let before = try await tmux.screen()
            if before.contains("y starts the upgrade of 7 nodes to v1.33.3") { break }
            try await tmux.send("Space")
            _ = try await tmux.waitFor("the review to change") { $0 != before }
        }
        _ = try await tmux.waitFor(text: "y starts the upgrade of 7 nodes to v1.33.3")
        try await tmux.send("y")
        let failed = try await tmux.waitFor("the run over with node08 failed", within: .seconds(120)) {
            $0.contains("run 6/7 nodes over 1 failed") && $0.contains("┌─ ✗ node08 failed")
        }
        #expect(failed.contains("drain of node08 failed (exit 1): a PodDisruptionBudget allows no disruption of"),
                "kubectl's reason is shown:\n\(failed)")
        #expect(failed.contains("shop/postgres-0; gave up after 3s"))
        #expect(failed.contains("node08 is left cordoned."))
        #expect(line(failed, " node08 ").contains("cordoned"))
        for node in ["node01", "node02", "node03", "node04", "node06", "node07"] {
            #expect(line(failed, " \(node) ").contains("current"), "\(node) is current:\n\(failed)")
        }
        print("=== demo after a run of every behind node ===\n\(failed)")
        try await tmux.send("Enter")
        _ = try await tmux.waitFor("the failure acknowledged") { !$0.contains("┌─ ✗ node08 failed") }
        try await tmux.send("u")
        _ = try await tmux.waitFor(text: "Uncordon node08?")
        try await tmux.send("y")
        _ = try await tmux.waitFor(text: "✓ node08 uncordoned")
        _ = try await tmux.waitFor("node08 schedulable again") { !self.line($0, " node08 ").contains("cordoned") }
    }

    // Issue 6: `r` drains with an options dialog and its own pane that ends with "drained" or the reason it did not.
    @Test func drainDialogThenTheOutcomeInItsOwnPane() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-demo-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let tmux = try await TmuxSession(["demo", "--speed", "0"], environment: ["XDG_STATE_HOME": state.path])
        defer { tmux.stop() }
        _ = try await tmux.waitFor(text: "◉ live")
        try await select(tmux, "node08")
        try await tmux.send("r")
        let dialog = try await tmux.waitFor(text: "kubectl drain NODE --ignore-daemonsets --timeout=300s")
        #expect(dialog.contains("[x] ignore DaemonSets"))
        #expect(dialog.contains("[ ] disable eviction"))
        // Up from "drain" is the timeout: 4 s, then drain.
        try await tmux.send("k")
        try await tmux.send("4")
        _ = try await tmux.waitFor(text: "kubectl drain NODE --ignore-daemonsets --timeout=4s")
        try await tmux.send("y")
        let failed = try await tmux.waitFor("node08's drain failed with the reason", within: .seconds(120)) {
            $0.contains("node08 ─ drain FAILED") && $0.contains("node08 not drained: a PodDisruptionBudget allows no")
        }
        #expect(failed.contains("$ kubectl drain node08 --ignore-daemonsets --timeout=4s"))
        #expect(failed.contains("evicting pod shop/postgres-0"))
        #expect(line(failed, " node08 ").contains("cordoned"))
        print("=== demo after a PDB-blocked drain ===\n\(failed)")
        // u on the pane uncordons it, in a pane of its own.
        try await tmux.send("u")
        _ = try await tmux.waitFor(text: "Uncordon node08?")
        try await tmux.send("y")
        _ = try await tmux.waitFor(text: "✓ node08 uncordoned")
        _ = try await tmux.waitFor("node08 schedulable again") { !self.line($0, " node08 ").contains("cordoned") }
        // A drain that can go through ends with "drained"; esc twice gives the table back.
        try await tmux.send("Escape")
        try await select(tmux, "node02")
        try await tmux.send("r")
        _ = try await tmux.waitFor(text: "kubectl drain NODE --ignore-daemonsets --timeout=300s")
        try await tmux.send("Enter")
        _ = try await tmux.waitFor(text: "✓ node02 drained", within: .seconds(120))
        _ = try await tmux.waitFor("node02 cordoned in the table") { self.line($0, " node02 ").contains("cordoned") }
        // esc: keys back to the table; esc: the filter `select` typed is cleared; esc: the finished panes close.
        for _ in 0..<3 { try await tmux.send("Escape") }
        _ = try await tmux.waitFor("the panes closed") { !$0.contains("node02 ─ drain done") }
    }

    // Issue 6's "done means": the PDB-blocked node too ends current by keyboard alone — its drain fails with the
    // reason, `r` drains it with eviction disabled (the budget is bypassed), `R` retries the step and the run ends.
    @Test func theBlockedDrainIsResolvedByKeyboardAndTheNodeEndsCurrent() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-demo-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let tmux = try await TmuxSession(["demo", "--speed", "0", "--drain-timeout", "3"], environment: ["XDG_STATE_HOME": state.path])
        defer { tmux.stop() }
        _ = try await tmux.waitFor(text: "◉ live")
        try await select(tmux, "node08")
        try await tmux.send("U")
        _ = try await tmux.waitFor(text: "1 blocker to acknowledge before the run can start", within: .seconds(120))
        try await tmux.send("Space")
        _ = try await tmux.waitFor(text: "y starts the upgrade of 1 node to v1.33.3")
        try await tmux.send("y")
        let failed = try await tmux.waitFor(text: "┌─ ✗ node08 failed", within: .seconds(120))
        #expect(failed.contains("r drains it with options (disable eviction bypasses a budget); R then retries the step."))
        try await tmux.send("Enter")
        try await tmux.send("Escape")
        try await tmux.send("r")
        _ = try await tmux.waitFor(text: "kubectl drain NODE --ignore-daemonsets --timeout=300s")
        // Up from "drain": timeout, grace period, disable eviction.
        for key in ["k", "k", "k", "Space"] { try await tmux.send(key) }
        _ = try await tmux.waitFor(text: "kubectl drain NODE --ignore-daemonsets --disable-eviction --timeout=300s")
        try await tmux.send("y")
        _ = try await tmux.waitFor(text: "✓ node08 drained", within: .seconds(120))
        try await tmux.send("R")
        // The table follows the cluster through its feed (a read a second): the row turns schedulable just after
        // the pane says done, so the test waits for both rather than reading the first capture that has the pane.
        let done = try await tmux.waitFor("node08 current and schedulable after the retry", within: .seconds(90)) { screen in
            self.line(screen, " node08 ").contains("current") && screen.contains("node08 ─ 7/7 done")
                && !self.line(screen, " node08 ").contains("cordoned") && screen.contains("run 1/1 nodes finished")
        }
        #expect(done.contains("run 1/1 nodes finished"))
    }
}
