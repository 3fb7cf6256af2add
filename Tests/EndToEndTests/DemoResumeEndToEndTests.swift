import Foundation
import Testing
import TestSupport

/// Runs that stop and runs that come back, driven by keys in tmux on `kubeskew demo` (issue 6): abort mid-run leaves
/// the journal right; quitting during a run and starting again offers the resume, which finishes on the cluster the
/// run left; declining the offer is remembered.
@Suite(.serialized)
struct DemoResumeEndToEndTests {
    /// Slow enough that a step after the drain is still running when the keys arrive on a busy machine (about 20 s
    /// for node02), fast enough for a test.
    static let speed = "0.3"

    /// A private XDG_STATE_HOME, removed at the end.
    final class StateHome: Sendable {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-resume-e2e-\(UUID().uuidString)")
        var path: String { url.path }
        var runs: URL { url.appendingPathComponent("kubeskew/demo/runs") }
        var savedCluster: URL { url.appendingPathComponent("kubeskew/demo/demo-cluster.json") }
        deinit { try? FileManager.default.removeItem(at: url) }

        /// The only run in the journal.
        func runID() throws -> String {
            let ids = try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { !$0.hasPrefix(".") }
            guard ids.count == 1, let id = ids.first else { throw DemoTmuxError(message: "expected one run in \(runs.path), found \(ids)") }
            return id
        }

        /// The run's state.json as JSON.
        func state(_ id: String) throws -> [String: Any] {
            let data = try Data(contentsOf: runs.appendingPathComponent(id).appendingPathComponent("state.json"))
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw DemoTmuxError(message: "state.json of \(id) is not an object")
            }
            return object
        }

        /// Waits until the run's state satisfies `condition` (the engine writes it as it goes).
        func waitForState(_ id: String, _ what: String, within limit: Duration = .seconds(30),
                          _ condition: ([String: Any]) -> Bool) async throws -> [String: Any] {
            let deadline = ContinuousClock.now + limit
            var last: [String: Any] = [:]
            while ContinuousClock.now < deadline {
                if let s = try? state(id) {
                    last = s
                    if condition(s) { return s }
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw DemoTmuxError(message: "timed out waiting for the journal: \(what); state was \(last)")
        }
    }

    func line(_ screen: String, _ needle: String) -> String {
        screen.split(separator: "\n").map(String.init).first { $0.contains(needle) } ?? ""
    }

    func startDemo(_ home: StateHome, speed: String = Self.speed) async throws -> DemoTmux {
        let tmux = try await DemoTmux(["demo", "--speed", speed], environment: ["XDG_STATE_HOME": home.path])
        _ = try await tmux.waitFor(text: "◉ live", within: .seconds(120))
        _ = try await tmux.waitFor(text: "node08", within: .seconds(120))
        return tmux
    }

    /// Marks node02 (a minor behind: 8 steps), reviews and confirms; returns once a step after the drain runs.
    func startNode02(_ tmux: DemoTmux) async throws {
        try await tmux.send("/")
        try await tmux.send("C-u")
        try await tmux.send("-l", "node02")
        try await tmux.send("Enter")
        try await tmux.waitFor("cursor on node02") { self.line($0, "▸").contains("node02") }
        try await tmux.send("Space")
        try await tmux.waitFor("node02 marked") { self.line($0, "node02 ").contains("●") }
        try await tmux.send("U")
        _ = try await tmux.waitFor(text: "y starts the upgrade of 1 node to v1.33.3", within: .seconds(120))
        try await tmux.send("y")
        _ = try await tmux.waitFor("a step after the drain running", within: .seconds(300)) { screen in
            screen.contains("✓ 4 drain") && screen.split(separator: "\n").contains { $0.contains("⟳ 5 ") || $0.contains("⟳ 6 ") }
        }
    }

    /// Quits a dashboard with no run in flight (answering the quit question when it asks), waits for the terminal
    /// to be restored and for the demo that drove the journal's run to end; returns the screen it leaves.
    func quitIdle(_ tmux: DemoTmux, _ home: StateHome) async throws -> String {
        try await tmux.send("Escape")
        try await tmux.send("q")
        let dashboardGone: (String) -> Bool = { !$0.contains("◉ live") && !$0.contains("NAME↓") }
        let after = try await tmux.waitFor("the quit question or the end", within: .seconds(120)) {
            $0.contains("Quit kubeskew?") || dashboardGone($0)
        }
        if after.contains("Quit kubeskew?") { try await tmux.send("y") }
        _ = try await tmux.waitFor("the terminal restored", within: .seconds(120), dashboardGone)
        try await waitForExit(home)
        return try await tmux.screen()
    }

    /// Waits until the demo that drove the journal's run has exited. (tmux may leave it a zombie for a while; the
    /// journal counts a zombie as gone, and so does this.)
    func waitForExit(_ home: StateHome) async throws {
        let id = try home.runID()
        let state = try home.state(id)
        guard let pid = (state["pid"] as? NSNumber)?.int32Value else { throw DemoTmuxError(message: "no pid in the journal of \(id)") }
        let deadline = ContinuousClock.now + .seconds(60)
        while Self.running(pid) {
            guard ContinuousClock.now < deadline else { throw DemoTmuxError(message: "the demo (pid \(pid)) did not exit") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Exists and is not a zombie.
    static func running(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let end = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: end)...].drop { $0 == " " }.first
        return state != "Z" && state != "X"
    }

    /// A first demo upgrades node02, is quit mid-run (answering yes) and has exited: the journal holds its aborted run.
    func leaveAnAbortedNode02Run(_ home: StateHome) async throws {
        let first = try await startDemo(home)
        defer { first.stop() }
        try await startNode02(first)
        try await first.send("q")
        _ = try await first.waitFor(text: "quit during a run")
        try await first.send("y")
        _ = try await first.waitFor(text: "node02: aborted", within: .seconds(60))
        try await waitForExit(home)
        first.stop()
    }

    func steps(_ state: [String: Any]) -> [[String: Any]] {
        ((state["nodes"] as? [[String: Any]])?.first?["steps"] as? [[String: Any]]) ?? []
    }

    func node(_ state: [String: Any]) -> [String: Any] { (state["nodes"] as? [[String: Any]])?.first ?? [:] }

    @Test func abortMidRunLeavesTheJournalRight() async throws {
        let home = StateHome()
        // Slower still: the abort must land while a step after the drain runs, and on a loaded CI machine the run's
        // last four steps once ended (8 s at 0.3) before the A key was read.
        let tmux = try await startDemo(home, speed: "0.08")
        defer { tmux.stop() }
        try await startNode02(tmux)
        try await tmux.send("A")
        _ = try await tmux.waitFor(text: "Abort the run?")
        try await tmux.send("y")
        let aborted = try await tmux.waitFor("node02 aborted", within: .seconds(120)) { $0.contains("── node02 ─") && $0.contains("ABORTED") }
        #expect(line(aborted, " node02 ").contains("aborted"), "the table shows it:\n\(aborted)")

        let id = try home.runID()
        let state = try await home.waitForState(id, "the run ended") { $0["endedAt"] is String }
        #expect(state["aborted"] as? Bool == true)
        #expect(node(state)["status"] as? String == "aborted")
        #expect(node(state)["cordonedByRun"] as? Bool == true, "drained, then aborted: left cordoned")
        let records = steps(state)
        #expect(records.map { $0["id"] as? String ?? "" } == ["h1-repository", "h1-install-kubeadm", "h1-upgrade-node", "h1-drain",
                                                              "h1-install-kubelet", "h1-restart-kubelet", "h1-wait-ready", "h1-uncordon"])
        #expect(records.prefix(4).allSatisfy { $0["state"] as? String == "done" }, "the steps before are done: \(records)")
        let stopped = try #require(records.firstIndex { $0["state"] as? String != "done" })
        #expect(stopped == 4 || stopped == 5, "a step after the drain was running: \(records)")
        #expect(records[stopped]["state"] as? String == "failed", "the running step is not done")
        #expect((records[stopped]["message"] as? String)?.hasPrefix("aborted by the operator") == true)
        #expect(records[(stopped + 1)...].allSatisfy { $0["state"] as? String == "pending" })

        // Once the demo is gone, history calls it what it is.
        let summary = try await quitIdle(tmux, home)
        #expect(summary.contains("node02: aborted"), "\(summary)")
        let history = try await BinaryRunner.run(["history"], environment: ["XDG_STATE_HOME": home.path])
        #expect(history.status == 0)
        #expect(history.stdout.contains("\(id)  aborted, resumable — the next kubeskew demo offers it"), "\(history.stdout)")
    }

    @Test func quitAndRestartOffersTheResumeAndItFinishes() async throws {
        let home = StateHome()
        let first = try await startDemo(home)
        defer { first.stop() }
        try await startNode02(first)
        try await first.send("q")
        // The whole dialog, not its title alone: a capture can catch the box half drawn.
        let dialog = try await first.waitFor("the quit dialog drawn") { $0.contains("quit during a run") && $0.contains("Quit anyway?") }
        #expect(dialog.contains("node02: stopped in"), "the dialog says where node02 stops:\n\(dialog)")
        try await first.send("y")
        let summary = try await first.waitFor("the quit summary", within: .seconds(60)) {
            $0.contains("node02: aborted") && $0.contains("demo cluster is saved in")
        }
        #expect(line(summary, "node02: aborted").contains("cordoned by the run"), "what node02 is left in:\n\(summary)")
        #expect(FileManager.default.fileExists(atPath: home.savedCluster.path))
        let attributes = try FileManager.default.attributesOfItem(atPath: home.savedCluster.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        try await waitForExit(home)
        first.stop()

        // The same XDG_STATE_HOME: the run is offered, on the cluster it left (node02 cordoned, half upgraded).
        let second = try await DemoTmux(["demo", "--speed", Self.speed], environment: ["XDG_STATE_HOME": home.path])
        defer { second.stop() }
        let offer = try await second.waitFor(text: "interrupted run", within: .seconds(60))
        #expect(offer.contains("node02: aborted, 4/8 steps") || offer.contains("node02: aborted, 5/8 steps"), "\(offer)")
        #expect(offer.contains("(the demo cluster is as the run left it)"))
        _ = try await second.waitFor("node02 still cordoned") { self.line($0, " node02 ").contains("cordoned") }
        try await second.send("y")
        let done = try await second.waitFor("node02 upgraded with every step done", within: .seconds(120)) { screen in
            screen.contains("── node02 ─ 8/8 done") && self.line(screen, " node02 ").contains("current")
        }
        for step in ["1 point the package repository", "2 install kubeadm 1.33.3", "3 kubeadm upgrade node", "4 drain",
                     "5 install kubelet and kubectl", "6 restart kubelet", "7 wait until Ready", "8 uncordon"] {
            #expect(done.split(separator: "\n").contains { $0.contains("✓ \(step)") }, "step \(step) done:\n\(done)")
        }
        _ = try await second.waitFor("node02 schedulable again") { !self.line($0, " node02 ").contains("cordoned") }
        let id = try home.runID()
        let state = try await home.waitForState(id, "the resumed run finished") { $0["endedAt"] is String }
        #expect(state["aborted"] as? Bool == false)
        #expect(node(state)["status"] as? String == "done")
        #expect(steps(state).allSatisfy { $0["state"] as? String == "done" || $0["state"] as? String == "skipped" })

        // Finished: nothing left to resume, so the saved cluster goes.
        _ = try await quitIdle(second, home)
        #expect(!FileManager.default.fileExists(atPath: home.savedCluster.path))
    }

    @Test func decliningTheOfferIsRememberedAndNotAskedAgain() async throws {
        let home = StateHome()
        try await leaveAnAbortedNode02Run(home)

        let second = try await DemoTmux(["demo", "--speed", Self.speed], environment: ["XDG_STATE_HOME": home.path])
        defer { second.stop() }
        _ = try await second.waitFor(text: "interrupted run", within: .seconds(60))
        try await second.send("n")
        let id = try home.runID()
        _ = try await second.waitFor(text: "will not be offered again")
        let state = try await home.waitForState(id, "the decline recorded") { $0["resumeDeclinedAt"] is String }
        #expect(state["aborted"] as? Bool == true, "declining changes nothing else")
        #expect(FileManager.default.fileExists(atPath: home.savedCluster.path), "saved by the first demo")
        _ = try await quitIdle(second, home)
        // A declined run keeps no cluster: the second demo deletes it on its way out.
        let deadline = ContinuousClock.now + .seconds(30)
        while FileManager.default.fileExists(atPath: home.savedCluster.path) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(!FileManager.default.fileExists(atPath: home.savedCluster.path))
        second.stop()

        // The next start does not ask; the run stays in the history, still resumable by hand.
        let third = try await DemoTmux(["demo", "--speed", Self.speed], environment: ["XDG_STATE_HOME": home.path])
        defer { third.stop() }
        _ = try await third.waitFor(text: "◉ live", within: .seconds(60))
        // The offer is posted before the first frame; help drawn after it means the inbox was read.
        try await third.send("?")
        let help = try await third.waitFor(text: "SKEW is the node's worst verdict")
        #expect(!help.contains("interrupted run"), "\(help)")
        let history = try await BinaryRunner.run(["history"], environment: ["XDG_STATE_HOME": home.path])
        #expect(history.stdout.contains("\(id)  aborted, resumable (offer declined)"), "\(history.stdout)")
    }

    /// Issue 11, finding 10: a `y` typed while the demo starts (here: before it even runs, so it waits in the
    /// terminal) must not answer the resume offer that appears with the first frame.
    @Test func typeAheadDoesNotAnswerTheResumeOffer() async throws {
        let home = StateHome()
        try await leaveAnAbortedNode02Run(home)
        let id = try home.runID()

        let second = try await DemoTmux(["demo", "--speed", Self.speed], environment: ["XDG_STATE_HOME": home.path])
        defer { second.stop() }
        try await second.send("y")
        // With the old code the y answered the offer in the pass that opened it: it was never on screen, and the
        // aborted run resumed.
        let offer = try await second.waitFor(text: "interrupted run", within: .seconds(60))
        #expect(offer.contains("node02: aborted"), "\(offer)")
        let state = try home.state(id)
        #expect(state["aborted"] as? Bool == true)
        #expect(state["resumeDeclinedAt"] == nil)
        // The operator answers what is in front of them.
        try await second.send("n")
        _ = try await second.waitFor(text: "will not be offered again")
        let after = try await second.screen()
        #expect(!after.contains("── node02 ─"), "no run pane: nothing resumed")
        _ = try await quitIdle(second, home)
    }

    // Gap (a): node06 was cordoned by an operator before the run; the review, the pane and the table say it stays so.
    @Test func nodeCordonedBeforeTheRunStaysCordoned() async throws {
        let home = StateHome()
        let tmux = try await DemoTmux(["demo", "--speed", "0"], environment: ["XDG_STATE_HOME": home.path])
        defer { tmux.stop() }
        _ = try await tmux.waitFor(text: "◉ live", within: .seconds(120))
        try await tmux.send("/")
        try await tmux.send("C-u")
        try await tmux.send("-l", "node06")
        try await tmux.send("Enter")
        try await tmux.waitFor("cursor on node06") { self.line($0, "▸").contains("node06") }
        #expect(line(try await tmux.screen(), " node06 ").contains("cordoned"))
        try await tmux.send("Space")
        try await tmux.send("U")
        let review = try await tmux.waitFor(text: "y starts the upgrade of 1 node to v1.33.3", within: .seconds(120))
        #expect(line(review, "uncordon (skipped)").contains("skipped: node06 was cordoned before the run; left cordoned"), "\(review)")
        try await tmux.send("y")
        let done = try await tmux.waitFor("node06 upgraded and still cordoned", within: .seconds(120)) { screen in
            screen.contains("── node06 ─ 7/7 done") && self.line(screen, " node06 ").contains("current")
        }
        #expect(line(done, " node06 ").contains("cordoned"), "\(done)")
        #expect(done.split(separator: "\n").contains { $0.contains("↷ 7 uncordon") && $0.contains("skipped") }, "\(done)")
        #expect(done.contains("uncordon skipped: node06 was cordoned before the run; left cordoned"), "\(done)")
        let id = try home.runID()
        let state = try await home.waitForState(id, "the run finished") { $0["endedAt"] is String }
        #expect(steps(state).last?["message"] as? String == "node06 was cordoned before the run; left cordoned")
    }
}
