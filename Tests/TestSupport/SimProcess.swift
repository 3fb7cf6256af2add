import Foundation
import Testing

/// A `kubeskew sim` child process for tests: started on a free port, ready when it says so, always stopped.
public final class SimProcess: @unchecked Sendable {
    public let process = Process()
    public let directory: URL
    public let kubeconfig: URL
    public private(set) var url = ""

    private let output = LockedData()

    private init(arguments: [String], port: Int) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        kubeconfig = directory.appendingPathComponent("kubeconfig")
        process.executableURL = BinaryRunner.binary
        process.arguments = ["sim", "--port", String(port), "--kubeconfig-out", kubeconfig.path] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        // Read on Foundation's own queue as bytes come: nothing here blocks a thread of the shared pool.
        let sink = output
        out.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if chunk.isEmpty { handle.readabilityHandler = nil } else { sink.set(sink.get() + chunk) }
        }
        try process.run()
    }

    /// Starts `kubeskew sim ARGS` on `port` (0: a free one) and returns once it printed `ready <url>`. The deadline
    /// only stops a hung start: the whole suite starting a few dozen processes at once on two cores has kept a sim
    /// from its `ready` for over a minute.
    public static func start(arguments: [String], port: Int = 0) async throws -> SimProcess {
        let sim = try SimProcess(arguments: arguments, port: port)
        let deadline = ContinuousClock.now + .seconds(180)
        while ContinuousClock.now < deadline {
            let text = String(decoding: sim.output.get(), as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ready ") }) {
                sim.url = String(line.dropFirst("ready ".count))
                return sim
            }
            if !sim.process.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        sim.stop()
        let said = String(decoding: sim.output.get(), as: UTF8.self).suffix(2000)
        throw SimError(message: "kubeskew sim did not print `ready` within 180 s; it printed: \(said)")
    }

    public struct SimError: Error, CustomStringConvertible {
        let message: String
        public var description: String { message }
    }

    /// Kills the simulator (SIGKILL: it holds nothing worth a clean exit, and the wait is then immediate).
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}
