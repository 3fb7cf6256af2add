import Foundation
import Testing

/// Runs the built `kubeskew` binary as an operator would, with a deadline, and captures what it prints.
enum BinaryRunner {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ path: String) -> String { repoRoot.appendingPathComponent("Assets/examples/\(path)").path }

    /// The binary next to the test bundle (both are built by `swift test`), or `KUBESKEW_BIN`.
    static var binary: URL {
        if let explicit = ProcessInfo.processInfo.environment["KUBESKEW_BIN"] { return URL(fileURLWithPath: explicit) }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("kubeskew")
            if FileManager.default.isExecutableFile(atPath: candidate.path), !candidate.hasDirectoryPath { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return repoRoot.appendingPathComponent(".build/debug/kubeskew")
    }

    static func run(_ args: [String], environment: [String: String] = [:], timeout: TimeInterval = 60) throws -> Result {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NO_COLOR")
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // Drain both pipes while the process runs, so a large output cannot block it.
        let outData = LockedData(), errData = LockedData()
        let group = DispatchGroup()
        for (pipe, sink) in [(out, outData), (err, errData)] {
            group.enter()
            DispatchQueue.global().async {
                sink.set(pipe.fileHandleForReading.readDataToEndOfFile())
                group.leave()
            }
        }
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(10_000) }
        if p.isRunning {
            p.terminate()
            p.waitUntilExit()
            Issue.record("kubeskew \(args.joined(separator: " ")) did not finish within \(timeout) s")
        }
        p.waitUntilExit()
        group.wait()
        return Result(status: p.terminationStatus, stdout: String(decoding: outData.get(), as: UTF8.self),
                      stderr: String(decoding: errData.get(), as: UTF8.self))
    }

    /// A temporary folder removed when the closure ends, whatever happens.
    static func withTempDir<T>(_ body: (URL) throws -> T) throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        return try body(dir)
    }
}

/// Bytes shared between the reader thread and the test.
final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}

/// Builds NodeList JSON as `kubectl get nodes -o json` writes it, for inputs the fixtures do not cover.
enum NodeJSON {
    static func node(_ name: String, kubelet: String?, proxy: String? = nil, controlPlane: Bool = false) -> [String: Any] {
        var info: [String: Any] = ["osImage": "Ubuntu 22.04.5 LTS", "containerRuntimeVersion": "containerd://1.7.27",
                                   "operatingSystem": "linux", "architecture": "amd64"]
        if let kubelet { info["kubeletVersion"] = kubelet }
        if let proxy { info["kubeProxyVersion"] = proxy }
        var labels: [String: String] = ["kubernetes.io/hostname": name]
        if controlPlane { labels["node-role.kubernetes.io/control-plane"] = "" }
        return ["apiVersion": "v1", "kind": "Node", "metadata": ["name": name, "labels": labels],
                "spec": [:] as [String: Any],
                "status": ["nodeInfo": info, "conditions": [["type": "Ready", "status": "True"]]]]
    }

    static func list(_ items: [[String: Any]]) throws -> Data {
        try JSONSerialization.data(withJSONObject: ["apiVersion": "v1", "kind": "List", "metadata": ["resourceVersion": ""], "items": items])
    }
}
