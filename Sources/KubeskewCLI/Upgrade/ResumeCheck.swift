import Foundation
import KubeClient
import NodeExec
import Upgrade

/// The checks before a run from the journal goes on: it must belong to the cluster, kubeconfig, context and executor
/// kubeskew runs with now, and each node's commands must still go where they went. Shared by `upgrade --resume`, the
/// dashboard's and the demo's resume offers.
enum ResumeCheck {
    /// Why `plan` must not be resumed here, or nil when it may: a run of another cluster (or of none recorded), made
    /// with another executor, or whose nodes now resolve to other destinations.
    static func refusal(_ plan: RunPlan, current: RunIdentity, executor: any NodeExecutor) async -> String? {
        if let refusal = RunIdentity.resumeRefusal(plan, current: current) { return refusal }
        let changes = await DestinationCheck.changes(plan, executor: executor)
        guard changes.isEmpty else {
            return "run \(plan.id): where its nodes' commands go changed since it was planned (\(changes.joined(separator: "; "))): not resumed"
        }
        return nil
    }

    /// The plan of run `id` in `journal`; a run kept in the demo's journal is named as such, since it belongs to the
    /// demo's simulated cluster and nothing else.
    static func loadPlan(_ id: String, journal: Journal, demoJournal: Journal = Journal(root: Journal.demoRoot())) throws -> RunPlan {
        // Checked before the id becomes a path (`--resume ../x`).
        guard RunID.isValid(id) else { throw OperatorError(message: RunLookup.notARunID(id)) }
        do { return try journal.loadPlan(id) } catch {
            if (try? demoJournal.loadPlan(id)) != nil {
                throw OperatorError(message: "run \(id) is a kubeskew demo run (\(demoJournal.runDirectory(id).path)): it belongs to the demo's simulated cluster, and only `kubeskew demo` resumes it: not resumed")
            }
            if !journal.runIDs().contains(id) { throw OperatorError(message: RunLookup.noRun(id, in: journal)) }
            throw OperatorError(message: "\(error)")
        }
    }
}
