import Foundation
import Subprocess
import Testing
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Runs a program to completion without blocking a thread of the shared pool (tests run side by side on two
/// cores: a blocking wait in one test stalls the others), with a deadline after which the child is stopped.
public enum ChildProcess {
    /// How a child ended and what it printed.
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], removing: [String] = [],
        timeout: Duration = .seconds(120), sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Result {
        var updates: [Environment.Key: String?] = [:]
        for (k, v) in environment { updates[Environment.Key(stringLiteral: k)] = v }
        for k in removing { updates[Environment.Key(stringLiteral: k)] = .some(nil) }
        let env = Environment.inherit.updating(updates)
        let path = executable.hasPrefix("/") ? executable : try which(executable)
        let arguments = arguments
        let outcome: Result? = try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                let r = try await Subprocess.run(
                    .path(FilePath(path)), arguments: Arguments(arguments), environment: env, input: .none,
                    output: .string(limit: 256 << 20), error: .string(limit: 16 << 20))
                let status: Int32 = switch r.terminationStatus {
                case .exited(let code): Int32(code)
                case .signaled(let signal): 128 + Int32(signal)
                }
                return Result(status: status, stdout: r.standardOutput, stderr: r.standardError)
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let outcome else {
            Issue.record("\(executable) \(arguments.joined(separator: " ")) did not finish within \(timeout)", sourceLocation: sourceLocation)
            return Result(status: -1, stdout: "", stderr: "timed out")
        }
        return outcome
    }

    /// The full path of a program on PATH.
    public static func which(_ name: String) throws -> String {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw NotFound(name: name)
    }

    /// A program that is not on PATH.
    public struct NotFound: Error, CustomStringConvertible {
        public let name: String
        public var description: String { "\(name) is not on PATH" }
    }
}
