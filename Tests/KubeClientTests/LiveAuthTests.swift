import Foundation
import KubeModel
import Simulator
import Testing

@testable import KubeClient

@Suite("exec credential plugins against the simulator")
struct LiveAuthTests {
    /// A plugin that prints the token found in `token.txt` next to it, records its environment and stdin, and
    /// counts its runs. `expiry` is printed as expirationTimestamp when given.
    func writePlugin(_ dir: TempDirectory, expiry: String? = nil, apiVersion: String = "client.authentication.k8s.io/v1")
        throws -> String
    {
        let expiryField = expiry.map { #","expirationTimestamp":"\#($0)""# } ?? ""
        let script = """
            #!/bin/sh
            here=$(dirname "$0")
            echo run >> "$here/runs.txt"
            printf '%s' "$KUBERNETES_EXEC_INFO" > "$here/exec-info.json"
            printf '%s' "$PLUGIN_GREETING" > "$here/env.txt"
            cat > "$here/stdin.txt"
            token=$(cat "$here/token.txt")
            printf '{"apiVersion":"\(apiVersion)","kind":"ExecCredential","status":{"token":"%s"\(expiryField)}}' "$token"
            """
        return try dir.write("bin/get-token", script, mode: 0o700)
    }

    func runs(_ dir: TempDirectory) -> Int {
        ((try? String(contentsOfFile: dir.file("bin/runs.txt"), encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    @Test func pluginTokenIsCachedAndRefreshedAfterA401() async throws {
        try await SimulatorHarness.with { sim, dir in
            try dir.write("bin/token.txt", sim.token)
            _ = try writePlugin(dir)
            // A relative command with a slash resolves against the kubeconfig's folder.
            let path = try SimulatorHarness.kubeconfig(sim, dir, user: """
                {exec: {apiVersion: client.authentication.k8s.io/v1, command: ./bin/get-token, interactiveMode: IfAvailable, provideClusterInfo: true, env: [{name: PLUGIN_GREETING, value: hello}]}}
                """)
            let config = try KubeconfigLoader.load(explicitPath: path, environment: [:])
            try await SimulatorHarness.withClient(config) { client in
                // Seven concurrent requests share one plugin run.
                let snapshot = try await ClusterSnapshotLoader.load(client)
                #expect(snapshot.nodes.count == 5)
                _ = try await client.version()
                #expect(runs(dir) == 1, "the credential is cached while it is valid")
                #expect(await client.execPluginRuns == 1)

                // The server stops accepting the token; the plugin now hands out the new one.
                let rotated = await sim.rotateToken()
                try dir.write("bin/token.txt", rotated)
                let nodes = try await client.listNodes()
                #expect(nodes.items.count == 5)
                #expect(runs(dir) == 2, "a 401 re-runs the plugin once and retries")
            }
            let info = try String(contentsOfFile: dir.file("bin/exec-info.json"), encoding: .utf8)
            #expect(info.contains(#""interactive":false"#))
            #expect(info.contains(sim.url))
            #expect(try String(contentsOfFile: dir.file("bin/env.txt"), encoding: .utf8) == "hello")
            #expect(try String(contentsOfFile: dir.file("bin/stdin.txt"), encoding: .utf8).isEmpty, "stdin is closed")
        }
    }

    @Test func expiredCredentialIsFetchedAgainBeforeTheNextRequest() async throws {
        try await SimulatorHarness.with { sim, dir in
            try dir.write("bin/token.txt", sim.token)
            _ = try writePlugin(dir, expiry: "2020-01-01T00:00:00Z", apiVersion: "client.authentication.k8s.io/v1beta1")
            let path = try SimulatorHarness.kubeconfig(sim, dir, user: """
                {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: \(dir.file("bin/get-token"))}}
                """)
            let config = try KubeconfigLoader.load(explicitPath: path, environment: [:])
            try await SimulatorHarness.withClient(config) { client in
                _ = try await client.version()
                _ = try await client.version()
                #expect(runs(dir) == 2)
            }
        }
    }

    @Test func pluginFailuresAreExplained() async throws {
        try await SimulatorHarness.with { sim, dir in
            try dir.write("bin/fail", "#!/bin/sh\necho 'error: \u{1B}[31mlogin required\u{1B}[0m' >&2\nexit 3\n", mode: 0o700)
            try dir.write("bin/slow", "#!/bin/sh\nsleep 300\n", mode: 0o700)
            // A generous plugin timeout except for the slow plugin: a busy machine must not turn failures into timeouts.
            func attempt(_ user: String, name: String, timeout: Duration = .seconds(20)) async throws -> KubeClientError? {
                let path = try SimulatorHarness.kubeconfig(sim, dir, user: user, name: name)
                let config = try KubeconfigLoader.load(explicitPath: path, environment: [:])
                var settings = SimulatorHarness.quickSettings
                settings.execTimeout = timeout
                return try await SimulatorHarness.withClient(config, settings: settings) { client in
                    do {
                        _ = try await client.version()
                        return nil
                    } catch let error as KubeClientError {
                        return error
                    }
                }
            }
            let failed = try await attempt(
                "{exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: \(dir.file("bin/fail"))}}", name: "a")
            #expect(failed?.description.contains("failed (exit status 3): error: login required") == true, "\(String(describing: failed))")

            let missing = try await attempt(
                "{exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: kubeskew-no-such-plugin, installHint: 'install it with brew'}}",
                name: "b")
            #expect(missing == .execPluginNotFound(user: "op", command: "kubeskew-no-such-plugin", installHint: "install it with brew"))

            let started = ContinuousClock.now
            let slow = try await attempt(
                "{exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: \(dir.file("bin/slow"))}}", name: "c",
                timeout: .seconds(1))
            #expect(slow == .execPluginTimedOut(user: "op", command: dir.file("bin/slow"), seconds: 1))
            #expect(ContinuousClock.now - started < .seconds(60), "the plugin is killed at the timeout, not left to run its 300 s")

            let interactive = try await attempt(
                "{exec: {apiVersion: client.authentication.k8s.io/v1, command: x, interactiveMode: Always}}", name: "d")
            #expect(interactive == .execPluginNeedsTerminal(user: "op", command: "x"))
        }
    }

    @Test func tokenFileIsReReadAfterA401() async throws {
        try await SimulatorHarness.with { sim, dir in
            let tokenPath = try dir.write("token", sim.token + "\n")
            let path = try SimulatorHarness.kubeconfig(sim, dir, user: "{tokenFile: token}")
            let config = try KubeconfigLoader.load(explicitPath: path, environment: [:])
            try await SimulatorHarness.withClient(config) { client in
                _ = try await client.version()
                let rotated = await sim.rotateToken()
                try Data(rotated.utf8).write(to: URL(fileURLWithPath: tokenPath))
                let nodes = try await client.listNodes()
                #expect(nodes.items.count == 5)
            }
        }
    }
}

@Suite("exec plugins that hand out client certificates")
struct LiveExecCertificateTests {
    @Test func pluginClientCertificateIsUsedForMutualTLS() async throws {
        try await SimulatorHarness.with { sim, dir in
            // The plugin prints a prepared ExecCredential carrying the simulator's admin certificate and key.
            let credential: [String: Any] = [
                "apiVersion": "client.authentication.k8s.io/v1beta1", "kind": "ExecCredential",
                "status": ["clientCertificateData": sim.pki.clientCertificatePEM, "clientKeyData": sim.pki.clientKeyPEM],
            ]
            let json = try JSONSerialization.data(withJSONObject: credential)
            try dir.write("credential.json", String(decoding: json, as: UTF8.self))
            let plugin = try dir.write("cert-plugin", "#!/bin/sh\ncat \"$(dirname \"$0\")/credential.json\"\n", mode: 0o700)
            let path = try SimulatorHarness.kubeconfig(
                sim, dir, user: "{exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: \(plugin)}}")
            let config = try KubeconfigLoader.load(explicitPath: path, environment: [:])
            try await SimulatorHarness.withClient(config) { client in
                let nodes = try await client.listNodes()
                #expect(nodes.items.count == 5)
                let again = try await client.getNode("node01")
                #expect(again.name == "node01")
                #expect(await client.execPluginRuns == 1)
            }
        }
    }
}
