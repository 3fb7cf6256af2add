import Foundation
import Testing
import TestSupport

/// Issue 17, "Configuration": the built binary reads `$XDG_CONFIG_HOME/kubeskew/config.yaml` (a temporary one here,
/// never the operator's), says where each value came from, and the file changes what the commands do.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ConfigEndToEndTests {
    /// A kubeconfig with two contexts and `prod` current; `config` reads only its names (no cluster is reached).
    static let kubeconfig = """
    apiVersion: v1
    kind: Config
    current-context: prod
    clusters:
    - name: c
      cluster: {server: "https://127.0.0.1:1"}
    users:
    - name: u
      user: {}
    contexts:
    - name: prod
      context: {cluster: c, user: u}
    - name: dev
      context: {cluster: c, user: u}

    """

    static let file = """
    defaults:
      ssh: { user: ops, port: 2222 }
      concurrency: 2
    contexts:
      prod:
        readOnly: true
        concurrency: 1

    """

    /// A temporary XDG_CONFIG_HOME holding `text` as kubeskew/config.yaml, and a kubeconfig beside it.
    static func withConfig<T>(_ text: String, _ body: (_ environment: [String: String], _ kubeconfig: String, _ dir: URL) async throws -> T) async throws -> T {
        try await BinaryRunner.withTempDir { dir in
            let folder = dir.appendingPathComponent("xdg/kubeskew")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: folder.appendingPathComponent("config.yaml"))
            let kubeconfig = dir.appendingPathComponent("kubeconfig")
            try Data(Self.kubeconfig.utf8).write(to: kubeconfig)
            return try await body(["XDG_CONFIG_HOME": dir.appendingPathComponent("xdg").path], kubeconfig.path, dir)
        }
    }

    /// The table row of `key`: its cells split on runs of two spaces or more.
    static func row(_ key: String, in table: String) -> [String]? {
        table.split(separator: "\n").map(String.init).first { $0.hasPrefix(key + " ") }.map { line in
            line.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }

    @Test func configShowsEachValueAndWhereItCameFrom() async throws {
        try await Self.withConfig(Self.file) { environment, kubeconfig, dir in
            let current = try await BinaryRunner.run(["config", "--kubeconfig", kubeconfig], environment: environment)
            #expect(current.status == 0, "\(current.stderr)")
            let path = dir.appendingPathComponent("xdg/kubeskew/config.yaml").path
            #expect(current.stdout.hasPrefix("config file: \(path)\n"), "\(current.stdout)")
            #expect(current.stdout.contains("context: prod (the kubeconfig's current-context; section contexts.prod applies)"))
            #expect(Self.row("readOnly", in: current.stdout) == ["readOnly", "true", "config.yaml:6 (contexts.prod)"], "\(current.stdout)")
            #expect(Self.row("concurrency", in: current.stdout) == ["concurrency", "1", "config.yaml:7 (contexts.prod)"])
            #expect(Self.row("ssh.user", in: current.stdout) == ["ssh.user", "ops", "config.yaml:2 (defaults)"])
            #expect(Self.row("executor", in: current.stdout) == ["executor", "ssh", "default"])

            let dev = try await BinaryRunner.run(["config", "--kubeconfig", kubeconfig, "--context", "dev", "--ssh-port", "22", "--no-probe"],
                                                 environment: environment)
            #expect(dev.status == 0, "\(dev.stderr)")
            #expect(Self.row("readOnly", in: dev.stdout) == ["readOnly", "false", "default"], "\(dev.stdout)")
            #expect(Self.row("concurrency", in: dev.stdout) == ["concurrency", "2", "config.yaml:3 (defaults)"])
            #expect(Self.row("ssh.port", in: dev.stdout) == ["ssh.port", "22", "flag --ssh-port"])
            #expect(Self.row("probing.onOpen", in: dev.stdout) == ["probing.onOpen", "false", "flag --no-probe"])

            let json = try await BinaryRunner.run(["config", "--kubeconfig", kubeconfig, "-o", "json"], environment: environment)
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stdout)")
            #expect(doc["context"] as? String == "prod")
            let settings = try #require(doc["settings"] as? [[String: Any]])
            let readOnly = try #require(settings.first { $0["key"] as? String == "readOnly" })
            #expect(readOnly["value"] as? Bool == true && readOnly["source"] as? String == "file" && readOnly["line"] as? Int == 6)

            let where_ = try await BinaryRunner.run(["config", "--path"], environment: environment)
            #expect(where_.stdout == path + "\n")
        }
    }

    @Test func aMissingFileIsAllDefaultsAndABrokenOneSaysItsLine() async throws {
        try await Self.withConfig("defaults:\n  concurrency: 2\n  readOnyl: true\n") { environment, kubeconfig, _ in
            let broken = try await BinaryRunner.run(["config", "--kubeconfig", kubeconfig], environment: environment)
            #expect(broken.status == 1)
            #expect(broken.stderr.contains("config.yaml:3:3: unknown key 'readOnyl' in defaults; did you mean 'readOnly'?"), "\(broken.stderr)")
            // Every command that reads the file refuses it the same way, before reaching any cluster.
            let check = try await BinaryRunner.run(["check", "--kubeconfig", kubeconfig], environment: environment)
            #expect(check.status == 1 && check.stderr.hasPrefix("kubeskew check: ") && check.stderr.contains("config.yaml:3:3: unknown key"),
                    "\(check.stderr)")
            let none = try await BinaryRunner.run(["config", "--kubeconfig", kubeconfig, "--no-config"], environment: environment)
            #expect(none.status == 0 && none.stdout.hasPrefix("config file: none (--no-config)"), "\(none.stdout)\(none.stderr)")
        }
        let missing = try await BinaryRunner.run(["config"])
        #expect(missing.status == 0, "\(missing.stderr)")
        #expect(missing.stdout.hasPrefix("config file: none: no config file at \(BinaryRunner.noConfigHome)/kubeskew/config.yaml"), "\(missing.stdout)")
    }

    /// The file changes what `check` does on a simulated cluster: `contexts.sim.target` is the target, a flag wins
    /// over it, and another context's section does not apply.
    @Test func theContextsTargetChangesCheckAndAFlagWins() async throws {
        let sim = try await SimProcess.start(arguments: ["--speed", "0"])
        defer { sim.stop() }
        try await Self.withConfig("defaults:\n  color: never\ncontexts:\n  sim:\n    target: latest-patch\n  other:\n    target: next-minor\n") { environment, _, _ in
            func targetSource(_ extra: [String], _ env: [String: String]) async throws -> String? {
                let r = try await BinaryRunner.run(["check", "--kubeconfig", sim.kubeconfig.path, "-o", "json"] + extra, environment: env)
                #expect([0, 2, 3].contains(r.status), "\(r.stderr)")
                let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
                return doc?["targetSource"] as? String
            }
            let fromFile = try await targetSource([], environment)
            let fromFlag = try await targetSource(["--target", "next-minor"], environment)
            let without = try await targetSource(["--no-config"], environment)
            #expect(fromFile == "latest-patch")
            #expect(fromFlag == "next-minor")
            #expect(without != nil && without != "latest-patch", "\(String(describing: without))")
        }
    }

    /// `readOnly: true` for the simulated cluster's context: `upgrade` changes nothing and says which line decided.
    @Test func aReadOnlyContextIsNotUpgraded() async throws {
        let sim = try await SimProcess.start(arguments: ["--speed", "0"])
        defer { sim.stop() }
        try await Self.withConfig("contexts:\n  sim:\n    readOnly: true\n") { environment, _, dir in
            let env = environment.merging(["XDG_STATE_HOME": dir.appendingPathComponent("state").path]) { a, _ in a }
            let r = try await BinaryRunner.run(["upgrade", "node01", "--yes", "--executor", "simulated", "--kubeconfig", sim.kubeconfig.path],
                                               environment: env)
            #expect(r.status == 1)
            #expect(r.stderr.contains("read-only (readOnly at config.yaml:3 (contexts.sim), context \"sim\")"), "\(r.stderr)")
            #expect(r.stderr.contains("--no-read-only overrides it"))
            #expect(r.stdout.isEmpty, "nothing was planned or run: \(r.stdout)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("state/kubeskew/runs").path), "no run was journaled")
        }
    }
}
