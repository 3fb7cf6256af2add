import Foundation
import Glibc
import Testing

/// `kubeskew dashboard` live against `kubeskew sim`: a node changed through kubectl appears without a key press,
/// a simulator that goes away shows as stale, and the screen recovers by itself when it is back.
@Suite(.serialized)
struct LiveDashboardEndToEndTests {
    @Test func nodeChangesAppearLiveAnOutageShowsAsStaleAndItRecovers() async throws {
        let binary = DashboardEndToEndTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the binary first (swift build)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        let simOut = directory.appendingPathComponent("sim.out").path
        let pki = directory.appendingPathComponent("pki.json").path

        // The simulator on a free port (it picks one and says so), keeping its certificates for the restart.
        var sim = try Spawn.start([binary, "sim", "--scenario", "default", "--kubeconfig-out", kubeconfig, "--pki-file", pki],
                                  stdout: simOut, stderr: directory.appendingPathComponent("sim.err").path)
        var simRunning = true
        defer { if simRunning { Spawn.kill9(sim) } }
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline,
              !((try? String(contentsOfFile: simOut, encoding: .utf8))?.contains("ready") ?? false) {
            try await Task.sleep(for: .milliseconds(50))
        }
        try #require((try? String(contentsOfFile: simOut, encoding: .utf8))?.contains("ready https://127.0.0.1:") == true)

        let command = "env LANG=C.UTF-8 TERM=xterm-256color SWIFT_BACKTRACE=interactive=no '\(binary)' dashboard"
            + " --kubeconfig '\(kubeconfig)'; echo KUBESKEW-EXIT=$?; sleep 300"
        let tmux = try TmuxSession(width: 120, height: 40, command: command)
        defer { tmux.stop() }

        let first = try await tmux.waitFor("the live table", timeout: .seconds(20)) { $0.contains("◉ live") && $0.contains("node01") }
        try #require(first.ok)
        #expect(first.screen.contains("ctx sim"))
        #expect(DashboardEndToEndTests.row(first.screen, "node01").contains("patch-behind"))
        #expect(!DashboardEndToEndTests.row(first.screen, "node01").contains("cordoned"))

        // Cordon through the real kubectl: the watch brings it to the screen without a key press.
        let cordon = try Spawn.run(["kubectl", "--kubeconfig", kubeconfig, "cordon", "node01"])
        #expect(cordon.status == 0, "\(cordon.errors)")
        #expect(try await tmux.waitFor("node01 cordoned", timeout: .seconds(15)) {
            DashboardEndToEndTests.row($0, "node01").contains("Ready,cordoned")
        }.ok)

        // The API server goes away: the last snapshot stays, marked stale with the reason.
        await Spawn.stop(sim)
        simRunning = false
        let stale = try await tmux.waitFor("stale", timeout: .seconds(20)) { $0.contains("stale since") }
        #expect(stale.ok)
        #expect(DashboardEndToEndTests.row(stale.screen, "node01").contains("Ready,cordoned"))

        // The API server comes back on the same address with the same certificates (a fresh cluster state, so
        // node01 is no longer cordoned): the dashboard recovers by itself and shows the new truth.
        let ready = try String(contentsOfFile: simOut, encoding: .utf8)
        let port = try #require(ready.split(separator: ":").last.map { String($0.prefix { $0.isNumber }) })
        let simOut2 = directory.appendingPathComponent("sim2.out").path
        sim = try Spawn.start([binary, "sim", "--scenario", "default", "--kubeconfig-out", kubeconfig, "--pki-file", pki, "--port", port],
                              stdout: simOut2, stderr: directory.appendingPathComponent("sim2.err").path)
        simRunning = true
        let recovered = try await tmux.waitFor("live again", timeout: .seconds(60)) {
            $0.contains("◉ live") && !DashboardEndToEndTests.row($0, "node01").contains("cordoned")
        }
        #expect(recovered.ok, "the dashboard recovers when the API server is back")
        #expect(!recovered.screen.contains("stale since"))

        try tmux.send("q")
        let after = try await tmux.waitFor("exit", timeout: .seconds(10)) { $0.contains("KUBESKEW-EXIT=") }
        #expect(after.screen.contains("KUBESKEW-EXIT=0"))
    }
}
