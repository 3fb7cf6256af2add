import Foundation
import Testing
import TestSupport

/// The guided upgrade on a live cluster (`kubeskew --kubeconfig …`), not only in the demo: here against a separate
/// `kubeskew sim` whose node shells the `simulated` executor reaches through the API.
@Suite(.serialized)
struct LiveGuidedUpgradeEndToEndTests {
    func line(_ screen: String, _ needle: String) -> String {
        screen.split(separator: "\n").map(String.init).first { $0.contains(needle) } ?? ""
    }

    @Test func upgradeNode01FromTheLiveDashboard() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let state = sim.directory.appendingPathComponent("state")
        let tmux = try await TmuxSession(["--kubeconfig", sim.kubeconfig.path, "--executor", "simulated"], environment: ["XDG_STATE_HOME": state.path])
        defer { tmux.stop() }
        _ = try await tmux.waitFor(text: "◉ live")
        try await tmux.send("/")
        try await tmux.send("-l", "node01")
        try await tmux.send("Enter")
        try await tmux.waitFor("cursor on node01") { self.line($0, "▸").contains("node01") }
        try await tmux.send("U")
        _ = try await tmux.waitFor(text: "[ ] emptydir-data default/cache-5b8f7c9d4-m3n8w", within: .seconds(120))
        try await tmux.send("Space")
        _ = try await tmux.waitFor(text: "y starts the upgrade of 1 node to v1.33.3")
        try await tmux.send("y")
        let done = try await tmux.waitFor("node01 current with every step done", within: .seconds(120)) { screen in
            // The run's end reaches the header a moment after the last step's tick: wait for both.
            screen.contains("── node01 ─ 7/7 done") && self.line(screen, " node01 ").contains("current")
                && screen.contains("run 1/1 nodes finished")
        }
        #expect(done.contains("run 1/1 nodes finished"), "\(done)")
        try await tmux.send("q")
        // The summary's last lines stay in view once the terminal is restored (its first line may scroll away).
        let after = try await tmux.waitFor(text: "node01: done, 7/7 steps, now v1.33.3", within: .seconds(90))
        #expect(after.contains("node01: done, 7/7 steps, now v1.33.3"), "\(after)")
        // The run is in the operator's journal.
        let history = try await BinaryRunner.run(["history"], environment: ["XDG_STATE_HOME": state.path])
        #expect(history.stdout.contains("done  node01 done"), "\(history.stdout)")
    }
}
