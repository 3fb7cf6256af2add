import Foundation
import TestSupport

/// The real binary in a detached tmux session on a private socket: keys in, screen text out, the server killed at the end.
final class DemoTmux: @unchecked Sendable {
    let socket = "kubeskew-demo-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
    let name = "demo"

    /// Starts `kubeskew <arguments>` in a `width`×`height` session with a UTF-8 locale.
    init(_ arguments: [String], environment: [String: String] = [:], width: Int = 120, height: Int = 40) throws {
        let env = (["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color"].merging(environment) { _, b in b })
            .map { "\($0.key)=\(Self.quote($0.value))" }.sorted().joined(separator: " ")
        let command = "env \(env) \(Self.quote(BinaryRunner.binary.path)) " + arguments.map(Self.quote).joined(separator: " ")
        let status = try tmux(["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height), command])
        guard status.code == 0 else { throw DemoTmuxError(message: "tmux new-session failed: \(status.output)") }
        // Keep the pane after the program exits, so what it prints on the way out can be read.
        _ = try tmux(["set-option", "-t", name, "remain-on-exit", "on"])
    }

    deinit { stop() }

    /// Kills the tmux server of this session (and with it the program); safe to call twice.
    func stop() {
        _ = try? tmux(["kill-server"])
    }

    func send(_ keys: String...) throws {
        _ = try tmux(["send-keys", "-t", name] + keys)
    }

    /// The screen as text.
    func screen() throws -> String {
        try tmux(["capture-pane", "-p", "-t", name]).output
    }

    /// Waits until `condition` holds for the screen, or the deadline passes; returns the last screen seen.
    @discardableResult
    func waitFor(_ what: String, within limit: Duration = .seconds(30), _ condition: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + limit
        var last = ""
        while ContinuousClock.now < deadline {
            last = try screen()
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw DemoTmuxError(message: "timed out waiting for \(what); the screen was:\n\(last)")
    }

    func waitFor(text: String, within limit: Duration = .seconds(30)) async throws -> String {
        try await waitFor("\"\(text)\"", within: limit) { $0.contains(text) }
    }

    /// Runs one tmux command and waits for it. Output goes through a file, never a pipe (a tmux server started by the
    /// command would inherit the pipe and hold it open), and the child is spawned and reaped here directly: the
    /// client that starts the server was never reaped through Foundation's Process.
    @discardableResult
    private func tmux(_ args: [String]) throws -> (code: Int32, output: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: file) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, file.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = (["tmux", "-L", socket] + args).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        // The test's thread may block signals; tmux (and the program it starts) must get them as usual, or
        // kill-server and the SIGHUP it sends would be lost.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "tmux", &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw DemoTmuxError(message: "cannot run tmux: \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        var waited: pid_t
        repeat { waited = waitpid(pid, &status, 0) } while waited < 0 && errno == EINTR
        let code: Int32 = waited == pid ? (status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)) : 0
        return (code, (try? String(contentsOf: file, encoding: .utf8)) ?? "")
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

/// Why a tmux step failed, with the screen when there is one.
struct DemoTmuxError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
