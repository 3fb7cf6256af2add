import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A run's audit trail, `<run>/audit.jsonl`: one JSON object per line, only ever appended. It says who drove the run
/// (each start and resume: the local user, the host, the kubeconfig user) and every command the run ran, where it
/// ran and how it ended, for change records (`kubeskew history --audit RUN -o json`).
///
/// Concurrency rule: one trail per engine; the steps of several nodes append at once, one whole line at a time,
/// under the trail's lock. Nothing reads it while a run writes it but `history`, which tolerates a last partial line.
public final class AuditTrail: Sendable {
    /// One line of the trail.
    public struct Entry: Codable, Sendable, Equatable {
        /// RFC 3339, UTC.
        public var time: String
        /// `started`, `resumed` or `command`.
        public var event: String
        public var localUser: String?
        public var host: String?
        public var pid: Int32?
        public var kubeconfigUser: String?
        public var context: String?
        public var server: String?
        public var node: String?
        public var step: String?
        /// The executor that ran it (`ssh`, `pod`, `local`, …).
        public var executor: String?
        /// Where it ran, as the plan resolved it (`ops@10.0.0.5:22 (ssh)`, `this machine`).
        public var destination: String?
        /// As typed, `sudo` shown when it ran privileged.
        public var command: String?
        /// `exit 0`, `timed out`, … or why it could not run.
        public var status: String?
        public var durationMs: Int64?

        public init(time: String, event: String) {
            self.time = time
            self.event = event
        }
    }

    public let file: URL
    private let handle: Mutex<FileHandle?>

    public static let fileName = "audit.jsonl"

    /// The trail of run `runID` in `journal` (its folder exists once the run was created); opened for appending.
    public init(journal: Journal, runID: String) {
        file = journal.runDirectory(runID).appendingPathComponent(Self.fileName)
        let fd = open(file.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        handle = Mutex(fd >= 0 ? FileHandle(fileDescriptor: fd, closeOnDealloc: true) : nil)
    }

    /// Appends `entry` as one line.
    public func append(_ entry: Entry) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(entry) else { return }
        handle.withLock { try? $0?.write(contentsOf: data + Data([0x0A])) }
    }

    /// Who is driving the run now, for its `started` or `resumed` line.
    public static func session(_ event: String, identity: RunIdentity?, time: String) -> Entry {
        var entry = Entry(time: time, event: event)
        entry.localUser = LocalOperator.user
        entry.host = LocalOperator.host
        entry.pid = getpid()
        entry.kubeconfigUser = identity?.user
        entry.context = identity?.context
        entry.server = identity?.server
        return entry
    }

    /// The lines of the trail at `file`, in order; a last line cut by a crash is left out.
    public static func entries(at file: URL) throws -> [Entry] {
        guard FileManager.default.fileExists(atPath: file.path) else { return [] }
        let data = try Data(contentsOf: file)
        let decoder = JSONDecoder()
        return data.split(separator: 0x0A).compactMap { try? decoder.decode(Entry.self, from: Data($0)) }
    }
}

/// The person at this machine, as the audit trail names them.
public enum LocalOperator {
    /// The login name of the effective user (`getpwuid`), else `$USER`, else the uid.
    public static let user: String = {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "uid \(geteuid())"
    }()

    /// This machine's host name.
    public static let host: String = {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count) == 0 else { return "?" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()
}
