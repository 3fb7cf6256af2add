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
