import Foundation
import Testing
import TestSupport

extension DemoResumeEndToEndTests {
    /// The terminal goes away mid-run (tmux ends: SIGHUP to the demo): the dashboard stops the run at a safe point
    /// instead of aborting it — the step in flight finishes, no new step starts — and the journal says why.
    @Test func lostTerminalStopsTheRunAtASafePoint() async throws {
        let home = StateHome()
        let tmux = try await startDemo(home)
        defer { tmux.stop() }
        try await startNode02(tmux)
        let id = try home.runID()
        tmux.stop()
        // What ran when the hangup came: the running step, or (between two steps) the next one, which may just start.
        let atHangup = steps(try home.state(id))
        let lastToRun = atHangup.firstIndex { $0["state"] as? String == "running" }
            ?? atHangup.firstIndex { $0["state"] as? String == "pending" } ?? atHangup.count - 1
        try await waitForExit(home)
        let state = try home.state(id)
        #expect(state["stoppedBy"] as? String == "hangup", "\(state)")
        #expect(state["endedAt"] is String)
        let records = steps(state)
        let states = records.map { $0["state"] as? String ?? "?" }
        #expect(states[lastToRun] == "done", "the step in flight at the hangup finishes: \(states)")
        #expect(states.dropFirst(lastToRun + 1).allSatisfy { $0 == "pending" }, "no step starts after it: \(states)")
        #expect(node(state)["status"] as? String == "aborted")
    }
}
