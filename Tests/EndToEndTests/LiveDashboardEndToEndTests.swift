import Foundation
import Glibc
import Testing

/// `kubeskew dashboard` live against `kubeskew sim`: a node changed through kubectl appears without a key press,
/// and a simulator that goes away shows as stale.
@Suite(.serialized)
struct LiveDashboardEndToEndTests {
    @Test func nodeChangesAppearLiveAndAnOutageShowsAsStale() throws {
        let binary = DashboardEndToEndTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the binary first (swift build)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        let simOut = directory.appendingPathComponent("sim.out").path

        // The simulator on a free port (it picks one and says so).
        let sim = try Spawn.start([binary, "sim", "--scenario", "default", "--kubeconfig-out", kubeconfig],
                                  stdout: simOut, stderr: directory.appendingPathComponent("sim.err").path)
        var simRunning = true
        defer { if simRunning { Spawn.stop(sim) } }
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline,
              !((try? String(contentsOfFile: simOut, encoding: .utf8))?.contains("ready") ?? false) {
            usleep(50_000)
        }
        try #require((try? String(contentsOfFile: simOut, encoding: .utf8))?.contains("ready https://127.0.0.1:") == true)

        let command = "env LANG=C.UTF-8 TERM=xterm-256color SWIFT_BACKTRACE=interactive=no '\(binary)' dashboard"
            + " --kubeconfig '\(kubeconfig)'; echo KUBESKEW-EXIT=$?; sleep 300"
        let tmux = try TmuxSession(width: 120, height: 40, command: command)
        defer { tmux.stop() }

        let first = try tmux.waitFor("the live table", timeout: .seconds(20)) { $0.contains("◉ live") && $0.contains("node01") }
        try #require(first.ok)
        #expect(first.screen.contains("ctx sim"))
        #expect(DashboardEndToEndTests.row(first.screen, "node01").contains("patch-behind"))
        #expect(!DashboardEndToEndTests.row(first.screen, "node01").contains("cordoned"))

        // Cordon through the real kubectl: the watch brings it to the screen without a key press.
        let cordon = try Spawn.run(["kubectl", "--kubeconfig", kubeconfig, "cordon", "node01"])
        #expect(cordon.status == 0, "\(cordon.errors)")
        #expect(try tmux.waitFor("node01 cordoned", timeout: .seconds(15)) {
            DashboardEndToEndTests.row($0, "node01").contains("Ready,cordoned")
        }.ok)

        // The API server goes away: the last snapshot stays, marked stale with the reason.
        Spawn.stop(sim)
        simRunning = false
        let stale = try tmux.waitFor("stale", timeout: .seconds(20)) { $0.contains("stale since") }
        #expect(stale.ok)
        #expect(DashboardEndToEndTests.row(stale.screen, "node01").contains("Ready,cordoned"))

        try tmux.send("q")
        let after = try tmux.waitFor("exit", timeout: .seconds(10)) { $0.contains("KUBESKEW-EXIT=") }
        #expect(after.screen.contains("KUBESKEW-EXIT=0"))
    }
}
