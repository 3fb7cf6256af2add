import Dispatch
import Foundation

/// The signals of a headless run: SIGINT and SIGTERM abort it (children's process groups are ended, nodes stay as
/// they are); SIGHUP — the terminal went away — stops it at a safe point (the steps in flight finish, no new step
/// starts, the run stays resumable). SIGPIPE is ignored: output to a closed pipe or a lost terminal fails
/// quietly instead of killing kubeskew while its children run.
///
/// Concurrency rule: the handlers run on a global queue and only post requests to the engine (an actor); the task
/// that called `engine.run()` owns the run and cancels these handlers after `run()` returned.
final class RunSignals: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    init(runID: String, abort: @escaping @Sendable () -> Void, hangup: @escaping @Sendable () -> Void) {
        signal(SIGPIPE, SIG_IGN)
        for sig in Self.handled {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                if sig == SIGHUP {
                    Output.err("\nkubeskew: hangup: stopping at a safe point: the steps in flight finish, no new step starts; "
                               + "resume with kubeskew upgrade --resume \(runID)\n")
                    hangup()
                } else {
                    Output.err("\nkubeskew: stopping: aborting the run, nodes stay as they are\n")
                    abort()
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// SIGINT and SIGTERM get their default action back; SIGHUP stays ignored, so a terminal that goes away while
    /// the summary is printed cannot cut what is left (the journal's last write, the client's shutdown).
    func cancel() {
        for s in sources { s.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
