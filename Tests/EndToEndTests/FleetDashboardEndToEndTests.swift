import Foundation
import Testing
import TestSupport

/// Issue 17, "Many clusters": `kubeskew --all-contexts` on a kubeconfig with two simulators (different versions)
/// and a context whose API server is gone, driven through tmux: the fleet view shows both clusters side by side,
/// `enter` opens one's live dashboard, `esc` comes back, `:ctx` switches to the other.
@Suite(.serialized)
struct FleetDashboardEndToEndTests {
    /// The fleet row of `context` (after the two-column cursor gutter).
    static func row(_ screen: String, _ context: String) -> String {
        screen.split(separator: "\n").map(String.init).first { $0.dropFirst(2).hasPrefix(context + " ") } ?? ""
    }

    static func header(_ screen: String) -> String {
        screen.split(separator: "\n").first.map(String.init) ?? ""
    }

    /// Runs `body` with two simulators (demo v1.33.3, staging v1.31.11) and a kubeconfig naming them and a gone
    /// cluster; both stopped after, whatever `body` does.
    static func withTwoClusters(_ body: (_ directory: URL, _ kubeconfig: String) async throws -> Void) async throws {
        let demo = try await SimProcess.start(arguments: ["--scenario", "demo"])
        defer { demo.stop() }
        let staging = try await SimProcess.start(arguments: ["--scenario", "removed-apis"])
        defer { staging.stop() }
        let refusing = try LoopbackPort.refusing()
        defer { withExtendedLifetime(refusing) {} }
        let closed = refusing.port
        let path = try FleetCheckEndToEndTests.mergedKubeconfig([("demo", demo), ("staging", staging)], closedPort: closed,
                                                                in: demo.directory)
        try await body(demo.directory, path)
    }

    @Test func fleetViewOpensAClusterReturnsAndSwitchesContexts() async throws {
        try await Self.withTwoClusters { _, path in
            let tmux = try await TmuxSession(["--all-contexts", "--kubeconfig", path], environment: ["SWIFT_BACKTRACE": "interactive=no"])
            defer { tmux.stop() }

            // Both clusters side by side, each with its own control-plane version; the gone one says why.
            let fleet = try await tmux.waitFor("both clusters read") { screen in
                Self.row(screen, "demo").contains("v1.33.3") && Self.row(screen, "staging").contains("v1.31.11")
                    && Self.row(screen, "gone").contains("unreachable")
            }
            #expect(Self.header(fleet).contains("fleet  3 clusters: 2 read · 1 unreachable"), "\(fleet)")
            #expect(Self.row(fleet, "demo").hasSuffix("unsupported"), "demo has a node outside the skew: \(fleet)")
            #expect(Self.row(fleet, "staging").contains("2025-11-11 past"), "\(fleet)")
            #expect(Self.row(fleet, "gone").contains("connection refused"), "\(fleet)")

            // enter on the second row: its live dashboard, its context in the header, its nodes.
            try await tmux.send("j", "Enter")
            let opened = try await tmux.waitFor("staging's dashboard") { $0.contains("◉ live") && $0.contains("node03") }
            #expect(Self.header(opened).contains("ctx staging") && Self.header(opened).contains("API v1.31.11"), "\(opened)")
            #expect(opened.contains("esc fleet"), "\(opened)")

            // esc: back to the fleet, as it was left (the cursor on staging).
            try await tmux.send("Escape")
            let back = try await tmux.waitFor("the fleet again") { Self.header($0).contains("fleet  3 clusters") }
            #expect(Self.row(back, "staging").hasPrefix("▸"), "\(back)")

            // :ctx from a cluster: the picker lists the kubeconfig's contexts, the current one marked.
            try await tmux.send("Enter")
            try await tmux.waitFor("staging again") { Self.header($0).contains("ctx staging") && $0.contains("◉ live") }
            try await tmux.type(":ctx")
            try await tmux.send("Enter")
            let picker = try await tmux.waitFor(text: "* staging  (current)")
            #expect(picker.contains("   demo") && picker.contains("   gone"), "\(picker)")
            try await tmux.send("k", "Enter")
            let switched = try await tmux.waitFor("demo's dashboard") {
                Self.header($0).contains("ctx demo") && $0.contains("◉ live") && $0.contains("node08")
            }
            #expect(Self.header(switched).contains("API v1.33.3"), "\(switched)")
            #expect(!switched.contains("v1.31.11"), "nothing of the cluster left is on screen: \(switched)")

            // :ctx NAME switches at once; a mistyped one is refused with the near names.
            try await tmux.type(":ctx stagin")
            try await tmux.send("Enter")
            try await tmux.waitFor(text: "did you mean \"staging\"")
            try await tmux.type(":ctx staging")
            try await tmux.send("Enter")
            try await tmux.waitFor("staging by name") { Self.header($0).contains("ctx staging") && $0.contains("◉ live") }

            // Back to the fleet; enter on the gone cluster shows why instead of opening it; q quits.
            try await tmux.send("Escape")
            try await tmux.waitFor("the fleet once more") { Self.header($0).contains("fleet  3 clusters") }
            try await tmux.send("G", "Enter")
            let reason = try await tmux.waitFor(text: "cannot open gone")
            #expect(reason.contains("connection refused"), "\(reason)")
            try await tmux.send("Escape", "q")
            #expect(try await tmux.waitForExit() == 0)
        }
    }
}

extension FleetDashboardEndToEndTests {
    /// The fleet view's mistakes are said before any screen opens, as `check --all-contexts` says them.
    @Test func fleetViewRefusesWhatItCannotShow() async throws {
        try await BinaryRunner.withTempDir { directory in
            let path = directory.appendingPathComponent("kubeconfig").path
            let yaml = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: a
              cluster:
                server: https://127.0.0.1:9
            users:
            - name: a
              user:
                token: nothing
            contexts:
            - name: alpha
              context:
                cluster: a
                user: a
            current-context: alpha

            """
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
            let both = try await BinaryRunner.run(["dashboard", "--all-contexts", "--context", "alpha", "--kubeconfig", path])
            #expect(both.status == 64 && both.stderr.contains("--context"), "\(both.stderr)")
            let typo = try await BinaryRunner.run(["--contexts", "alpha,alpah", "--kubeconfig", path])
            #expect(typo.status == 1, "\(typo.stderr)")
            #expect(typo.stderr == "kubeskew dashboard: no context \"alpah\" in the kubeconfig; its contexts: \"alpha\"\n", "\(typo.stderr)")
            // No terminal: said plainly, not a crash.
            let noTTY = try await BinaryRunner.run(["--all-contexts", "--kubeconfig", path])
            #expect(noTTY.status == 1, "\(noTTY.stderr)")
            #expect(noTTY.stderr.contains("needs a terminal"), "\(noTTY.stderr)")
        }
    }
}

extension FleetDashboardEndToEndTests {
    /// Safety across screens: a context opened from the fleet view (or with :ctx) takes its own section of the
    /// configuration file, never the settings of the context shown before. `contexts.staging.readOnly: true` must
    /// make staging's dashboard read-only, and demo's stays as the defaults say.
    @Test func eachContextOpenedTakesItsOwnConfigurationSection() async throws {
        try await Self.withTwoClusters { directory, path in
            let configHome = directory.appendingPathComponent("config-home")
            try FileManager.default.createDirectory(at: configHome.appendingPathComponent("kubeskew"), withIntermediateDirectories: true)
            try "contexts:\n  staging:\n    readOnly: true\n".write(to: configHome.appendingPathComponent("kubeskew/config.yaml"),
                                                                   atomically: true, encoding: .utf8)
            let tmux = try await TmuxSession(["--all-contexts", "--kubeconfig", path],
                                             environment: ["SWIFT_BACKTRACE": "interactive=no", "XDG_CONFIG_HOME": configHome.path])
            defer { tmux.stop() }
            try await tmux.waitFor("both clusters read") { Self.row($0, "demo").contains("v1.33.3") && Self.row($0, "staging").contains("v1.31.11") }

            try await tmux.send("j", "Enter")
            try await tmux.waitFor("staging's dashboard") { Self.header($0).contains("ctx staging") && $0.contains("◉ live") }
            try await tmux.send("?")
            let stagingHelp = try await tmux.waitFor(text: "read-only: cordon, uncordon, drain, upgrade and cluster upgrade are off")
            #expect(stagingHelp.contains("read-only"))
            try await tmux.send("Escape")

            // :ctx demo from the read-only cluster: demo has no section, so it is not read-only.
            try await tmux.type(":ctx demo")
            try await tmux.send("Enter")
            try await tmux.waitFor("demo's dashboard") { Self.header($0).contains("ctx demo") && $0.contains("◉ live") && $0.contains("node08") }
            try await tmux.send("?")
            let demoHelp = try await tmux.waitFor("demo's help") { $0.contains("esc") && $0.contains("cordon") && !$0.contains("node08") }
            #expect(!demoHelp.contains("read-only: cordon, uncordon"), "demo took staging's readOnly:\n\(demoHelp)")
            try await tmux.send("Escape", "Escape")
            try await tmux.waitFor("the fleet again") { Self.header($0).contains("fleet  3 clusters") }
            try await tmux.send("q")
            #expect(try await tmux.waitForExit() == 0)
        }
    }
}
