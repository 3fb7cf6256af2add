import Foundation
import Testing
import TestSupport

/// Issue 16, security posture: "Journal, logs and caches 0600 in 0700 folders; no token, key or password in any log,
/// journal, screen or crash output (test: scan every output after runs that used a token, a client certificate, an
/// exec plugin …)."
@Suite(.serialized)
struct SecretsStayOutEndToEndTests {
    @Test func runsWithATokenACertificateAndAnExecPluginLeaveNoSecretAndNothingReadableByOthers() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let kubeconfig = try String(contentsOf: sim.kubeconfig, encoding: .utf8)
        let token = try #require(kubeconfig.firstMatch(of: /token: *"?([A-Za-z0-9._\-]+)"?/)?.1)
        let keyData = try #require(kubeconfig.firstMatch(of: /client-key-data: *"?([A-Za-z0-9+\/=]+)"?/)?.1)
        let pem = try #require(Data(base64Encoded: String(keyData)).map { String(decoding: $0, as: UTF8.self) })
        // The key's body lines, as they would appear if the PEM were ever written out.
        let keyLines = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") && $0.count > 16 }.map(String.init)
        #expect(!keyLines.isEmpty)

        let dir = sim.directory
        // An exec credential plugin that hands out the token user's token.
        let plugin = dir.appendingPathComponent("credential-plugin")
        try """
            #!/bin/sh
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}' '\(token)'
            """.write(to: plugin, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: plugin.path)
        let withPlugin = kubeconfig.replacingOccurrences(of: "    token: \(token)", with: """
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: \(plugin.path)
                  interactiveMode: Never
            """)
        #expect(withPlugin != kubeconfig, "the token user was turned into an exec plugin user")
        let pluginConfig = dir.appendingPathComponent("plugin.kubeconfig")
        try withPlugin.write(to: pluginConfig, atomically: true, encoding: .utf8)

        let state = dir.appendingPathComponent("state")
        let log = dir.appendingPathComponent("kubeskew.log")
        var outputs: [String] = []
        for (node, config, context) in [("node01", sim.kubeconfig.path, "sim"),          // client certificate
                                        ("node02", sim.kubeconfig.path, "sim-token"),    // bearer token
                                        ("node03", pluginConfig.path, "sim-token")] {    // exec plugin
            let r = try await BinaryRunner.run(["upgrade", node, "--yes", "--accept-blockers", "--executor", "simulated",
                                                "--kubeconfig", config, "--context", context, "--log-file", log.path, "-vv"],
                                               environment: ["XDG_STATE_HOME": state.path, "XDG_CACHE_HOME": dir.appendingPathComponent("cache").path],
                                               timeout: 180)
            outputs.append(r.stdout + r.stderr)
            #expect(r.status == 0, "\(node) via \(context): \(r.stdout)\n\(r.stderr)")
        }
        let history = try await BinaryRunner.run(["history"], environment: ["XDG_STATE_HOME": state.path])
        outputs.append(history.stdout + history.stderr)

        var scanned = 0
        func scan(_ text: String, _ what: String) {
            scanned += 1
            #expect(!text.contains(token), "\(what) holds the bearer token")
            #expect(!text.contains(keyData.prefix(40)), "\(what) holds the client key (base64)")
            for line in keyLines { #expect(!text.contains(line), "\(what) holds the client key (PEM)") }
        }
        for (i, text) in outputs.enumerated() { scan(text, "the terminal output of command \(i + 1)") }
        scan(try String(contentsOf: log, encoding: .utf8), "the log file")

        // Every file kubeskew wrote is the operator's alone: files 0600, folders 0700, from kubeskew's own folder down.
        let fm = FileManager.default
        for root in [state.appendingPathComponent("kubeskew"), dir.appendingPathComponent("cache/kubeskew")] where fm.fileExists(atPath: root.path) {
            let rootMode = try fm.attributesOfItem(atPath: root.path)[.posixPermissions] as? Int
            #expect(rootMode == 0o700, "\(root.path) is \(String(rootMode ?? 0, radix: 8))")
            let walker = try #require(fm.enumerator(atPath: root.path))
            for case let relative as String in walker {
                let path = root.appendingPathComponent(relative).path
                let attributes = try fm.attributesOfItem(atPath: path)
                let mode = attributes[.posixPermissions] as? Int ?? 0
                if attributes[.type] as? FileAttributeType == .typeDirectory {
                    #expect(mode == 0o700, "\(path) is \(String(mode, radix: 8)), not 0700")
                } else {
                    #expect(mode == 0o600, "\(path) is \(String(mode, radix: 8)), not 0600")
                    scan(try String(decoding: Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self), path)
                }
            }
        }
        let logMode = try fm.attributesOfItem(atPath: log.path)[.posixPermissions] as? Int
        #expect(logMode == 0o600)
        #expect(scanned > 8, "the journal was scanned (\(scanned) outputs)")
    }
}
