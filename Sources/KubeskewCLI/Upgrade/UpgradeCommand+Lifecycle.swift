import Foundation
import NodeExec
import Upgrade

/// The run's lifecycle around the engine: its lock, the step pods a killed run left, and the signals.
extension UpgradeCommand {
    /// Takes the run's lock, or refuses: one process drives a run ("run ID is being driven by pid N (since …)").
    static func holdRunLock(_ journal: Journal, _ runID: String) throws -> RunLock {
        do { return try RunLock.acquire(runID, in: journal) } catch let busy as RunLock.Busy {
            throw OperatorError(message: busy.description)
        } catch {
            throw OperatorError(message: "\(error)")
        }
    }

    /// Runs the engine to its end under the run's lock (taken here for a new run): step pods left by a killed run
    /// are removed (or reported) first, SIGINT/SIGTERM abort, SIGHUP stops at a safe point. Returns once every
    /// child the run started has ended.
    static func drive(_ engine: UpgradeEngine, runID: String, journal: Journal, lock: RunLock?, nodeExecutor: any NodeExecutor) async throws -> RunState {
        let held = try lock ?? holdRunLock(journal, runID)
        let signals = RunSignals(runID: runID, abort: { Task { await engine.abort() } },
                                 hangup: { Task { await engine.stopAfterCurrentSteps(reason: "hangup") } })
        if let pods = nodeExecutor.innermost as? PodExecutor {
            for line in await pods.removeLeftoverStepPods().lines { Output.out("kubeskew: \(line)\n") }
        }
        let state = try await engine.run()
        signals.cancel()
        withExtendedLifetime(held) {}
        return state
    }
}
