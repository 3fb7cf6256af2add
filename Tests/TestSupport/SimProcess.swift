import Foundation
import Testing

/// A `kubeskew sim` child process for tests: started on a free port, ready when it says so, always stopped.
public final class SimProcess: @unchecked Sendable {
    public let process = Process()
    public let directory: URL
    public let kubeconfig: URL
    public private(set) var url = ""

    public init(arguments: [String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        kubeconfig = directory.appendingPathComponent("kubeconfig")
        process.executableURL = BinaryRunner.binary
        process.arguments = ["sim", "--port", "0", "--kubeconfig-out", kubeconfig.path] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The first stdout line is `ready <url>`; wait for it with a deadline.
        let lines = LockedData()
        let reader = out.fileHandleForReading
        DispatchQueue.global().async {
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                lines.set(lines.get() + chunk)
            }
        }
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let text = String(decoding: lines.get(), as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ready ") }) {
                url = String(line.dropFirst("ready ".count))
                return
            }
            if !process.isRunning { break }
            usleep(20_000)
        }
        stop()
        throw SimError(message: "kubeskew sim did not print `ready` within 60 s")
    }

    public struct SimError: Error, CustomStringConvertible {
        let message: String
        public var description: String { message }
    }

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}
