import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The kubeskew process that created a step pod, written into the pod's annotations: host, boot, pid and the
/// process's start time. A pid alone is reused; with the start time and the boot it names one process, so a later
/// kubeskew on the same machine can tell a leftover of a killed run from a pod a live run still drives.
public struct StepPodDriver: Sendable, Equatable {
    public let host: String
    public let boot: String
    public let pid: Int32
    /// The process's start time in clock ticks since boot (`/proc/PID/stat` field 22).
    public let start: String

    static let hostKey = "kubeskew.io/driver-host"
    static let bootKey = "kubeskew.io/driver-boot"
    static let pidKey = "kubeskew.io/driver-pid"
    static let startKey = "kubeskew.io/driver-start"

    public init(host: String, boot: String, pid: Int32, start: String) {
        self.host = host
        self.boot = boot
        self.pid = pid
        self.start = start
    }

    /// This process.
    public static let current: StepPodDriver = {
        var name = [CChar](repeating: 0, count: 256)
        let host = gethostname(&name, name.count) == 0
            ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
        let pid = getpid()
        return StepPodDriver(host: host, boot: bootID() ?? "?", pid: pid, start: startTime(of: pid) ?? "?")
    }()

    /// Read back from a pod's annotations; nil when the pod does not say (made by an older kubeskew, or by hand).
    public init?(annotations: [String: String]?) {
        guard let a = annotations, let host = a[Self.hostKey], let boot = a[Self.bootKey],
              let pid = a[Self.pidKey].flatMap({ Int32($0) }), let start = a[Self.startKey] else { return nil }
        self.init(host: host, boot: boot, pid: pid, start: start)
    }

    public var annotations: [String: String] {
        [Self.hostKey: host, Self.bootKey: boot, Self.pidKey: String(pid), Self.startKey: start]
    }

    /// Whether the driver is this process, another live one here, gone, or on another machine (cannot be told).
    public enum Liveness: Sendable, Equatable {
        case thisProcess, alive, gone, elsewhere
    }

    public func liveness(seenFrom here: StepPodDriver = .current,
                         startTime: (Int32) -> String? = StepPodDriver.startTime(of:)) -> Liveness {
        guard host == here.host else { return .elsewhere }
        // Same host, another boot: every process of that boot is gone.
        guard boot == here.boot else { return .gone }
        if pid == here.pid && start == here.start { return .thisProcess }
        return startTime(pid) == start ? .alive : .gone
    }

    /// Field 22 of `/proc/PID/stat`; nil when the process does not exist.
    public static func startTime(of pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name start at field 3 (state); the start time is field 22.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19 else { return nil }
        let state = fields[0]
        if state == "Z" || state == "X" { return nil }
        return String(fields[19])
    }

    static func bootID() -> String? {
        (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// The run whose steps the current task executes: the pod executor labels its step pods with it. The engine binds it
/// around its loop (`UpgradeEngine.beginLoop`), so every step task of a run inherits it.
public enum RunContext {
    @TaskLocal public static var runID: String?
}
