import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The exclusive lock of one run: `flock` on `<run>/lock`, held by the process that drives the run from its start
/// (or resume) to its end. The kernel drops it when that process dies, however it dies, so "is this run driven?"
/// is answered by the lock, not by a pid that may have been reused.
///
/// Concurrency rule: a `RunLock` belongs to the task that drives the run; it is released (or the process ends)
/// after the engine's `run()` returned. The descriptor is close-on-exec: children never hold a run's lock.
public final class RunLock: Sendable {
    /// Who holds a run's lock, as the holder wrote it into the lock file.
    public struct Holder: Sendable, Equatable {
        public let pid: Int32
        /// ISO 8601 time the lock was taken.
        public let since: String
    }

    /// A run driven by another process: the message says which and since when.
    public struct Busy: Error, Sendable, CustomStringConvertible {
        public let runID: String
        public let holder: Holder?
        public var description: String {
            guard let holder else { return "run \(runID) is being driven by another kubeskew process" }
            return "run \(runID) is being driven by pid \(holder.pid) (since \(holder.since)); stop that process first, or wait for it to end"
        }
    }

    public let runID: String
    private let fd: Int32

    private init(runID: String, fd: Int32) {
        self.runID = runID
        self.fd = fd
    }

    deinit { close(fd) }

    /// Takes the lock of `runID` in `journal` (its folder must exist), or throws `Busy` naming the holder.
    public static func acquire(_ runID: String, in journal: Journal) throws -> RunLock {
        let path = lockPath(runID, journal)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw Journal.JournalError(message: "\(path): cannot open the run's lock (\(String(cString: strerror(errno))))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            close(fd)
            if busy { throw Busy(runID: runID, holder: readHolder(path)) }
            throw Journal.JournalError(message: "\(path): cannot lock the run (\(reason))")
        }
        let text = "pid \(getpid())\nsince \(ISO8601DateFormatter().string(from: Date()))\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        return RunLock(runID: runID, fd: fd)
    }

    /// The holder of `runID`'s lock, nil when nobody holds it; `.unknown` when the run has no lock file (a run
    /// journaled before locks existed: only its pid can tell).
    public static func state(of runID: String, in journal: Journal) -> LockState {
        let path = lockPath(runID, journal)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .unknown }
        defer { close(fd) }
        // A shared lock conflicts with the driver's exclusive one; taken and dropped at once.
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            _ = flock(fd, LOCK_UN)
            return .free
        }
        return .held(readHolder(path))
    }

    /// Whether a run's lock is held, free, or cannot be told (no lock file).
    public enum LockState: Sendable, Equatable {
        case held(Holder?), free, unknown
    }

    static func lockPath(_ runID: String, _ journal: Journal) -> String {
        journal.runDirectory(runID).appendingPathComponent("lock").path
    }

    private static func readHolder(_ path: String) -> Holder? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        var pid: Int32?
        var since = "?"
        for line in text.split(separator: "\n") {
            if line.hasPrefix("pid ") { pid = Int32(line.dropFirst(4)) }
            if line.hasPrefix("since ") { since = String(line.dropFirst(6)) }
        }
        return pid.map { Holder(pid: $0, since: since) }
    }
}

extension Journal {
    /// Whether a process still drives this run: its lock when it has one (pids are reused), else its pid.
    public func isDriven(_ state: RunState, isAlive: (Int32) -> Bool = Journal.processIsAlive) -> Bool {
        switch RunLock.state(of: state.runID, in: self) {
        case .held: return true
        case .free: return false
        case .unknown: return isAlive(state.pid)
        }
    }
}
