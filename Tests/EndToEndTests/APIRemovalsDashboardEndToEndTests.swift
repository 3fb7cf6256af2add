import Foundation
import Testing
import TestSupport

/// Issue 14's "done": "tried as a new user would, on the v1.31 scenario, the cluster plan to v1.32 stops on the three
/// removed APIs with who uses them and what to use instead, before anything runs" — in the dashboard, by keyboard.
/// Then the run keeps the target it was reviewed with: next-minor is v1.32 to the end, not v1.33 once the control
/// plane is at v1.32 (a relative target re-resolved after the hop took a headless run from v1.31 to v1.37).
@Suite(.serialized, .timeLimit(.minutes(6)))
struct APIRemovalsDashboardEndToEndTests {
    static func left(_ screen: String) -> Int? {
        guard let r = screen.range(of: #"[0-9]+ blockers? to acknowledge"#, options: .regularExpression) else { return nil }
        return Int(screen[r].prefix { $0.isNumber })
    }

    @Test func theClusterReviewHoldsTheThreeRemovedAPIsThenTheRunStopsAtV132() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "removed-apis", "--speed", "0"])
        defer { sim.stop() }
        let state = sim.directory.appendingPathComponent("state")
        let tmux = try await TmuxSession(["--kubeconfig", sim.kubeconfig.path, "--executor", "simulated", "--target", "next-minor"],
                                         environment: ["XDG_STATE_HOME": state.path])
        defer { tmux.stop() }
        _ = try await tmux.waitFor(text: "◉ live")
        _ = try await tmux.waitFor(text: "target v1.32.")
        // Before any plan: the control-plane line counts them (a background scan), and every node's details list them.
        _ = try await tmux.waitFor(text: "3 removed APIs in use · upgrade first: cp-1")
        try await tmux.send("Enter")
        _ = try await tmux.waitFor(text: "API versions in use that the hop 1.31 → 1.32 removes or deprecates")
        try await tmux.send("G")
        let details = try await tmux.waitFor(text: "a client called it (apiserver_requested_deprecated_apis on cp-1)")
        #expect(details.contains("flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema: removed in 1.32; use"), "\(details)")
        try await tmux.send("Escape")
        _ = try await tmux.waitFor("the details closed") { !$0.contains("┌─ node ") }
        try await tmux.send("C")
        var screen = try await tmux.waitFor(text: "3 blockers to acknowledge before the run can start")
        #expect(screen.contains("API versions the hop 1.31 → 1.32 removes, looked for in: /metrics of 1 API server"), "\(screen)")
        // Each blocker brought into view and read before it is acknowledged, one key at a time.
        var seen = ""
        for _ in 0..<12 where !screen.contains("y starts the cluster upgrade") {
            let before = Self.left(screen)
            let flashBefore = screen.contains("the blocker is now in view")
            try await tmux.send("Space")
            screen = try await tmux.waitFor("the review to take the key") { now in
                now.contains("y starts the cluster upgrade") || (Self.left(now) != nil && Self.left(now) != before)
                    || (!flashBefore && now.contains("the blocker is now in view"))
            }
            seen += screen
        }
        let flat = seen.replacingOccurrences(of: "│", with: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flat.contains("removed-api-in-use extensions/v1beta1 Ingress"), "\(seen)")
        #expect(flat.contains("use networking.k8s.io/v1 (since 1.19): last applied: Ingress shop/storefront"), "\(flat)")
        #expect(flat.contains("removed-api-in-use policy/v1beta1 PodDisruptionBudget"))
        #expect(flat.contains("Helm release monitoring/legacy-exporter (revision 3): PodDisruptionBudget legacy-exporter"), "\(flat)")
        #expect(flat.contains("removed-api-in-use flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema"))
        #expect(flat.contains("a client called it (apiserver_requested_deprecated_apis on cp-1)"), "\(flat)")
        #expect(screen.contains("y starts the cluster upgrade to v1.32."), "\(screen)")
        // Nothing ran while the review was open.
        let untouched = try await BinaryRunner.kubectl(["--kubeconfig", sim.kubeconfig.path, "get", "nodes", "-o", "jsonpath={.items[*].status.nodeInfo.kubeletVersion}"])
        #expect(!untouched.stdout.contains("v1.32"), "\(untouched.stdout)")

        try await tmux.send("y")
        let done = try await tmux.waitFor("the run over, the cluster at v1.32", within: .seconds(240)) {
            $0.contains("the cluster is at v1.32.") || $0.contains("Go on with kubeadm upgrade apply")
        }
        #expect(done.contains("target v1.32."), "the table keeps the run's target:\n\(done)")
        #expect(!done.contains("Go on with kubeadm upgrade apply v1.33"), "\(done)")
        let kubelets = try await BinaryRunner.kubectl(["--kubeconfig", sim.kubeconfig.path, "get", "nodes", "-o", "jsonpath={.items[*].status.nodeInfo.kubeletVersion}"])
        #expect(kubelets.stdout.split(separator: " ").allSatisfy { $0.hasPrefix("v1.32.") }, "\(kubelets.stdout)")
    }
}
