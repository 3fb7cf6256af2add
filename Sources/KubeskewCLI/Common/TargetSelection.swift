import SkewCore
import Synchronization

/// The target every feed of one dashboard assesses with: the one given at start, then what the operator picks with
/// `t`. Shared by the feeds and the guided upgrade, so that the table, the plan and the run agree.
final class TargetSelection: Sendable {
    private let state: Mutex<(context: AssessmentContext, generation: Int)>

    init(_ context: AssessmentContext) {
        state = Mutex((context, 0))
    }

    /// The assessment context with the target in force.
    var context: AssessmentContext { state.withLock { $0.context } }

    /// Counts the choices made, so that a feed knows to assess again although the cluster did not change.
    var generation: Int { state.withLock { $0.generation } }

    func choose(_ target: TargetChoice) {
        state.withLock {
            $0.context.target = target
            $0.generation += 1
        }
    }
}
