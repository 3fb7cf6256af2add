import Foundation
import Testing
import TestSupport

/// Issue 12's "done": "tried as a new user would, the demo's end-of-life control plane can be taken to a supported
/// minor by keyboard alone" — `t` picks v1.35.9 (two hops), `C` reviews the cluster plan, `y` runs it, `y` again at
/// the pause before the second apply; the header's API version changes and every upgraded row ends current, without
/// EOL. node05 (NotReady) and node08 (its PodDisruptionBudget allows no disruption) are left out, said in the review.
@Suite(.serialized, .timeLimit(.minutes(8)))
struct DemoClusterUpgradeEndToEndTests {
    @Test func theDemoLeavesEndOfLifeByKeyboardAlone() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-demo-cluster-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let tmux = try await TmuxSession(["demo", "--speed", "0"], environment: ["XDG_STATE_HOME": state.path])
        defer { tmux.stop() }
        _ = try await tmux.waitFor(text: "◉ live")
        let first = try await tmux.waitFor(text: "cluster risk: EOL 1.33")
        #expect(first.contains("API v1.33.3"))

        try await tmux.send("t")
        _ = try await tmux.waitFor(text: "2 minors on")
        try await tmux.send("j", "j", "j")
        _ = try await tmux.waitFor(text: "▸v1.35.9")
        try await tmux.send("Enter")
        _ = try await tmux.waitFor(text: "target v1.35.9")

        try await tmux.send("C")
        let review = try await tmux.waitFor(text: "cluster upgrade plan:", within: .seconds(120))
        #expect(review.contains("control plane v1.33.3 → v1.35.9 (v1.34.9 → v1.35.9)"), "\(review)")
        // Acknowledge every blocker, one space at a time, each press waited on until the review took it: the count of
        // blockers left drops, or the blocker was first brought into view (a press on a frame drawn half-way would
        // take an acknowledgement back).
        func left(_ screen: String) -> Int? {
            guard let r = screen.range(of: #"[0-9]+ blockers? to acknowledge"#, options: .regularExpression) else { return nil }
            return Int(screen[r].prefix { $0.isNumber })
        }
        var screen = review
        for _ in 0..<40 where !screen.contains("y starts the cluster upgrade") {
            let before = left(screen)
            // A flash already on screen is the last press's: only a new one (or a new count) answers this press.
            let flashBefore = screen.contains("the blocker is now in view")
            try await tmux.send("Space")
            screen = try await tmux.waitFor("the review to take the key") { now in
                now.contains("y starts the cluster upgrade") || (left(now) != nil && left(now) != before)
                    || (!flashBefore && now.contains("the blocker is now in view"))
            }
        }
        #expect(screen.contains("y starts the cluster upgrade to v1.35.9"), "\(screen)")
        // Read the whole review: the nodes left out and why.
        try await tmux.send("G")
        let end = "kubeskew upgrade node08"
        for _ in 0..<40 where !screen.contains(end) {
            let before = screen
            try await tmux.send("PgDn")
            screen = try await tmux.waitFor("the review to scroll") { $0 != before || $0.contains(end) }
        }
        #expect(screen.contains("node05:") && screen.contains("NotReady (kubeskew could not tell"), "\(screen)")
        #expect(screen.contains("node08:") && screen.contains("its drain cannot pass: pdb-allows-no-disruption shop/postgres-pdb"), "\(screen)")

        try await tmux.send("y")
        let pause = try await tmux.waitFor(text: "Go on with kubeadm upgrade apply v1.35.9?", within: .seconds(240))
        #expect(pause.contains("API v1.34.9"), "\(pause)")
        try await tmux.send("y")
        _ = try await tmux.waitFor(text: "the cluster is at v1.35.9", within: .seconds(240))
        // The table follows the cluster through its watch: wait until it shows the upgraded rows (at --speed 0 the
        // run can end before the last events are drawn).
        let upgraded = ["cp-1", "node01", "node02", "node03", "node04", "node06", "node07"]
        let done = try await tmux.waitFor("every upgraded row at v1.35.9", within: .seconds(120)) { screen in
            let rows = screen.split(separator: "\n")
            return upgraded.allSatisfy { node in rows.contains { $0.contains(" \(node) ") && $0.contains("current") } }
        }
        #expect(done.contains("API v1.35.9"), "\(done)")
        #expect(!done.contains("cluster risk: EOL"), "\(done)")
        let rows = done.split(separator: "\n").map(String.init)
        for node in upgraded {
            let row = try #require(rows.first { $0.contains(" \(node) ") }, "\(done)")
            #expect(row.contains("v1.35.9") && row.contains("current") && !row.contains("EOL"), "\(row)")
        }
        for node in ["node05", "node08"] {
            let row = try #require(rows.first { $0.contains(" \(node) ") })
            #expect(row.contains("v1.33.") && row.contains("EOL"), "left out, still at end of life: \(row)")
        }
    }
}
