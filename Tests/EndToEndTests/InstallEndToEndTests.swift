import Foundation
import Testing
import TestSupport

/// Issue 17, as a new user tries it: `scripts/install` into a prefix gives working `kubeskew` and `kubectl skew`
/// commands outside the source tree, bash completion of the cluster's nodes, and `man kubeskew`. The binary is the
/// one already built (`--binary`): a release build takes minutes, and the install is the same either way.
@Suite(.serialized)
struct InstallEndToEndTests {
    static let script = BinaryRunner.repoRoot.appendingPathComponent("scripts/install").path

    /// Runs `program ARGS` in `directory` (through sh's `cd`, the arguments as they are).
    func run(_ program: String, _ args: [String], in directory: URL, environment: [String: String] = [:],
             timeout: Duration = .seconds(60)) async throws -> ChildProcess.Result {
        let (environment, removed) = BinaryRunner.isolatingConfig(environment)
        return try await ChildProcess.run("/bin/sh", ["-c", #"cd "$1" && shift && exec "$@""#, "sh", directory.path, program] + args,
                                          environment: environment, removing: removed, timeout: timeout)
    }

    /// kubectl with the installed prefix first on PATH, and the kubeskew it runs reading no configuration file.
    static func kubectlEnvironment(_ path: String) -> [String: String] { ["PATH": path, "XDG_CONFIG_HOME": BinaryRunner.noConfigHome] }

    /// `bash` completing `line` (ending where the cursor is) with the installed completion file; one reply a line.
    func complete(_ words: [String], completionFile: String, path: String) async throws -> (replies: [String], stderr: String) {
        let script = """
            source "$1"; shift
            COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
            COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
            _kubeskew kubeskew "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let r = try await ChildProcess.run("/bin/bash", ["-c", script, "bash", completionFile] + words,
                                           environment: ["PATH": path], timeout: .seconds(30))
        #expect(r.status == 0, "bash completion: \(r.stderr)")
        return (r.stdout.split(separator: "\n").map(String.init), r.stderr)
    }

    @Test func installGivesKubeskewKubectlSkewCompletionsAndTheManPageOutsideTheSourceTree() async throws {
        // The product `swift build --product generate-manual` links (the plugin's run names its copy generate-manual-tool).
        let binDir = BinaryRunner.binary.deletingLastPathComponent()
        try #require(["generate-manual", "generate-manual-tool"].contains { FileManager.default.isExecutableFile(atPath: binDir.appendingPathComponent($0).path) },
                     "swift-argument-parser's generate-manual is not built next to kubeskew: run `swift build --product generate-manual` (scripts/test does)")
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        try await BinaryRunner.withTempDir { dir in
            let prefix = dir.appendingPathComponent("prefix")
            let elsewhere = dir.appendingPathComponent("elsewhere")
            try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
            let bin = prefix.appendingPathComponent("bin")
            let path = "\(bin.path):\(ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")"

            let install = try await run(Self.script, ["--binary", BinaryRunner.binary.path, "--prefix", prefix.path],
                                        in: elsewhere, timeout: .seconds(120))
            try #require(install.status == 0, "install:\n\(install.stdout)\n\(install.stderr)")
            let files = ["bin/kubeskew", "bin/kubectl-skew", "share/man/man1/kubeskew.1",
                         "share/bash-completion/completions/kubeskew", "share/zsh/site-functions/_kubeskew",
                         "share/fish/vendor_completions.d/kubeskew.fish"]
            for file in files {
                #expect(FileManager.default.fileExists(atPath: prefix.appendingPathComponent(file).path), "\(file) not installed")
            }
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: bin.appendingPathComponent("kubectl-skew").path) == "kubeskew")

            // The installed binary, run away from the source tree, names its data.
            let version = try await run(bin.appendingPathComponent("kubeskew").path, ["--version"], in: elsewhere)
            #expect(version.status == 0)
            #expect(version.stdout.hasPrefix("kubeskew "))
            #expect(version.stdout.contains("release calendar") && version.stdout.contains("(releases.json)"))

            // kubectl-skew itself, kubectl's flags before the subcommand.
            let direct = try await run(bin.appendingPathComponent("kubectl-skew").path,
                                       ["--context", "sim", "check", "--kubeconfig", sim.kubeconfig.path, "-o", "json"], in: elsewhere)
            #expect([0, 2, 3].contains(direct.status), "kubectl-skew check: \(direct.stderr)")
            #expect(direct.stdout.contains("\"node01\""))

            // Through the real kubectl, which finds the plugin on PATH and passes every argument on.
            let plugins = try await ChildProcess.run("kubectl", ["plugin", "list"], environment: Self.kubectlEnvironment(path), removing: ["KUBESKEW_CONFIG"])
            #expect(plugins.stdout.contains(bin.appendingPathComponent("kubectl-skew").path), "kubectl plugin list:\n\(plugins.stdout)\n\(plugins.stderr)")
            let viaKubectl = try await ChildProcess.run(
                "kubectl", ["skew", "--kubeconfig", sim.kubeconfig.path, "--context=sim-token", "check", "-o", "json"],
                environment: Self.kubectlEnvironment(path), removing: ["KUBESKEW_CONFIG"], timeout: .seconds(60))
            #expect([0, 2, 3].contains(viaKubectl.status), "kubectl skew check: \(viaKubectl.stderr)")
            #expect(viaKubectl.stdout.contains("\"node01\""))
            let kubectlVersion = try await ChildProcess.run("kubectl", ["skew", "version"], environment: Self.kubectlEnvironment(path), removing: ["KUBESKEW_CONFIG"])
            #expect(kubectlVersion.stdout == version.stdout)
            // `kubectl skew <TAB>`: kubectl (1.26+) runs kubectl_complete-skew with the words typed; it answers with
            // candidates and cobra's `:4` (no file completion). Through the real kubectl's `__complete`.
            let subcommands = try await ChildProcess.run("kubectl", ["__complete", "skew", "pl"], environment: ["PATH": path])
            #expect(subcommands.stdout.split(separator: "\n").contains("plan"), "kubectl __complete skew pl:\n\(subcommands.stdout)\n\(subcommands.stderr)")
            let nodeWords = try await ChildProcess.run("kubectl", ["__complete", "skew", "plan", "--kubeconfig", sim.kubeconfig.path, "node0"],
                                                       environment: ["PATH": path], timeout: .seconds(30))
            let nodeLines = nodeWords.stdout.split(separator: "\n").map(String.init)
            #expect(nodeLines.contains("node01") && nodeLines.contains("node08") && !nodeLines.contains("cp-1"), "\(nodeWords.stdout)\n\(nodeWords.stderr)")
            #expect(nodeLines.contains(":4"))
            let refused = try await ChildProcess.run("kubectl", ["skew", "--user", "admin", "check"], environment: Self.kubectlEnvironment(path), removing: ["KUBESKEW_CONFIG"])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("--user is a kubectl flag kubeskew does not take"))

            // bash: node names from the simulator, context names from the kubeconfig; nothing on stderr.
            let bashFile = prefix.appendingPathComponent("share/bash-completion/completions/kubeskew").path
            let nodes = try await complete(["kubeskew", "upgrade", "--kubeconfig", sim.kubeconfig.path, ""], completionFile: bashFile, path: path)
            #expect(nodes.replies.contains("node01") && nodes.replies.contains("node08") && nodes.replies.contains("cp-1"), "\(nodes)")
            #expect(nodes.stderr.isEmpty)
            let partial = try await complete(["kubeskew", "plan", "--kubeconfig", sim.kubeconfig.path, "node0"], completionFile: bashFile, path: path)
            #expect(!partial.replies.isEmpty && partial.replies.allSatisfy { $0.hasPrefix("node0") }, "\(partial)")
            let contexts = try await complete(["kubeskew", "check", "--kubeconfig", sim.kubeconfig.path, "--context", ""], completionFile: bashFile, path: path)
            #expect(Set(contexts.replies) == ["sim", "sim-token", "sim-viewer", "kubeskew-readonly", "kubeskew-upgrader"], "\(contexts)")
            let unreachable = try await complete(["kubeskew", "upgrade", "--kubeconfig", dir.appendingPathComponent("none").path, ""],
                                                 completionFile: bashFile, path: path)
            #expect(unreachable.replies.allSatisfy { $0.isEmpty } && unreachable.stderr.isEmpty, "\(unreachable)")

            // man, from the prefix, as the page a user reads.
            let man = try await ChildProcess.run("man", ["-M", prefix.appendingPathComponent("share/man").path, "kubeskew"],
                                                 environment: ["MANPAGER": "cat", "PAGER": "cat", "MANWIDTH": "100"])
            #expect(man.status == 0, "man: \(man.stderr)")
            #expect(man.stdout.contains("KUBESKEW(1)"))
            #expect(man.stdout.contains("kubectl-skew") && man.stdout.contains("upgrade"))
            #expect(man.stdout.contains("--kubeconfig"))
            #expect(man.stdout.contains("kubeskew config ") && man.stdout.contains("--no-config"), "the config subcommand and options are in the page")
            #expect(!man.stderr.contains("warning"), "man: \(man.stderr)")

            // Uninstall leaves nothing of kubeskew behind.
            let uninstall = try await run(Self.script, ["--uninstall", "--prefix", prefix.path], in: elsewhere)
            #expect(uninstall.status == 0, "uninstall: \(uninstall.stderr)")
            for file in files {
                #expect(!FileManager.default.fileExists(atPath: prefix.appendingPathComponent(file).path), "\(file) left after uninstall")
            }
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: bin.appendingPathComponent("kubectl-skew").path)) == nil)
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: bin.appendingPathComponent("kubectl_complete-skew").path)) == nil)
        }
    }

    @Test func anUnwritablePrefixIsRefusedBeforeAnyBuildWithTheWayOut() async throws {
        try await BinaryRunner.withTempDir { dir in
            let locked = dir.appendingPathComponent("locked")
            try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: locked.path)
            defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: locked.path) }
            // Root writes anywhere; run as nobody then (setpriv ships with util-linux), else the check is moot.
            let asNobody = getuid() == 0 ? ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"] : []
            let r = try await ChildProcess.run(asNobody.first ?? Self.script,
                                               Array(asNobody.dropFirst()) + (asNobody.isEmpty ? [] : [Self.script])
                                                   + ["--prefix", locked.appendingPathComponent("usr").path],
                                               timeout: .seconds(30))
            #expect(r.status == 1)
            #expect(r.stderr.contains("cannot write to \(locked.path)"), "\(r.stderr)")
            #expect(r.stderr.contains("--prefix ~/.local"))
        }
    }
}
