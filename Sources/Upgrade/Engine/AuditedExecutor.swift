import Foundation
import NodeExec

/// Writes every command the engine runs into the run's ``AuditTrail``: the node, the step, where it ran, the command
/// as typed, how it ended and how long it took. It wraps the engine's executors, so checks and steps alike are
/// recorded, and nothing reaches a node without its line.
struct AuditedExecutor: WrappingNodeExecutor {
    let wrapped: any NodeExecutor
    let trail: AuditTrail
    /// Where `node`'s commands go, as the plan resolved it; nil for the control-plane executor (this machine).
    let destination: @Sendable (String) -> String?

    func run(_ command: CommandSpec, on node: NodeTarget, onOutput: @escaping OutputHandler) async throws(ExecutorError)
        -> ExecutionResult {
        var entry = AuditTrail.Entry(time: UpgradeEngine.now(), event: "command")
        // A kubectl step runs here for the node being upgraded: the record names that node, and this machine.
        entry.node = AuditContext.step?.node ?? node.name
        entry.step = AuditContext.step?.id
        entry.executor = wrapped.name
        entry.destination = destination(node.name) ?? "this machine (\(LocalOperator.host))"
        entry.command = command.displayLine
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let result = try await wrapped.run(command, on: node, onOutput: onOutput)
            entry.status = result.status.description
            entry.durationMs = result.duration.wholeMilliseconds
            trail.append(entry)
            return result
        } catch {
            entry.status = "could not run: \(error.description)"
            entry.durationMs = (clock.now - start).wholeMilliseconds
            trail.append(entry)
            throw error
        }
    }

}

/// The step whose commands the current task runs, for the audit trail's lines (bound by the engine around a step).
enum AuditContext {
    struct Step: Sendable {
        /// The node the run is working on (a kubectl step runs elsewhere for it).
        let node: String
        let id: String
    }

    @TaskLocal static var step: Step?
}
