import Foundation
import NodeExec

/// A real OpenSSH server on 127.0.0.1 for one test: generated host and user keys in a temporary folder, a free
/// port, root login by key only, and a `shims` folder ahead of `/usr/bin` in every remote command's PATH.
///
/// Use it through ``withSSHD(_:)``, which always stops the server and removes the folder.
public final class SSHDFixture: @unchecked Sendable {
    public struct FixtureError: Error, CustomStringConvertible {
        public let description: String
    }

    public static let sshd = "/usr/sbin/sshd"
    public static let sshKeygen = "/usr/bin/ssh-keygen"
    public static let ssh = "/usr/bin/ssh"

    public let directory: URL
    public let port: Int
    /// The key sshd accepts for root.
    public let userKey: String
    /// A key sshd does not accept.
    public let strangerKey: String
    /// known_hosts with the server's real host key for 127.0.0.1 and localhost on this port.
    public let knownHosts: String
    /// known_hosts that pins a different key for the same host.
    public let wrongKnownHosts: String
    /// An empty ssh config, so the developer's own ~/.ssh/config does not leak into tests.
    public let emptyConfig: String
    public let shims: URL
    public private(set) var pid: pid_t = 0

    private init(directory: URL, port: Int) {
        self.directory = directory
        self.port = port
        self.userKey = directory.appendingPathComponent("user_key").path
        self.strangerKey = directory.appendingPathComponent("stranger_key").path
        self.knownHosts = directory.appendingPathComponent("known_hosts").path
        self.wrongKnownHosts = directory.appendingPathComponent("wrong_known_hosts").path
        self.emptyConfig = directory.appendingPathComponent("ssh_config").path
        self.shims = directory.appendingPathComponent("shims")
    }

    /// Generates keys, writes the config and starts sshd, retrying with another port if the chosen one was taken.
    public static func start() async throws -> SSHDFixture {
        for tool in [sshd, sshKeygen, ssh] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw FixtureError(description: "\(tool) is missing: install openssh-server and openssh-client (apt-get install -y openssh-server openssh-client); the ssh executor tests need a real sshd")
        }
        guard geteuid() == 0 else {
            throw FixtureError(description: "the ssh executor tests start sshd and log in as root over it; run them as root (CI does)")
        }
        var lastError: (any Error)?
        for _ in 0..<3 {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("kubeskew-sshd-\(UUID().uuidString)")
            let fixture = SSHDFixture(directory: directory, port: try LoopbackPort.free())
            do {
                try await fixture.launch()
                return fixture
            } catch {
                await fixture.stop()
                lastError = error
            }
        }
        throw lastError ?? FixtureError(description: "sshd did not start")
    }

    private func launch() async throws {
        let files = FileManager.default
        try files.createDirectory(at: shims, withIntermediateDirectories: true)
        try files.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        let hostKey = directory.appendingPathComponent("host_key").path
        let otherHostKey = directory.appendingPathComponent("other_host_key").path
        for key in [hostKey, otherHostKey, userKey, strangerKey] {
            try await Self.runTool(Self.sshKeygen, ["-q", "-t", "ed25519", "-N", "", "-C", "kubeskew-test", "-f", key])
        }
        try files.copyItem(atPath: userKey + ".pub", toPath: directory.appendingPathComponent("authorized_keys").path)
        let hostPublic = try String(contentsOfFile: hostKey + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let otherPublic = try String(contentsOfFile: otherHostKey + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        try "[127.0.0.1]:\(port) \(hostPublic)\n[localhost]:\(port) \(hostPublic)\n".write(toFile: knownHosts, atomically: true, encoding: .utf8)
        try "[127.0.0.1]:\(port) \(otherPublic)\n".write(toFile: wrongKnownHosts, atomically: true, encoding: .utf8)
        try "".write(toFile: emptyConfig, atomically: true, encoding: .utf8)
        let config = """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(hostKey)
            AuthorizedKeysFile \(directory.path)/authorized_keys
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            PermitRootLogin yes
            PidFile \(directory.path)/sshd.pid
            SetEnv PATH=\(shims.path):/usr/bin:/bin:/usr/sbin:/sbin
            """
        let configPath = directory.appendingPathComponent("sshd_config").path
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        try await Self.runTool(Self.sshd, ["-f", configPath, "-E", directory.appendingPathComponent("sshd.log").path])

        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if pid == 0, let text = try? String(contentsOfFile: directory.path + "/sshd.pid", encoding: .utf8),
               let value = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                pid = value
            }
            if pid != 0 && LoopbackPort.accepts(port) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw FixtureError(description: "sshd did not accept connections on 127.0.0.1:\(port) within 10 s; log: \(log)")
    }

    /// The server's log, for failure messages.
    public var log: String {
        (try? String(contentsOfFile: directory.path + "/sshd.log", encoding: .utf8)) ?? "(no log)"
    }

    /// Settings that reach this server as root with the right key and a pinned host key.
    public func settings(user: String? = "root", identity: String? = nil, knownHosts: String? = nil,
                  sudo: SSHSettings.SudoPolicy = .automatic) -> SSHSettings {
        SSHSettings(user: user, port: port, identityFile: identity ?? userKey,
                    options: ["UserKnownHostsFile=\(knownHosts ?? self.knownHosts)", "StrictHostKeyChecking=yes"],
                    connectTimeoutSeconds: 5, configFile: emptyConfig, sudo: sudo)
    }

    /// Puts an executable script into the remote PATH, ahead of the real tools.
    /// Written through a close-on-exec descriptor and renamed into place: a child another test spawns meanwhile
    /// must not inherit a writable descriptor of the script, or running it fails with "Text file busy".
    public func addShim(_ name: String, _ script: String) throws {
        let path = shims.appendingPathComponent(name).path
        let temporary = shims.appendingPathComponent(".\(name).\(UUID().uuidString)").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
        guard fd >= 0 else { throw FixtureError(description: "cannot create \(temporary): \(String(cString: strerror(errno)))") }
        let bytes = Array(script.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            throw FixtureError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Stops sshd (SIGTERM, then SIGKILL if it lingers) and removes the folder.
    public func stop() async {
        if pid > 0 {
            kill(pid, SIGTERM)
            if !(await ProcessProbe.waitUntilGone(pid, within: .seconds(3))) { kill(pid, SIGKILL) }
            pid = 0
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs a setup tool to completion (without blocking a concurrency thread); its failure names the tool.
    public static func runTool(_ path: String, _ arguments: [String]) async throws {
        let (result, lines) = try await LocalExecutor().collect(CommandSpec([path] + arguments, timeout: .seconds(30)),
                                                                on: .localhost)
        guard result.succeeded else {
            throw FixtureError(description: "\(path) \(arguments.joined(separator: " ")) failed (\(result.status)): \(lines.map(\.text).joined(separator: "\n"))")
        }
    }
}

/// Runs `body` against a fresh sshd and always stops it afterwards, even when `body` throws.
public func withSSHD<T>(_ body: (SSHDFixture) async throws -> T) async throws -> T {
    let fixture = try await SSHDFixture.start()
    do {
        let value = try await body(fixture)
        await fixture.stop()
        return value
    } catch {
        await fixture.stop()
        throw error
    }
}
