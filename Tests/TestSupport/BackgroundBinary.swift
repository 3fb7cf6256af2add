import Foundation

/// The built `kubeskew` running in the background for a test that signals it mid-run: its output is collected as
/// it comes, and `stop()` (also at deinit) kills it if it is still running, so no test leaves it behind.
public final class BackgroundBinary: @unchecked Sendable {
    public let process = Process()
    private let out = LockedData()
    private let err = LockedData()

    /// Starts `kubeskew ARGS` with `environment` added (NO_COLOR removed unless given).
    public init(_ args: [String], environment: [String: String] = [:]) throws {
        process.executableURL = BinaryRunner.binary
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        if environment["NO_COLOR"] == nil { env["NO_COLOR"] = nil }
        let (environment, removed) = BinaryRunner.isolatingConfig(environment)
        for k in removed { env[k] = nil }
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        for (pipe, sink) in [(stdout, out), (stderr, err)] {
            pipe.fileHandleForReading.readabilityHandler = { handle in
                let chunk = handle.availableData
                if chunk.isEmpty { handle.readabilityHandler = nil } else { sink.set(sink.get() + chunk) }
            }
        }
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }
    public var stdout: String { String(decoding: out.get(), as: UTF8.self) }
    public var stderr: String { String(decoding: err.get(), as: UTF8.self) }

    /// Waits until stdout or stderr contains `text` (polling); false when the process ended or `limit` passed first.
    public func waitForOutput(_ text: String, within limit: Duration = .seconds(120)) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if stdout.contains(text) || stderr.contains(text) { return true }
            if !process.isRunning { return stdout.contains(text) || stderr.contains(text) }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    public func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the exit (polling, without blocking a pool thread); the status, or nil when `limit` passed.
    public func waitForExit(within limit: Duration = .seconds(120)) async -> Int32? {
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(50))
        }
        // Let the readers take what is left in the pipes.
        try? await Task.sleep(for: .milliseconds(100))
        return process.terminationStatus
    }

    /// Kills the process if it still runs (SIGKILL) and waits for it.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}
