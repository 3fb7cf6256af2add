import Foundation
import Testing
import TestSupport

/// Issue 13 on the real binary at 80×24: the mission's columns and `U` are on screen, and node08's details list the
/// PodDisruptionBudget-protected `shop/postgres-0` that blocks its drain (read from the cluster when details open).
@Suite(.serialized)
struct DemoLayoutEndToEndTests {
    @Test func at80x24TheTableKeepsKubeadmAndDetailsListEveryPod() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-demo-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let tmux = try await TmuxSession(["demo", "--speed", "0"], environment: ["XDG_STATE_HOME": state.path],
                                         width: 80, height: 24)
        defer { tmux.stop() }
        let table = try await tmux.waitFor(text: "◉ live")
        let header = table.split(separator: "\n").first { $0.contains("NAME") } ?? ""
        #expect(header.contains("KUBELET") && header.contains("KUBEADM"), "\(header)")
        #expect(table.split(separator: "\n").last?.contains("U upgrade") == true)
        try await tmux.send("/")
        try await tmux.send("-l", "node08")
        try await tmux.send("Enter")
        try await tmux.send("Enter")
        _ = try await tmux.waitFor(text: "node node08")
        // The pods are read when details open: G again once they are in, so the end of the list is on screen.
        try await tmux.send("G")
        _ = try await tmux.waitFor(text: "1 blocking a drain)")
        try await tmux.send("G")
        let pods = try await tmux.waitFor(text: "shop/postgres-0")
        #expect(pods.contains("blocks a drain: PodDisruptionBudget"))
    }
}
