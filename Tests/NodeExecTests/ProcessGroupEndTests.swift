import Foundation
import Testing
import TestSupport
@testable import NodeExec

/// When kubeskew ends a child, its whole process group ends with it, and `run` returns only once it has.
@Suite("ProcessRunner: ending a child's process group")
struct ProcessGroupEndTests {
    let executor = LocalExecutor(terminationGrace: .milliseconds(300))

    /// The shell (the group's leader) dies of SIGTERM at once; its background child ignores SIGTERM. Subprocess's
    /// teardown stops as soon as the leader is gone, so nothing sent SIGKILL to the rest of the group.
    @Test("cancelling ends a group member that ignores SIGTERM after its leader died, before run returns")
    func cancelEndsMemberIgnoringTerm() async throws {
        let recorder = OutputRecorder()
        let executor = self.executor
        let task = Task {
            try await executor.run(CommandSpec(["/bin/sh", "-c", "(trap '' TERM; exec sleep 300) & echo \"child $!\"; wait"]),
                                   on: .localhost, onOutput: recorder.handler)
        }
        let line = try #require(await recorder.waitForLine(containing: "child "))
        let pid = try #require(Int32(line.text.dropFirst("child ".count)))
        defer { kill(pid, SIGKILL) }
        #expect(ProcessProbe.isAlive(pid))
        task.cancel()
        let result = try await task.value
        #expect(result.status == .cancelled)
        #expect(!ProcessProbe.isAlive(pid), "the child \(pid) that ignores SIGTERM outlived the cancelled command")
    }

    @Test("a timeout ends a group member that ignores SIGTERM after its leader died, before run returns")
    func timeoutEndsMemberIgnoringTerm() async throws {
        // On a loaded machine the shell may not have printed its child's pid before a short timeout; the timeout then
        // grows, so what is asserted never depends on how fast this machine was.
        for timeout in [2, 15, 60] {
            let recorder = OutputRecorder()
            let result = try await executor.run(
                CommandSpec(["/bin/sh", "-c", "(trap '' TERM; exec sleep 300) & echo \"child $!\"; wait"],
                            timeout: .seconds(timeout)),
                on: .localhost, onOutput: recorder.handler)
            #expect(result.status == .timedOut)
            guard let pid = recorder.texts.first.flatMap({ Int32($0.dropFirst("child ".count)) }) else { continue }
            defer { kill(pid, SIGKILL) }
            #expect(!ProcessProbe.isAlive(pid), "the child \(pid) that ignores SIGTERM outlived the timed-out command")
            return
        }
        Issue.record("the shell never printed its child's pid, even with a 60 s timeout")
    }
}
