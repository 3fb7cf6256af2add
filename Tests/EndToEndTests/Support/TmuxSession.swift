import Foundation
import TestSupport

/// The real binary in a detached tmux session on a private socket: keys in, screen text out, the server killed at the end.
final class TmuxSession: @unchecked Sendable {
    let socket = "kubeskew-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
    let name = "demo"

    /// Starts `kubeskew <arguments>` in a `width`×`height` session with a UTF-8 locale.
    init(_ arguments: [String], environment: [String: String] = [:], width: Int = 120, height: Int = 40) throws {
        let env = (["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color"].merging(environment) { _, b in b })
            .map { "\($0.key)=\(Self.quote($0.value))" }.sorted().joined(separator: " ")
        let command = "env \(env) \(Self.quote(BinaryRunner.binary.path)) " + arguments.map(Self.quote).joined(separator: " ")
        let status = try tmux(["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height), command])
        guard status.code == 0 else { throw TmuxError(message: "tmux new-session failed: \(status.output)") }
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
        throw TmuxError(message: "timed out waiting for \(what); the screen was:\n\(last)")
    }

    func waitFor(text: String, within limit: Duration = .seconds(30)) async throws -> String {
        try await waitFor("\"\(text)\"", within: limit) { $0.contains(text) }
    }

    @discardableResult
    private func tmux(_ args: [String]) throws -> (code: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["tmux", "-L", socket] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

/// Why a tmux step failed, with the screen when there is one.
struct TmuxError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
