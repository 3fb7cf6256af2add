import Foundation
import Testing
import TestSupport

/// Issue 16, the terminal: "resize storms while output streams; a 1×1 terminal". The window is resized fifty times,
/// down to 1×1 and up to 250×70, while a node's upgrade streams into its pane: the dashboard must neither crash nor
/// lose the run, and once the size settles it draws the whole screen again, the run done.
@Suite(.serialized)
struct ResizeStormEndToEndTests {
    static func line(_ screen: String, _ needle: String) -> String {
        screen.split(separator: "\n").map(String.init).first { $0.contains(needle) } ?? ""
    }

    @Test func aResizeStormDuringARunLosesNothing() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-resize-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        // Slow node shells: the run's steps stream for the whole storm.
        let tmux = try await TmuxSession(["demo", "--speed", "0.3"], environment: ["XDG_STATE_HOME": state.path])
        defer { tmux.stop() }
        try await tmux.waitFor(text: "node08")
        try await tmux.send("/")
        try await tmux.send("-l", "node01")
        try await tmux.send("Enter")
        try await tmux.waitFor("cursor on node01") { Self.line($0, "▸").contains("node01") }
        try await tmux.send("Space")
        try await tmux.send("U")
        try await tmux.waitFor(text: "upgrade plan: 1 node to v1.33.3")
        try await tmux.send("Space")
        try await tmux.waitFor(text: "y starts the upgrade of 1 node to v1.33.3")
        try await tmux.send("y")
        try await tmux.waitFor(text: "── node01 ─")

        var random = SystemRandomNumberGenerator()
        let sizes = [(1, 1), (2, 1), (10, 3), (40, 10), (250, 70), (80, 24), (30, 100)]
        for i in 0..<50 {
            let (w, h) = i % 7 == 0 ? sizes[i % sizes.count] : (Int.random(in: 1...250, using: &random), Int.random(in: 1...70, using: &random))
            try await tmux.resize(width: w, height: h)
        }
        try await tmux.resize(width: 120, height: 40)
        let done = try await tmux.waitFor("the run finished, drawn whole at 120×40", within: .seconds(300)) { screen in
            // The table follows the cluster (the watch survived the storm): node01 current and schedulable.
            screen.contains("── node01 ─ 7/7 done") && screen.contains("run 1/1 nodes finished")
                && Self.line(screen, " node01 ").contains("current") && !Self.line(screen, " node01 ").contains("cordoned")
        }
        let rows = done.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(rows.count >= 40 && rows[0].contains("kubeskew") && rows.contains { $0.contains("── control plane ──") },
                "the whole screen is drawn again:\n\(done)")
        try await tmux.send("q")
        #expect(try await tmux.waitForExit() == 0)
    }
}
