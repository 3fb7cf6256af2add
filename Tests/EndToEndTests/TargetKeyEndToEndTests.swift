import Foundation
import Testing
import TestSupport

/// Issue 12: `t` in the real dashboard offers the targets, and choosing one re-assesses the live cluster with it
/// (the TUI tells the CLI side, whose feed assesses with the chosen target from then on).
@Suite(.serialized)
struct TargetKeyEndToEndTests {
    @Test func choosingTheLatestPatchReassessesTheDemo() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-target-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let tmux = try await TmuxSession(["demo", "--speed", "0"], environment: ["XDG_STATE_HOME": state.path])
        defer { tmux.stop() }
        _ = try await tmux.waitFor(text: "◉ live")
        _ = try await tmux.waitFor(text: "target v1.33.3")

        try await tmux.send("t")
        let dialog = try await tmux.waitFor(text: "latest patch of 1.33")
        #expect(dialog.contains("the control plane's (kubeadm-config)  (in force)"), "\(dialog)")
        #expect(dialog.contains("next minor"), "\(dialog)")
        try await tmux.send("j")
        try await tmux.send("Enter")
        // cp-1 at v1.33.3 is behind the newer patch now: behind is measured against the target.
        let after = try await tmux.waitFor("re-assessed against v1.33.10", within: .seconds(120)) { screen in
            screen.contains("target v1.33.10") && screen.split(separator: "\n").contains { $0.contains(" cp-1 ") && $0.contains("patch-behind") }
        }
        #expect(after.contains("upgrade first: cp-1 v1.33.3 → v1.33.10 sudo kubeadm upgrade apply v1.33.10"), "\(after)")
    }
}
