import KubeModel
import NodeExec

/// Before a run from the journal goes on, what the journal says was done is checked against the cluster: a drained
/// node must still be cordoned, a node waited for must run the kubelet it was waited for, an uncordoned node must be
/// schedulable, and a step with a check must still pass it. Where the cluster does not show what the journal claims
/// (another cluster restored under the same identity, a node rebuilt, packages changed by hand), the operator is told
/// and decides; accepted, that step and every later one of the node run again, each after its own check.
public struct ResumeReconciliation: Sendable {
    /// One claim of the journal the cluster does not show.
    public struct Mismatch: Sendable, Equatable {
        public let node: String
        public let stepIndex: Int
        public let stepName: String
        /// What the cluster shows instead.
        public let seen: String

        public var line: String { "\(node): step \(stepIndex + 1) \(stepName) is done in the journal, but \(seen)" }
    }

    /// At most one per node: its first step the cluster does not show.
    public let mismatches: [Mismatch]

    /// Checks every node of `state` with steps done. `readNode` reads a node from the API server.
    public static func check(_ plan: RunPlan, state: RunState, nodeExecutor: any NodeExecutor,
                             controlPlaneExecutor: any NodeExecutor,
                             readNode: @Sendable (String) async throws -> Node) async -> ResumeReconciliation {
        var found: [Mismatch] = []
        for (n, nodePlan) in plan.nodes.enumerated() where n < state.nodes.count {
            let record = state.nodes[n]
            let done = record.steps.indices.filter { $0 < nodePlan.steps.count && record.steps[$0].isComplete }
            // An earlier pass is superseded by a later one (its kubeadm package check would fail once the next pass
            // installed the next version): only the newest pass with a step done is checked.
            guard let newestHop = done.map({ nodePlan.steps[$0].hop }).max() else { continue }
            let live: Result<Node, any Error>
            do { live = .success(try await readNode(nodePlan.node)) } catch { live = .failure(error) }
            // Done, or skipped because the node was schedulable already: either way no cordon is expected after it.
            // Nor once the run started its uncordon (running when it was killed, or failed): `kubectl uncordon` may
            // have lifted the cordon before the journal could say so, and every step the cordon protected is done.
            let uncordoned = nodePlan.steps.indices.contains {
                nodePlan.steps[$0].kind == .uncordon && nodePlan.steps[$0].hop == newestHop && $0 < record.steps.count
                    && record.steps[$0].state != .pending
            }
            for s in done where nodePlan.steps[s].hop == newestHop {
                let step = nodePlan.steps[s]
                let executor = step.location == .node ? nodeExecutor : controlPlaneExecutor
                if let seen = await mismatch(step, of: nodePlan, live: live, uncordoned: uncordoned, executor: executor) {
                    found.append(Mismatch(node: nodePlan.node, stepIndex: s, stepName: step.name, seen: seen))
                    break
                }
            }
        }
        return ResumeReconciliation(mismatches: found)
    }

    /// `state` with each mismatched node going on from its mismatched step: that step and every later one pending.
    public func applied(to state: RunState) -> RunState {
        var state = state
        for m in mismatches {
            guard let n = state.nodes.firstIndex(where: { $0.node == m.node }) else { continue }
            for s in m.stepIndex..<state.nodes[n].steps.count {
                state.nodes[n].steps[s].state = .pending
                state.nodes[n].steps[s].startedAt = nil
                state.nodes[n].steps[s].endedAt = nil
                state.nodes[n].steps[s].exitStatus = nil
                state.nodes[n].steps[s].message = s == m.stepIndex ? "run again at resume: \(m.seen)" : nil
            }
            state.nodes[n].status = .pending
        }
        return state
    }

    private static func mismatch(_ step: PlannedStep, of plan: NodePlan, live: Result<Node, any Error>, uncordoned: Bool,
                                 executor: any NodeExecutor) async -> String? {
        // The node as read, or why it could not be read (which is itself a claim the cluster does not confirm).
        let node: Node?
        let unreadable: String?
        switch live {
        case .success(let n): (node, unreadable) = (n, nil)
        case .failure(let error): (node, unreadable) = (nil, "\(plan.node) could not be read from the API server (\(error))")
        }
        switch step.kind {
        case .drain:
            // Cordoned from the drain until the run's uncordon (an operator's cordon stays for good).
            guard !uncordoned || plan.wasCordoned else { return nil }
            guard let node else { return unreadable }
            return node.isUnschedulable ? nil : "\(plan.node) is schedulable (not cordoned)"
        case .uncordon:
            guard !plan.wasCordoned else { return nil }
            guard let node else { return unreadable }
            return node.isUnschedulable ? "\(plan.node) is cordoned" : nil
        default:
            break
        }
        switch step.action {
        case .waitForNode(let version):
            guard let node else { return unreadable }
            let kubelet = node.nodeInfo?.kubeletVersion ?? "?"
            return kubelet == version.description ? nil : "\(plan.node) runs kubelet \(kubelet)"
        case .waitForControlPlane:
            // Only a wait: what it waited for is checked again by the cluster run after the phase (static pods read back).
            return nil
        case .commands(_, let privileged):
            guard let check = step.check, let target = try? plan.nodeTarget() else { return nil }
            switch await check.evaluate(privileged: privileged, executor: executor, on: step.location == .node ? target : .localhost) {
            case .alreadyDone: return nil
            case .toDo(let why): return "its check says: \(why)"
            case .couldNotRun(let error): return "its check could not run: \(error)"
            }
        }
    }
}

extension StepRecord {
    /// Done, or skipped because its effect was there (or the operator's cordon was kept).
    var isComplete: Bool { state == .done || state == .skipped }
}
