import Foundation
import Testing

/// Runs the built `kubeskew` binary as an operator would, with a deadline, and captures what it prints.
public enum BinaryRunner {
    public struct Result {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    public static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func fixture(_ path: String) -> String { repoRoot.appendingPathComponent("Assets/examples/\(path)").path }

    /// The binary next to the test bundle (both are built by `swift test`), or `KUBESKEW_BIN`.
    public static var binary: URL {
        if let explicit = ProcessInfo.processInfo.environment["KUBESKEW_BIN"] { return URL(fileURLWithPath: explicit) }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("kubeskew")
            if FileManager.default.isExecutableFile(atPath: candidate.path), !candidate.hasDirectoryPath { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return repoRoot.appendingPathComponent(".build/debug/kubeskew")
    }

    /// A folder that is never created: the configuration folder of every kubeskew a test starts, unless the test
    /// gives its own XDG_CONFIG_HOME or KUBESKEW_CONFIG. A test never reads the operator's ~/.config/kubeskew.
    public static let noConfigHome = FileManager.default.temporaryDirectory
        .appendingPathComponent("kubeskew-test-no-config-\(UUID().uuidString)").path

    /// `environment` with the configuration file isolated (see `noConfigHome`), and the variables to remove.
    public static func isolatingConfig(_ environment: [String: String]) -> (set: [String: String], removed: [String]) {
        var set = environment
        if set["XDG_CONFIG_HOME"] == nil { set["XDG_CONFIG_HOME"] = noConfigHome }
        return (set, environment["KUBESKEW_CONFIG"] == nil ? ["KUBESKEW_CONFIG"] : [])
    }

    /// Runs `kubeskew ARGS` to completion (without blocking a thread), NO_COLOR unset unless given, no configuration
    /// file but the one the test names.
    public static func run(_ args: [String], environment: [String: String] = [:], timeout: TimeInterval = 60,
                           sourceLocation: SourceLocation = #_sourceLocation) async throws -> Result {
        let (environment, removed) = isolatingConfig(environment)
        let r = try await ChildProcess.run(binary.path, args, environment: environment,
                                           removing: (environment["NO_COLOR"] == nil ? ["NO_COLOR"] : []) + removed,
                                           timeout: .seconds(timeout), sourceLocation: sourceLocation)
        return Result(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    /// Runs the real kubectl (the machine's dispatcher picks the version that matches the server).
    public static func kubectl(_ args: [String]) async throws -> Result {
        let r = try await ChildProcess.run("kubectl", args, timeout: .seconds(60))
        return Result(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    /// A temporary folder removed when the closure ends, whatever happens.
    public static func withTempDir<T>(_ body: (URL) async throws -> T) async throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        return try await body(dir)
    }
}

/// Bytes shared between the reader thread and the test.
public final class LockedData: @unchecked Sendable {
    public init() {}
    private let lock = NSLock()
    private var data = Data()
    public func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
    public func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}

/// Builds NodeList JSON as `kubectl get nodes -o json` writes it, for inputs the fixtures do not cover.
public enum NodeJSON {
    public static func node(_ name: String, kubelet: String?, proxy: String? = nil, controlPlane: Bool = false) -> [String: Any] {
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

    public static func list(_ items: [[String: Any]]) throws -> Data {
        try JSONSerialization.data(withJSONObject: ["apiVersion": "v1", "kind": "List", "metadata": ["resourceVersion": ""], "items": items])
    }
}
