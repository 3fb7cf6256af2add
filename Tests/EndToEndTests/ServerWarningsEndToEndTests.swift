import Foundation
import Testing
import TestSupport

/// Issue 14: "The `Warning:` headers kubeskew's own requests receive are surfaced, never dropped." A scenario whose
/// server warns on the node list (as a real one warns on a deprecated version, `Warning: 299 - "…"`, KEP-1693):
/// `check` prints it on stderr as kubectl does, and the dashboard shows it.
@Suite(.serialized)
struct ServerWarningsEndToEndTests {
    static let text = "v1 Node is deprecated in v1.99+; use example.dev/v1 Node"

    /// The default scenario with a warning on every node list.
    static func scenario(in directory: URL) throws -> URL {
        let base = try String(contentsOf: BinaryRunner.repoRoot.appendingPathComponent("Assets/scenarios/default.yaml"), encoding: .utf8)
        let file = directory.appendingPathComponent("warning.yaml")
        try (base + "\n  - groupVersion: v1\n    resource: nodes\n    text: \"\(text)\"\n").write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func checkPrintsTheServersWarningAndTheDashboardShowsIt() async throws {
        try await BinaryRunner.withTempDir { dir in
            let sim = try await SimProcess.start(arguments: ["--scenario", try Self.scenario(in: dir).path])
            defer { sim.stop() }
            let check = try await BinaryRunner.run(["check", "--kubeconfig", sim.kubeconfig.path, "-o", "json"])
            #expect([0, 2, 3].contains(check.status), "\(check.stderr)")
            #expect(check.stderr.contains("Warning: \(Self.text)\n"), "\(check.stderr)")
            #expect(check.stderr.components(separatedBy: Self.text).count == 2, "said once, not once per request")

            let tmux = try await TmuxSession(["--kubeconfig", sim.kubeconfig.path, "--no-probe"],
                                             environment: ["XDG_STATE_HOME": dir.appendingPathComponent("state").path])
            defer { tmux.stop() }
            _ = try await tmux.waitFor(text: "◉ live")
            _ = try await tmux.waitFor(text: "the API server warns: \(Self.text)")
        }
    }
}
