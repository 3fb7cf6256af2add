import Foundation
import TestSupport
import Testing
@testable import KubeskewCLI

/// Issue 17: `--log-file` records the API requests, and never the credential that authorised them.
struct LogFileTests {
    @Test func checkLogsEachRequestAndNotTheBearerToken() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "default"])
        defer { sim.stop() }
        let kubeconfig = try String(contentsOf: sim.kubeconfig, encoding: .utf8)
        let token = try #require(kubeconfig.firstMatch(of: /token: *"?([A-Za-z0-9._\-]+)"?/)?.1)
        try await BinaryRunner.withTempDir { dir in
            let log = dir.appendingPathComponent("kubeskew.log")
            let r = try await BinaryRunner.run(["check", "--kubeconfig", sim.kubeconfig.path, "--context", "sim-token",
                                                "--log-file", log.path, "-v"], timeout: 120)
            #expect([0, 1, 2, 3, 4].contains(r.status), "\(r.stderr)")
            let text = try String(contentsOf: log, encoding: .utf8)
            #expect(text.contains("GET /api/v1/nodes 200"), "\(text)")
            #expect(!text.contains(token))
            #expect(!text.lowercased().contains("authorization"))
            #expect(r.stderr.isEmpty || !r.stderr.contains("GET /api"), "the log reached the terminal")
            let mode = try FileManager.default.attributesOfItem(atPath: log.path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
    }

    /// "Logging: `--log-file` and `-v`/`-vv` through swift-log": node commands too, each with its node, the executor
    /// that reached it, the command as typed and how it ended.
    @Test func upgradeLogsEveryNodeCommandWithItsNodeAndExit() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        try await BinaryRunner.withTempDir { dir in
            let log = dir.appendingPathComponent("kubeskew.log")
            let env = ["XDG_STATE_HOME": dir.appendingPathComponent("state").path]
            let r = try await BinaryRunner.run(["upgrade", "node01", "--yes", "--accept-blockers", "--executor", "simulated",
                                                "--kubeconfig", sim.kubeconfig.path, "--context", "sim",
                                                "--log-file", log.path, "-v"], environment: env, timeout: 180)
            #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
            let text = try String(contentsOf: log, encoding: .utf8)
            let nodeLines = text.split(separator: "\n").filter { $0.contains("kubeskew.node:") }
            // The node's own steps, through the simulated executor, with sudo shown and their exit.
            #expect(nodeLines.contains { $0.contains("node01 via simulated: sudo") && $0.contains("kubeadm upgrade node") && $0.contains("exit 0") },
                    "\(text)")
            // The drain and uncordon run here, through kubectl.
            #expect(nodeLines.contains { $0.contains("via local:") && $0.contains("drain node01") && $0.contains("exit 0") }, "\(text)")
            #expect(nodeLines.allSatisfy { $0.firstMatch(of: /(exit -?[0-9]+|timed out|killed by signal [0-9]+|cancelled|could not run:.*) [0-9]+ms$/) != nil },
                    "every line says how the command ended and how long it took:\n\(nodeLines.joined(separator: "\n"))")
            #expect(!r.stdout.contains("kubeskew.node") && !r.stderr.contains("kubeskew.node"), "the log reached the terminal")
        }
    }

    @Test func verboseWithoutAFileIsRefused() async throws {
        let r = try await BinaryRunner.run(["check", "--from-dump", BinaryRunner.fixture("dump-v1.33.3"), "-v"])
        #expect(r.status == 64)
        #expect(r.stderr == "kubeskew check: -v needs --log-file FILE: the log is written to a file only\n")
    }

    @Test func levelsFollowTheVs() throws {
        #expect(try LoggingOptions.parse([]).level == .notice)
        #expect(try LoggingOptions.parse(["-v"]).level == .info)
        #expect(try LoggingOptions.parse(["-vv"]).level == .debug)
    }
}
