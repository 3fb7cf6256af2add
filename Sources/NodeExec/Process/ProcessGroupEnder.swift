#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Ends what is left of a child's process group after kubeskew stopped the child: SIGTERM, then SIGKILL after the
/// grace period, and waits until no live member is left.
///
/// Why: Subprocess's teardown signals the group but stops as soon as the group's leader has exited, so a member
/// that ignores SIGTERM (or outlives a leader that died at once) would be left running, reparented to init.
/// The group id is the leader's pid; Linux keeps that number reserved while any member of the group exists.
enum ProcessGroupEnder {
    /// Ends group `pgid` (TERM, grace, KILL) and returns once it has no live member (or after `limit`).
    /// Runs in a task of its own: the caller is typically cancelled, and this must still wait.
    static func end(_ pgid: Int32, grace: Duration, limit: Duration = .seconds(10)) async {
        guard pgid > 1, hasLiveMembers(pgid) else { return }
        await Task.detached { await endNow(pgid, grace: grace, limit: limit) }.value
    }

    private static func endNow(_ pgid: Int32, grace: Duration, limit: Duration) async {
        _ = kill(-pgid, SIGTERM)
        if await waitUntilEmpty(pgid, within: grace) { return }
        _ = kill(-pgid, SIGKILL)
        _ = await waitUntilEmpty(pgid, within: limit)
    }

    private static func waitUntilEmpty(_ pgid: Int32, within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while hasLiveMembers(pgid) {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    /// Whether a process of group `pgid` still runs; zombies do not count (they wait for a parent, which may be
    /// an init that never reaps).
    static func hasLiveMembers(_ pgid: Int32) -> Bool {
        guard kill(-pgid, 0) == 0 || errno == EPERM else { return false }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return true }
        for entry in entries {
            guard let pid = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // After the command name: state (3), ppid (4), pgrp (5).
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, Int32(fields[2]) == pgid else { continue }
            if fields[0] != "Z" && fields[0] != "X" { return true }
        }
        return false
    }
}
