import Foundation
import Testing
@testable import KubeskewCLI

/// Issue 17, "Configuration": the file's format, its strictness (every error with its line and column), the layers
/// flag > contexts.<ctx> > defaults > built in with the source of each value, and where the file is looked for.
@Suite struct ConfigFileTests {
    static let sample = """
    defaults:            # every context
      executor: ssh
      ssh: { user: ops, port: 2222, identity: ~/.ssh/id_ed25519 }
      drain:
        timeoutSeconds: 600
        options: [--ignore-daemonsets, --delete-emptydir-data]
      concurrency: 2
      target: latest-patch
      color: never
      probing: { onOpen: false, concurrency: 4 }
    contexts:
      prod:
        readOnly: true
        concurrency: 1
      lab:

    """

    static func parse(_ text: String, path: String = "/etc/ks/config.yaml") throws(ConfigError) -> ConfigFile {
        try ConfigParser.parse(text, path: path, home: "/home/ops")
    }

    static func error(_ text: String) -> ConfigError? {
        do { _ = try parse(text) } catch { return error }
        return nil
    }

    @Test func aGoodFileGivesEveryValueWithItsLine() throws {
        let file = try Self.parse(Self.sample)
        #expect(file.defaults[.executor] == .init(value: .text("ssh"), line: 2, column: 13))
        #expect(file.defaults[.sshUser]?.value == .text("ops"))
        #expect(file.defaults[.sshPort]?.value == .number(2222))
        #expect(file.defaults[.sshIdentity]?.value == .text("/home/ops/.ssh/id_ed25519"), "~/ is the home folder")
        #expect(file.defaults[.drainTimeout] == .init(value: .number(600), line: 5, column: 21))
        #expect(file.defaults[.drainOptions]?.value == .list(["--ignore-daemonsets", "--delete-emptydir-data"]))
        #expect(file.defaults[.concurrency]?.value == .number(2))
        #expect(file.defaults[.target]?.value == .text("latest-patch"))
        #expect(file.defaults[.color]?.value == .text("never"))
        #expect(file.defaults[.probeOnOpen]?.value == .flag(false))
        #expect(file.defaults[.probeConcurrency]?.value == .number(4))
        #expect(file.contexts["prod"]?[.readOnly] == .init(value: .flag(true), line: 13, column: 15))
        #expect(file.contexts["lab"] == [:], "a context with nothing under it is an empty section")
        #expect(try Self.parse("").defaults.isEmpty)
        #expect(try Self.parse("# nothing yet\n").contexts.isEmpty)
    }

    @Test func aRelativePathIsTakenFromTheFilesFolder() throws {
        let file = try Self.parse("defaults:\n  ssh:\n    config: ssh/config\n    identity: /keys/id\n")
        #expect(file.defaults[.sshConfig]?.value == .text("/etc/ks/ssh/config"))
        #expect(file.defaults[.sshIdentity]?.value == .text("/keys/id"))
    }

    @Test func flagBeatsContextBeatsDefaultsBeatsBuiltIn() throws {
        let file = try Self.parse(Self.sample)
        var flags: [Setting: FlagValue] = [:]
        flags.given(.concurrency, .number(5))
        flags.given(.probeOnOpen, true)
        let prod = EffectiveSettings(flags: flags, file: file, context: "prod")
        #expect(prod[.concurrency] == .init(value: .number(5), source: .flag("--concurrency")))
        #expect(prod[.concurrency].source.shown == "flag --concurrency")
        #expect(prod[.probeOnOpen] == .init(value: .flag(true), source: .flag("--probe")))
        #expect(prod[.readOnly] == .init(value: .flag(true), source: .file(name: "config.yaml", line: 13, section: "contexts.prod")))
        #expect(prod[.readOnly].source.shown == "config.yaml:13 (contexts.prod)")
        #expect(prod[.sshUser] == .init(value: .text("ops"), source: .file(name: "config.yaml", line: 3, section: "defaults")))
        #expect(prod[.sshUser].source.shown == "config.yaml:3 (defaults)")
        #expect(prod[.podImage] == .init(value: nil, source: .builtIn))
        #expect(prod[.podImage].source.shown == "default")
        #expect(prod.origin(.readOnly) == "readOnly at config.yaml:13 (contexts.prod)")

        // Without the flag, the context's own section; another context gets the defaults.
        let plain = EffectiveSettings(flags: [:], file: file, context: "prod")
        #expect(plain.number(.concurrency) == 1)
        #expect(plain.forContext("staging").number(.concurrency) == 2)
        #expect(plain.forContext("staging")[.readOnly].source == .builtIn)
        var off: [Setting: FlagValue] = [:]
        off.given(.probeOnOpen, false)
        #expect(EffectiveSettings(flags: off, file: nil, context: nil)[.probeOnOpen].source == .flag("--no-probe"))
    }

    @Test func theCommandsTakeTheFileWhereNoFlagWasGiven() async throws {
        try await BinaryRunnerFree.withFile(Self.sample) { path in
            var dashboard = try await DashboardCommand.asyncParse(["--config", path, "--context", "prod", "--concurrency", "3"])
            let settings = try dashboard.applyConfig()
            #expect(settings.context == "prod")
            #expect(dashboard.readOnly == true)
            #expect(dashboard.concurrency == 3, "the flag wins")
            #expect(dashboard.executors.sshUser == "ops" && dashboard.executors.sshPort == 2222)
            #expect(dashboard.probing.probe == false && dashboard.probing.concurrency == 4)
            #expect(dashboard.color == false)
            #expect(dashboard.data.target == "latest-patch")
            #expect(dashboard.drainTimeout == 600)

            var unlocked = try await DashboardCommand.asyncParse(["--config", path, "--context", "prod", "--no-read-only", "--color"])
            _ = try unlocked.applyConfig()
            #expect(unlocked.readOnly == false && unlocked.color == true)

            var plan = try await PlanCommand.asyncParse(["node01", "--config", path, "--context", "dev", "--drain-timeout", "30"])
            try plan.applyConfig()
            #expect(plan.planning.drainTimeout == 30)
            #expect(plan.planning.drainOption == ["--ignore-daemonsets", "--delete-emptydir-data"])

            var check = try await CheckCommand.asyncParse(["--config", path, "--context", "dev", "--probe-concurrency", "2"])
            _ = try check.applyConfig()
            #expect(check.probeConcurrency == 2 && check.data.target == "latest-patch" && check.color == false)

            var none = try await DashboardCommand.asyncParse(["--no-config", "--context", "prod"])
            _ = try none.applyConfig()
            #expect(none.readOnly == nil && none.concurrency == nil && none.executors.sshUser == nil)
        }
    }

    @Test func anUnknownKeyIsAnErrorWithItsLineAndColumn() {
        let typo = Self.error("defaults:\n  concurency: 2\n")
        #expect(typo?.description == "/etc/ks/config.yaml:2:3: unknown key 'concurency' in defaults; did you mean 'concurrency'? "
                + "(known: executor, ssh, pod, packageManager, drain, concurrency, probing, readOnly, target, color)")
        let nested = Self.error("contexts:\n  prod:\n    ssh:\n      usr: root\n")
        #expect(nested?.line == 4 && nested?.column == 7)
        #expect(nested?.message.hasPrefix("unknown key 'usr' in contexts.prod.ssh; did you mean 'user'?") == true, "\(String(describing: nested))")
        let top = Self.error("default:\n  readOnly: true\n")
        #expect(top?.description.hasPrefix("/etc/ks/config.yaml:1:1: unknown key 'default'; did you mean 'defaults'?") == true)
        // The file holds no credentials: a token is refused, and says where tokens belong.
        let token = Self.error("defaults:\n  token: abc123\n")
        #expect(token?.line == 2 && token?.column == 3)
        #expect(token?.message.contains("holds no credentials") == true)
        #expect(token?.message.contains("abc123") == false, "the secret is not repeated")
    }

    @Test func aBadValueIsAnErrorWithItsLineAndColumn() {
        #expect(Self.error("defaults:\n  readOnly: false\n\n\n\n\n  concurrency: two\n")?.description
                == "/etc/ks/config.yaml:7:16: concurrency must be a whole number ≥ 1, got 'two'")
        #expect(Self.error("defaults:\n  executor: telnet\n")?.description
                == "/etc/ks/config.yaml:2:13: executor must be one of ssh, local, pod, simulated, got 'telnet'")
        #expect(Self.error("defaults:\n  ssh: { port: 70000 }\n")?.description
                == "/etc/ks/config.yaml:2:16: ssh.port must be a port number (1-65535), got '70000'")
        #expect(Self.error("defaults:\n  readOnly: maybe\n")?.message == "readOnly must be true or false, got 'maybe'")
        #expect(Self.error("defaults:\n  target: v1.2\n")?.message == "target must be vX.Y.Z, latest-patch or next-minor, got 'v1.2'")
        #expect(Self.error("defaults:\n  concurrency: 0\n")?.message == "concurrency must be a whole number ≥ 1, got '0'")
        #expect(Self.error("defaults:\n  concurrency: [2]\n")?.message == "concurrency must be a single value, got a list")
        #expect(Self.error("defaults:\n  concurrency:\n")?.message == "concurrency has no value (remove the key to use the default)")
        #expect(Self.error("defaults:\n  ssh: ops\n")?.message == "defaults.ssh must be a mapping of keys to values, got 'ops'")
        // A list item is named at its own line.
        let item = Self.error("defaults:\n  drain:\n    options:\n      - --ignore-daemonsets\n      - --nuke\n")
        #expect(item?.line == 5 && item?.column == 9)
        #expect(item?.message.hasSuffix("got '--nuke'") == true)
        #expect(Self.error("- a\n")?.description == "/etc/ks/config.yaml:1:1: the file must be a mapping of keys to values, got a list")
    }

    @Test func aYAMLSyntaxErrorHasItsLineAndColumn() {
        let bad = Self.error("defaults:\n  concurrency: 2\n   readOnly: true\n")
        #expect(bad?.line == 3 && bad?.column == 12, "\(String(describing: bad))")
        #expect(bad?.message.hasPrefix("YAML syntax: ") == true)
        let unclosed = Self.error("defaults: { concurrency: 2\n")
        #expect(unclosed?.line != nil && unclosed?.column != nil, "\(String(describing: unclosed))")
        let twice = Self.error("defaults:\n  concurrency: 2\n  concurrency: 3\n")
        #expect(twice?.line == 2 && twice?.message == "key 'concurrency' given twice in the same section")
    }

    @Test func theFileIsFoundByFlagEnvironmentXDGThenHome() {
        let env = ["HOME": "/home/ops", "XDG_CONFIG_HOME": "/xdg", "KUBESKEW_CONFIG": "/env/ks.yaml"]
        #expect(ConfigLocation.resolve(flag: "/f.yaml", disabled: false, environment: env) == .init(path: "/f.yaml", origin: .flag))
        #expect(ConfigLocation.resolve(flag: nil, disabled: false, environment: env) == .init(path: "/env/ks.yaml", origin: .environment))
        #expect(ConfigLocation.resolve(flag: nil, disabled: false, environment: ["HOME": "/home/ops", "XDG_CONFIG_HOME": "/xdg"]).path
                == "/xdg/kubeskew/config.yaml")
        #expect(ConfigLocation.resolve(flag: nil, disabled: false, environment: ["HOME": "/home/ops", "XDG_CONFIG_HOME": "rel"]).path
                == "/home/ops/.config/kubeskew/config.yaml", "a relative XDG_CONFIG_HOME is ignored, as the spec says")
        #expect(ConfigLocation.resolve(flag: nil, disabled: true, environment: env).path == nil)
    }

    @Test func aMissingFileIsAllDefaultsUnlessNamedOnPurpose() throws {
        let missing = "/nonexistent-\(UUID().uuidString)/config.yaml"
        #expect(try ConfigLocation(path: missing, origin: .standard).load(home: "/home/ops") == nil)
        #expect(throws: ConfigError.self) { try ConfigLocation(path: missing, origin: .flag).load(home: "/home/ops") }
        #expect(throws: ConfigError.self) { try ConfigLocation(path: missing, origin: .environment).load(home: "/home/ops") }
        let settings = EffectiveSettings(flags: [:], file: nil, context: "prod")
        #expect(Setting.allCases.allSatisfy { settings[$0] == .init(value: nil, source: .builtIn) })
        let report = ConfigReport(location: .init(path: missing, origin: .standard), file: nil,
                                  context: ConfigContext(name: "prod", how: "--context"), settings: settings)
        #expect(report.table().hasPrefix("config file: none: no config file at \(missing)"))
    }
}

/// A temporary config file for the option tests (no process is started).
enum BinaryRunnerFree {
    static func withFile(_ text: String, _ body: (String) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("config.yaml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try await body(path)
    }
}
