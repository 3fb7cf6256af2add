import Foundation
import Synchronization
import Testing

/// The real binary (or any shell command) in a detached tmux session on a private socket: keys in, screen text out,
/// the tmux server stopped at the end. Every tmux command runs through ``ChildProcess``, so waiting for one never
/// blocks a thread of the shared pool (tests run side by side on two cores).
public final class TmuxSession: Sendable {
    /// The private socket's path; no other test and no developer's own tmux share it.
    public let socket: String
    /// The session's name, the target of every command.
    public let name: String
    private let serverPID: Int32
    /// Where the shell in the pane writes the command's exit status when it ends.
    private let statusFile: String
    private let stopped = Atomic<Bool>(false)

    /// Starts `shellCommand` (run by the shell) in a `width`×`height` session. The pane stays after the command
    /// exits, so what it printed on the way out and its exit status can still be read.
    public init(shellCommand: String, width: Int = 120, height: Int = 40) async throws {
        let name = "e2e"
        let socket = FileManager.default.temporaryDirectory
            .appendingPathComponent("kubeskew-tmux-\(getpid())-\(UUID().uuidString.prefix(8))").path
        // One tmux call: remain-on-exit is set before the server looks at the pane again, so even a command that
        // exits at once leaves its pane. No config file: a developer's ~/.tmux.conf must not change the screen.
        // The shell in the pane waits for the command and writes its status to a file: tmux 3.3a sometimes leaves an
        // exited program unreaped (a zombie, `pane_dead` 1 with an empty `pane_dead_status`), so its own report of
        // the status cannot be relied on.
        let statusFile = socket + ".status"
        let wrapped = "\(shellCommand); echo $? > \(Self.quote(statusFile))"
        let pid: String
        do {
            pid = try await Self.tmux(socket, [
                "-f", "/dev/null", "new-session", "-d", "-s", name, "-x", String(width), "-y", String(height), wrapped,
                ";", "set-option", "-t", name, "remain-on-exit", "on",
                ";", "display-message", "-p", "-t", name, "#{pid}",
            ], timeout: .seconds(120))
        } catch {
            // The server may be up although its client did not answer in time: stop it and the program in its pane,
            // or they outlive the test (the whole suite on a loaded machine once left nine behind).
            _ = try? await Self.tmux(socket, ["kill-server"])
            unlink(socket)
            throw error
        }
        guard let serverPID = Int32(pid.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            _ = try? await Self.tmux(socket, ["kill-server"])
            unlink(socket)
            throw TmuxError(message: "tmux did not say its server's pid: \(pid.debugDescription)")
        }
        self.socket = socket
        self.name = name
        self.serverPID = serverPID
        self.statusFile = statusFile
    }

    /// Starts the built `kubeskew <arguments>` with a UTF-8 locale, `TERM=xterm-256color` and `environment` on top.
    public convenience init(_ arguments: [String], environment: [String: String] = [:], width: Int = 120,
                            height: Int = 40) async throws {
        let (isolated, removed) = BinaryRunner.isolatingConfig(environment)
        let env = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color"].merging(isolated) { _, b in b }
            .map { "\($0.key)=\(Self.quote($0.value))" }.sorted().joined(separator: " ")
        let unset = removed.map { "-u \($0) " }.joined()
        let command = "env \(unset)\(env) \(Self.quote(BinaryRunner.binary.path)) " + arguments.map(Self.quote).joined(separator: " ")
        try await self.init(shellCommand: command, width: width, height: height)
    }

    deinit { stop() }

    /// Stops the tmux server (SIGTERM: it hangs up on the program in the pane) without waiting; safe to call twice,
    /// and synchronous so that a `defer` can call it.
    public func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        kill(serverPID, SIGTERM)
        unlink(socket)
        unlink(statusFile)
    }

    /// Sends keys by tmux name (`Enter`, `C-c`, `Space`) or as text; `"-l", text` sends text literally.
    public func send(_ keys: String...) async throws {
        try await tmux(["send-keys", "-t", name] + keys)
    }

    /// Sends `text` literally (no key-name lookup).
    public func type(_ text: String) async throws {
        try await tmux(["send-keys", "-t", name, "-l", text])
    }

    /// Resizes the window, as a terminal emulator would.
    public func resize(width: Int, height: Int) async throws {
        try await tmux(["resize-window", "-t", name, "-x", String(width), "-y", String(height)])
    }

    /// The screen as text, one line a row.
    public func screen() async throws -> String {
        try await tmux(["capture-pane", "-p", "-t", name])
    }

    /// Waits until `condition` holds for the screen; past the deadline, throws with `what` and the last screen.
    /// The deadline only stops a hung test: waits end as soon as the text is there, and a CI machine running every
    /// suite at once on two cores has taken 77 s for what takes 3 s alone, so the default is generous.
    @discardableResult
    public func waitFor(_ what: String, within limit: Duration = .seconds(120),
                        _ condition: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + limit
        var last = ""
        while ContinuousClock.now < deadline {
            last = try await screen()
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TmuxError(message: "timed out after \(limit) waiting for \(what); the screen was:\n\(last)")
    }

    /// Waits until `text` is on the screen; returns that screen.
    @discardableResult
    public func waitFor(text: String, within limit: Duration = .seconds(120)) async throws -> String {
        try await waitFor("\"\(text)\"", within: limit) { $0.contains(text) }
    }

    /// Waits until the program in the pane has exited; returns its exit status.
    public func waitForExit(within limit: Duration = .seconds(120)) async throws -> Int32 {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: statusFile, encoding: .utf8), text.hasSuffix("\n"),
               let status = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return status
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TmuxError(message: "the program did not exit within \(limit); the screen was:\n\((try? await screen()) ?? "")")
    }

    @discardableResult
    private func tmux(_ arguments: [String]) async throws -> String {
        try await Self.tmux(socket, arguments)
    }

    /// Runs one tmux client command to completion. tmux's server daemonizes with its output on /dev/null, so it
    /// holds no pipe of ours open; ChildProcess starts it with every signal at its default and none blocked, so the
    /// server and the program in the pane get SIGTERM and SIGHUP as usual.
    private static func tmux(_ socket: String, _ arguments: [String], timeout: Duration = .seconds(60)) async throws -> String {
        let result = try await ChildProcess.run("tmux", ["-S", socket] + arguments,
                                                environment: ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"],
                                                removing: ["TMUX"], timeout: timeout)
        guard result.status == 0 else {
            throw TmuxError(message: "tmux \(arguments.first ?? "") failed (\(result.status)): \(result.stderr)")
        }
        return result.stdout
    }

    /// `s` as one single-quoted shell word.
    public static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

/// Why a tmux step failed, with the screen when there is one.
public struct TmuxError: Error, CustomStringConvertible {
    /// What went wrong, for the test log.
    public let message: String
    /// What went wrong.
    public var description: String { message }

    public init(message: String) { self.message = message }
}
