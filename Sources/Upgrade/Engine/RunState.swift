/// Where one step stands.
public enum StepState: String, Sendable, Codable, Hashable {
    case pending, running, done, skipped, failed
}

/// Where one node stands in a run.
public enum NodeRunStatus: String, Sendable, Codable, Hashable {
    /// `refused`: another kubeskew holds the node's Lease (or it could not be taken); nothing was done to the node.
    case pending, running, done, failed, aborted, refused
    /// A node that needs nothing more from this run (done) or needs the operator (failed, aborted).
    public var isSettled: Bool { self != .pending && self != .running }
}

/// A step's record in the journal: state, times, exit status and why.
public struct StepRecord: Sendable, Codable, Hashable {
    public let id: String
    public var state: StepState
    public var startedAt: String?
    public var endedAt: String?
    /// `exit 0`, `exit 100`, `timed out`, …
    public var exitStatus: String?
    /// Why it failed or was skipped, in words.
    public var message: String?

    public init(id: String, state: StepState = .pending) {
        self.id = id
        self.state = state
    }
}

/// One node's progress.
public struct NodeRunState: Sendable, Codable, Hashable {
    public let node: String
    public var status: NodeRunStatus
    public var steps: [StepRecord]
    /// True once the drain ran: a node left failed or aborted after it stays cordoned and is reported so.
    public var cordonedByRun: Bool
    /// Why the node stopped outside its steps: refused (another kubeskew holds it) or its Lease was lost.
    public var message: String?

    public init(node: String, steps: [StepRecord]) {
        self.node = node
        self.status = .pending
        self.steps = steps
        self.cordonedByRun = false
    }

    /// Index of the first step not done or skipped.
    public var nextStepIndex: Int? { steps.firstIndex { $0.state != .done && $0.state != .skipped } }
    public var completedSteps: Int { steps.filter { $0.state == .done || $0.state == .skipped }.count }
}

/// The whole run's state, rewritten to the journal before and after every step.
public struct RunState: Sendable, Codable, Hashable {
    public let runID: String
    public var nodes: [NodeRunState]
    /// The process that drives the run; a run whose process is gone while nodes are unsettled was interrupted.
    public var pid: Int32
    public var startedAt: String
    public var endedAt: String?
    public var aborted: Bool
    /// When the operator answered "no" to resuming this run; a declined run is not offered again.
    public var resumeDeclinedAt: String?
    /// Why the run stopped at a safe point instead of ending (`hangup`: the terminal went away); nil otherwise.
    public var stoppedBy: String?
    /// Why the engine stopped the run before the nodes settled (the journal could not be written), in words.
    public var stopReason: String?
    /// The last `state.log` line this state includes (large runs only, see `StateWriter`); nil for a small run.
    public var journalSequence: Int?

    public init(plan: RunPlan, pid: Int32, startedAt: String) {
        self.runID = plan.id
        self.nodes = plan.nodes.map { NodeRunState(node: $0.node, steps: $0.steps.map { StepRecord(id: $0.id) }) }
        self.pid = pid
        self.startedAt = startedAt
        self.aborted = false
    }

    public var isFinished: Bool { endedAt != nil }
    public var allDone: Bool { nodes.allSatisfy { $0.status == .done } }

    /// The run can go on from where it stopped: it never ended (its process died), or it ended aborted (the
    /// operator's `A`, or a quit during the run) with nodes not done. A run that ended on a failure is not:
    /// the operator fixes the cause and resumes it explicitly (`kubeskew upgrade --resume`).
    public var isResumable: Bool {
        if !isFinished { return true }
        return aborted && nodes.contains { $0.status == .pending || $0.status == .running || $0.status == .aborted }
    }
}
