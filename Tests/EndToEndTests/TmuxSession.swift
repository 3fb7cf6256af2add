import Foundation

/// A private tmux server with one session, for driving the real binary; `stop()` kills the server.
final class TmuxSession {
    let socket: String
    let name = "e2e"

    init(width: Int, height: Int, command: String) throws {
        socket = "kubeskew-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try tmux(["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", command])
    }

    func stop() {
        _ = try? tmux(["kill-server"])
    }

    func send(_ keys: String...) throws {
        try tmux(["send-keys", "-t", name] + keys)
    }

    /// Sends text literally (no key-name lookup).
    func type(_ text: String) throws {
        try tmux(["send-keys", "-t", name, "-l", text])
    }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    func capture() throws -> String {
        try tmux(["capture-pane", "-p", "-t", name])
    }

    /// Captures until `condition` holds or the deadline passes; returns the last capture and whether it held.
    @discardableResult
    func waitFor(_ what: String, timeout: Duration = .seconds(10), _ condition: (String) -> Bool) throws -> (screen: String, ok: Bool) {
        let deadline = ContinuousClock.now + timeout
        var screen = ""
        while ContinuousClock.now < deadline {
            screen = try capture()
            if condition(screen) { return (screen, true) }
            usleep(20_000)
        }
        print("timed out waiting for \(what); screen:\n\(screen)")
        return (screen, false)
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment["LANG"] = "C.UTF-8"
        environment.removeValue(forKey: "TMUX")
        return try Spawn.run(["tmux", "-L", socket] + arguments, environment: environment).output
    }
}
