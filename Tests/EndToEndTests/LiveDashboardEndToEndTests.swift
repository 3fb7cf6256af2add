import Foundation
import Testing
import TestSupport

/// `kubeskew dashboard` live against `kubeskew sim`: a node changed through kubectl appears without a key press,
/// a simulator that goes away shows as stale, and the screen recovers by itself when it is back.
@Suite(.serialized)
struct LiveDashboardEndToEndTests {
    @Test func nodeChangesAppearLiveAnOutageShowsAsStaleAndItRecovers() async throws {
        try await BinaryRunner.withTempDir { directory in
            // The simulator on a free port, keeping its certificates in a file for the restart.
            let pki = directory.appendingPathComponent("pki.json").path
            let arguments = ["--scenario", "default", "--pki-file", pki]
            let sim = try await SimProcess.start(arguments: arguments)
            defer { sim.stop() }
            let tmux = try await TmuxSession(["dashboard", "--kubeconfig", sim.kubeconfig.path],
                                             environment: ["SWIFT_BACKTRACE": "interactive=no"])
            defer { tmux.stop() }
            let row = DashboardEndToEndTests.row

            let first = try await tmux.waitFor("the live table", within: .seconds(120)) { $0.contains("◉ live") && $0.contains("node01") }
            #expect(first.contains("ctx sim"))
            #expect(row(first, "node01").contains("patch-behind"))
            #expect(!row(first, "node01").contains("cordoned"))

            // Cordon through the real kubectl: the watch brings it to the screen without a key press.
            let cordon = try await BinaryRunner.kubectl(["--kubeconfig", sim.kubeconfig.path, "cordon", "node01"])
            #expect(cordon.status == 0, "\(cordon.stderr)")
            try await tmux.waitFor("node01 cordoned", within: .seconds(120)) { row($0, "node01").contains("Ready,cordoned") }

            // The API server goes away: the last snapshot stays, marked stale with the reason.
            sim.stop()
            let stale = try await tmux.waitFor("stale", within: .seconds(120)) { $0.contains("stale since") }
            #expect(row(stale, "node01").contains("Ready,cordoned"))

            // The API server comes back on the same address with the same certificates (a fresh cluster state, so
            // node01 is no longer cordoned): the dashboard recovers by itself and shows the new truth.
            let port = try #require(URL(string: sim.url)?.port)
            let again = try await SimProcess.start(arguments: arguments, port: port)
            defer { again.stop() }
            let recovered = try await tmux.waitFor("live again", within: .seconds(120)) {
                $0.contains("◉ live") && !row($0, "node01").contains("cordoned")
            }
            #expect(!recovered.contains("stale since"))

            try await tmux.send("q")
            #expect(try await tmux.waitForExit(within: .seconds(120)) == 0)
        }
    }

    /// A kube-proxy rollout (the DaemonSet's image changed through kubectl) reaches the control-plane row without a
    /// key press: the feed follows the DaemonSet and lists the kube-proxy pods again when it moves.
    @Test func aKubeProxyRolloutReachesTheControlPlaneRow() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo"])
        defer { sim.stop() }
        let tmux = try await TmuxSession(["dashboard", "--kubeconfig", sim.kubeconfig.path],
                                         environment: ["SWIFT_BACKTRACE": "interactive=no"])
        defer { tmux.stop() }
        let first = try await tmux.waitFor("the live table", within: .seconds(120)) { $0.contains("◉ live") && $0.contains("node01") }
        #expect(first.contains("kube-proxy         v1.33.3   current"))
        let rollout = try await BinaryRunner.kubectl(["--kubeconfig", sim.kubeconfig.path, "-n", "kube-system", "set", "image",
                                                      "daemonset/kube-proxy", "kube-proxy=registry.k8s.io/kube-proxy:v1.33.4"])
        #expect(rollout.status == 0, "\(rollout.stderr)")
        // Newer than the API server: the policy says a component must never be.
        try await tmux.waitFor("kube-proxy v1.33.4 in the control-plane row", within: .seconds(120)) {
            $0.contains("kube-proxy         v1.33.4   newer-th")
        }
    }
}
