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
        // "kubeskew demo at 80×24 shows a kubeadm version on every kubeadm-managed row": the nodes are asked as the
        // demo opens (the managed EKS node shows -). The rows follow a snapshot read each second.
        let rows = ["cp-1", "node01", "node02", "node03", "node04", "node05", "node06", "node07", "node08"]
        let probed = try await tmux.waitFor("a kubeadm version on every kubeadm row", within: .seconds(120)) { screen in
            rows.allSatisfy { Self.kubeadmCell(screen, $0)?.hasPrefix("v1.") == true }
        }
        // node07: kubelet v1.33.1, kubeadm v1.33.3 ahead of it.
        #expect(Self.kubeadmCell(probed, "node07") == "v1.33.3", "\(probed)")
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

    /// The KUBEADM cell of `node`'s row, read under the column's title; nil when either is not on screen.
    static func kubeadmCell(_ screen: String, _ node: String) -> String? {
        let lines = screen.split(separator: "\n").map { Array(String($0)) }
        guard let header = lines.first(where: { String($0).contains("KUBEADM") }),
              let row = lines.first(where: { $0.split(separator: " ").prefix(2).contains { String($0) == node } }) else { return nil }
        let title = Array("KUBEADM")
        guard let offset = (0...(header.count - title.count)).first(where: { Array(header[$0..<($0 + title.count)]) == title }),
              offset < row.count else { return nil }
        return String(row[offset...].prefix(8)).trimmingCharacters(in: .whitespaces)
    }
}
