import Foundation
import Testing
import TestSupport
@testable import NodeExec

/// The ssh executor against a real sshd on 127.0.0.1, logged in as root by key.
///
/// Assertions look at stdout only: the remote login shell's rc files may print to stderr on their own.
@Suite("SSHExecutor over a real sshd")
struct SSHExecutorTests {
    let node: NodeTarget

    init() throws {
        node = try NodeTarget(name: "node01", internalIP: "127.0.0.1")
    }

    func sh(_ script: String, privileged: Bool = false, timeout: Duration? = nil) -> CommandSpec {
        CommandSpec(["sh", "-c", script], privileged: privileged, timeout: timeout)
    }

    @Test("commands run as root, stream their lines before exit, and report exit codes and stderr")
    func streamsAndExitCodes() async throws {
        try await withSSHD { sshd in
            let executor = try SSHExecutor(settings: sshd.settings())
            let recorder = OutputRecorder()
            // The remote command goes on only once "one" has reached this side (sshd runs here, so the file is
            // shared): streaming before exit is proven by the order of events, not by timing.
            let go = sshd.directory.appendingPathComponent("go").path
            let node = self.node
            let run = Task {
                try await executor.run(self.sh("echo one; while [ ! -e \(go) ]; do sleep 0.05; done; echo two; echo warn >&2; exit 7"),
                                       on: node, onOutput: recorder.handler)
            }
            #expect(await recorder.waitForLine(containing: "one") != nil)
            #expect(FileManager.default.createFile(atPath: go, contents: nil))
            let result = try await run.value
            #expect(result.status == .exited(7))
            #expect(recorder.texts(from: .stdout) == ["one", "two"])
            #expect(recorder.texts(from: .stderr) == ["warn"])
            let destination = try await executor.destination(for: node)
            #expect(destination == SSHDestination(host: "127.0.0.1", origin: .internalIP, user: "root", port: sshd.port))
        }
    }

    @Test("hostile arguments reach the remote program unchanged")
    func argvSurvivesTheRemoteShell() async throws {
        let hostile = ["plain", "with space", "it's", "\"double\"", "$(touch /tmp/kubeskew-pwned)", "`id`", "; rm -rf /",
                       "a\\b", "*", "--", "-n", "", "$HOME", "tab\there", "ünïcødé ✓", "'; echo injected; '"]
        try await withSSHD { sshd in
            let executor = try SSHExecutor(settings: sshd.settings())
            let recorder = OutputRecorder()
            let result = try await executor.run(CommandSpec(["printf", "[%s]\\n"] + hostile), on: node,
                                                onOutput: recorder.handler)
            #expect(result.status == .exited(0))
            #expect(recorder.texts(from: .stdout) == hostile.map { "[\($0)]" })
        }
    }

    @Test("privileged commands as root run without sudo")
    func rootNeedsNoSudo() async throws {
        try await withSSHD { sshd in
            try sshd.addShim("sudo", "#!/bin/sh\necho 'shim sudo must not run for root' >&2\nexit 99\n")
            let executor = try SSHExecutor(settings: sshd.settings())
            let recorder = OutputRecorder()
            let result = try await executor.run(CommandSpec(["id", "-u"], privileged: true), on: node,
                                                onOutput: recorder.handler)
            #expect(result.status == .exited(0))
            #expect(recorder.texts(from: .stdout) == ["0"])
        }
    }

    @Test("sudo asking for a password becomes the clear error with the fix")
    func sudoPasswordRequired() async throws {
        try await withSSHD { sshd in
            try sshd.addShim("sudo", "#!/bin/sh\necho 'sudo: a password is required' >&2\nexit 1\n")
            let executor = try SSHExecutor(settings: sshd.settings(sudo: .always))
            let error = await #expect(throws: ExecutorError.self) {
                _ = try await executor.run(CommandSpec(["kubeadm", "upgrade", "node"], privileged: true), on: node) { _ in }
            }
            #expect(error?.kind == .sudoPasswordRequired)
            #expect(error?.message == "node01: sudo needs a password; configure NOPASSWD or use --ssh-user root")
        }
    }

    @Test("sudo -n wraps privileged commands and their environment when the policy asks for it")
    func sudoWrapsCommand() async throws {
        try await withSSHD { sshd in
            // Behaves like a NOPASSWD sudo: checks it got `-n --`, then runs the rest with a clean environment.
            try sshd.addShim("sudo", "#!/bin/sh\n[ \"$1\" = -n ] && [ \"$2\" = -- ] || exit 98\nshift 2\nexec env -i PATH=\"$PATH\" \"$@\"\n")
            let executor = try SSHExecutor(settings: sshd.settings(sudo: .always))
            let recorder = OutputRecorder()
            let command = CommandSpec(["sh", "-c", "echo \"$DEBIAN_FRONTEND\""], privileged: true,
                                      environment: ["DEBIAN_FRONTEND": "noninteractive"])
            let result = try await executor.run(command, on: node, onOutput: recorder.handler)
            #expect(result.status == .exited(0))
            #expect(recorder.texts(from: .stdout) == ["noninteractive"])
            let argv = try await executor.argv(for: command, on: node)
            #expect(argv.last == "'sudo' '-n' '--' 'env' 'DEBIAN_FRONTEND=noninteractive' 'sh' '-c' 'echo \"$DEBIAN_FRONTEND\"'")
        }
    }

    @Test("the argv carries BatchMode, ConnectTimeout and the options, and ends with host and one quoted line")
    func argvShape() async throws {
        try await withSSHD { sshd in
            let executor = try SSHExecutor(settings: sshd.settings())
            let argv = try await executor.argv(for: CommandSpec(["kubeadm", "version", "-o", "short"]), on: node)
            #expect(argv.first == "/usr/bin/ssh")
            #expect(argv.contains("BatchMode=yes"))
            #expect(argv.contains("ConnectTimeout=5"))
            #expect(Array(argv.suffix(3)) == ["--", "127.0.0.1", "'kubeadm' 'version' '-o' 'short'"])
            #expect(argv.contains("-T") && argv.contains("-n"))
        }
    }

    /// The error `true` run through `executor` on node01 ends with (recorded as an issue when it does not fail).
    func failure(of executor: SSHExecutor) async -> ExecutorError? {
        await #expect(throws: ExecutorError.self) {
            _ = try await executor.run(CommandSpec(["true"]), on: node) { _ in }
        }
    }

    @Test("a wrong key is an authentication error")
    func wrongIdentity() async throws {
        try await withSSHD { sshd in
            let executor = try SSHExecutor(settings: sshd.settings(identity: sshd.strangerKey))
            let error = await failure(of: executor)
            #expect(error?.kind == .authenticationFailed)
            #expect(error?.message.hasPrefix("node01: ssh authentication failed as root@127.0.0.1:\(sshd.port)") == true)
            #expect(error?.message.contains("Permission denied") == true)
        }
    }

    @Test("a host key that does not match known_hosts is refused")
    func hostKeyMismatch() async throws {
        try await withSSHD { sshd in
            let executor = try SSHExecutor(settings: sshd.settings(knownHosts: sshd.wrongKnownHosts))
            let error = await failure(of: executor)
            #expect(error?.kind == .hostKeyVerificationFailed)
            #expect(error?.message.contains("host key verification failed for 127.0.0.1:\(sshd.port)") == true)
        }
    }

    @Test("a closed port is connection refused")
    func connectionRefused() async throws {
        let refusing = try LoopbackPort.refusing()
        let closedPort = refusing.port
        defer { withExtendedLifetime(refusing) {} }
        let executor = try SSHExecutor(settings: SSHSettings(user: "root", port: closedPort, connectTimeoutSeconds: 5,
                                                             configFile: "/dev/null"))
        let error = await failure(of: executor)
        #expect(error?.kind == .connectionRefused)
        #expect(error?.message == "node01: connection refused by 127.0.0.1:\(closedPort); is sshd running there, and is the port right (--ssh-port)?")
    }

    @Test("a server that never answers is a connection timeout after ConnectTimeout")
    func connectTimeout() async throws {
        let listener = try LoopbackPort.silentListener()
        defer { close(listener.fd) }
        let executor = try SSHExecutor(settings: SSHSettings(user: "root", port: listener.port, connectTimeoutSeconds: 1,
                                                             configFile: "/dev/null"))
        // Without ConnectTimeout ssh would wait forever on this listener: that it ends, timed out, is what counts (a
        // wall-clock bound here failed at 61.7 s when the whole suite held the machine).
        let error = await failure(of: executor)
        #expect(error?.kind == .connectionTimedOut)
        #expect(error?.message.contains("timed out after 1 s") == true)
    }

    @Test("a command timeout stops ssh and reports timedOut; a remote command that writes then dies of SIGPIPE")
    func commandTimeout() async throws {
        try await withSSHD { sshd in
            let executor = try SSHExecutor(settings: sshd.settings())
            let pidFile = sshd.directory.appendingPathComponent("remote.pid").path
            // The timeout covers the ssh handshake too; on a loaded CI machine that alone has outlasted 4 s, and then
            // no remote command ever ran. The timeout grows until a run whose remote loop did start, so what is
            // asserted never depends on how fast this machine was.
            for timeout in [4, 15, 60] {
                try? FileManager.default.removeItem(atPath: pidFile)
                let recorder = OutputRecorder()
                let start = ContinuousClock.now
                let result = try await executor.run(
                    sh("echo $$ > \(pidFile); while echo tick; do sleep 0.1; done", timeout: .seconds(timeout)), on: node,
                    onOutput: recorder.handler)
                #expect(result.status == .timedOut)
                #expect(ContinuousClock.now - start < .seconds(timeout + 60), "the loop runs forever unless the timeout stops it")
                guard let written = try? String(contentsOfFile: pidFile, encoding: .utf8) else { continue }
                // sshd runs on this machine, so the remote shell is visible here: it must go once its connection is gone.
                let remote = try #require(pid_t(written.trimmingCharacters(in: .whitespacesAndNewlines)))
                #expect(await ProcessProbe.waitUntilGone(remote, within: .seconds(30)), "the remote loop \(remote) must end with its connection")
                // The loop may have started just before the timeout, with its first tick still on the way (seen in CI):
                // that run shows the kill, not the streaming, so the next, longer one is asked for the output.
                guard let first = recorder.texts(from: .stdout).first else { continue }
                #expect(first == "tick")
                return
            }
            Issue.record("the remote loop never printed, even with a 60 s timeout")
        }
    }

    @Test("cancelling the task stops ssh at once and reports cancelled; the chatty remote command then ends")
    func cancel() async throws {
        try await withSSHD { sshd in
            let executor = try SSHExecutor(settings: sshd.settings())
            let pidFile = sshd.directory.appendingPathComponent("remote.pid").path
            let recorder = OutputRecorder()
            let node = self.node
            let task = Task {
                try await executor.run(CommandSpec(["sh", "-c", "echo $$ > \(pidFile); while echo tick; do sleep 0.1; done"]),
                                       on: node, onOutput: recorder.handler)
            }
            #expect(await recorder.waitForLine(containing: "tick") != nil)
            task.cancel()
            let result = try await task.value
            #expect(result.status == .cancelled)
            let remote = try #require(pid_t(try String(contentsOfFile: pidFile, encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(await ProcessProbe.waitUntilGone(remote, within: .seconds(30)), "the remote loop \(remote) must end with its connection")
        }
    }

    @Test("a node name that is a Host alias in the ssh config is used as is, with the config's user, port and key")
    func sshConfigAlias() async throws {
        try await withSSHD { sshd in
            let config = sshd.directory.appendingPathComponent("alias_config").path
            try """
                Host node01
                    HostName 127.0.0.1
                    Port \(sshd.port)
                    User root
                    IdentityFile \(sshd.userKey)
                    IdentitiesOnly yes
                    UserKnownHostsFile \(sshd.knownHosts)
                    StrictHostKeyChecking yes
                """.write(toFile: config, atomically: true, encoding: .utf8)
            let executor = try SSHExecutor(settings: SSHSettings(connectTimeoutSeconds: 5, configFile: config))
            let nodeWithoutAddress = try NodeTarget(name: "node01")
            let destination = try await executor.destination(for: nodeWithoutAddress)
            #expect(destination == SSHDestination(host: "node01", hostname: "127.0.0.1", origin: .sshAlias, user: "root", port: sshd.port))
            // Shown as the machine ssh really reaches, and where that came from.
            #expect(try await executor.nodeDestination(for: nodeWithoutAddress)
                == NodeDestination(address: "root@127.0.0.1:\(sshd.port)", source: "ssh config alias node01", connectsTo: "127.0.0.1",
                                   sudo: false), "ssh logs in as root: privileged commands run without sudo")
            let recorder = OutputRecorder()
            let result = try await executor.run(CommandSpec(["echo", "via alias"]), on: nodeWithoutAddress,
                                                onOutput: recorder.handler)
            #expect(result.status == .exited(0))
            #expect(recorder.texts(from: .stdout) == ["via alias"])
        }
    }

    @Test("a ProxyJump in the ssh config is honoured: two logins, the jump host's and the node's")
    func proxyJump() async throws {
        try await withSSHD { sshd in
            let config = sshd.directory.appendingPathComponent("jump_config").path
            try """
                Host jump node01
                    HostName 127.0.0.1
                    Port \(sshd.port)
                    User root
                    IdentityFile \(sshd.userKey)
                    IdentitiesOnly yes
                    UserKnownHostsFile \(sshd.knownHosts)
                    StrictHostKeyChecking yes
                Host node01
                    ProxyJump jump
                """.write(toFile: config, atomically: true, encoding: .utf8)
            let executor = try SSHExecutor(settings: SSHSettings(connectTimeoutSeconds: 5, configFile: config))
            let target = try NodeTarget(name: "node01", internalIP: "10.255.0.1")
            #expect(try await executor.destination(for: target).origin == .sshAlias)
            let recorder = OutputRecorder()
            let result = try await executor.run(CommandSpec(["echo", "through the jump host"]), on: target,
                                                onOutput: recorder.handler)
            #expect(result.status == .exited(0))
            #expect(recorder.texts(from: .stdout) == ["through the jump host"])
            // sshd writes its log with CRLF line ends, from each connection's own process: wait, with a deadline.
            func logins() -> Int { sshd.log.split(whereSeparator: \.isNewline).filter { $0.contains("Accepted publickey for root") }.count }
            let deadline = ContinuousClock.now + .seconds(5)
            while logins() < 2 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            let snapshot = sshd.log
            #expect(logins() == 2, "expected a login on the jump host and one on the node; log: \(snapshot.debugDescription)")
        }
    }

    @Test("--ssh-host fills in {name} and {ip} and wins over the InternalIP")
    func hostTemplate() async throws {
        try await withSSHD { sshd in
            var settings = sshd.settings()
            settings.hostTemplate = "localhost"
            let executor = try SSHExecutor(settings: settings)
            let target = try NodeTarget(name: "node02", internalIP: "10.255.0.9")
            let destination = try await executor.destination(for: target)
            #expect(destination.host == "localhost" && destination.origin == .hostTemplate)
            let recorder = OutputRecorder()
            _ = try await executor.run(CommandSpec(["echo", "templated"]), on: target, onOutput: recorder.handler)
            #expect(recorder.texts(from: .stdout) == ["templated"])
        }
    }

    @Test("a node with no alias, no address and no template cannot be reached, and says why")
    func unreachableNode() async throws {
        let executor = try SSHExecutor(settings: SSHSettings(user: "root", configFile: "/dev/null"))
        let error = await #expect(throws: ExecutorError.self) {
            _ = try await executor.run(CommandSpec(["true"]), on: try NodeTarget(name: "node09")) { _ in }
        }
        #expect(error?.kind == .invalidTarget)
        #expect(error?.message.hasPrefix("node09: no way to reach the node over ssh") == true)
    }
}
