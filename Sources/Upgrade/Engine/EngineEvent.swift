import NodeExec

/// What the engine reports as a run goes: the screen and the headless command render these.
public enum EngineEvent: Sendable {
    case stepStarted(node: String, index: Int, record: StepRecord)
    case output(node: String, index: Int, line: OutputLine)
    case stepFinished(node: String, index: Int, record: StepRecord)
    /// Why a node stops outside its steps (refused: another kubeskew holds it; its Lease was lost), said before its
    /// `nodeFinished`.
    case nodeStopped(node: String, reason: String)
    case nodeFinished(node: String, status: NodeRunStatus)
    case runFinished(RunState)
    /// The journal could not be written: no further step starts (the steps in flight finish). Shown to the operator.
    case journalFailed(message: String)
}

/// Waits, through the API, until a node is Ready and reports a kubelet version.
public protocol NodeGate: Sendable {
    /// Returns nil when the node got there, else what was last seen (`NotReady`, `kubelet v1.33.2`).
    func waitForNode(_ node: String, kubelet version: String, timeout: Duration) async throws -> String?
    /// Returns nil when the node's kube-apiserver, kube-controller-manager and kube-scheduler static pods run
    /// `version` and are Ready, else what was last seen.
    func waitForControlPlane(_ node: String, version: String, timeout: Duration) async throws -> String?
}

/// How the engine runs a plan.
public struct EngineOptions: Sendable {
    /// Nodes in flight at once.
    public var concurrency: Int
    /// Start no further node once one has failed.
    public var stopOnFirstFailure: Bool
    /// Runs with at least this many nodes append their state changes to `state.log` (see `StateWriter`).
    public var journalLogFromNodes: Int

    public init(concurrency: Int = 1, stopOnFirstFailure: Bool = true, journalLogFromNodes: Int = 64) {
        self.concurrency = max(1, concurrency)
        self.stopOnFirstFailure = stopOnFirstFailure
        self.journalLogFromNodes = journalLogFromNodes
    }
}
