import Foundation

/// News from the upgrade side (planner, preflight, engine) for the dashboard; the runtime posts these to the inbox.
public enum UpgradeEvent: Sendable {
    case planReady(PlanReview)
    case planFailed(String)
    /// A run began (or resumed): its panes with the steps' current states.
    case runStarted(RunView)
    case stepStarted(node: String, index: Int, at: Date)
    case output(node: String, line: String)
    case stepFinished(node: String, index: Int, state: PaneStepState)
    case nodeFinished(node: String, status: PaneNodeStatus)
    /// The engine stopped: every node settled (`paused` false) or stopped after the current node (`paused`).
    case runFinished(paused: Bool, summary: String)
    /// At start, the journal holds an interrupted run: offer to resume it.
    case resumeOffer(runID: String, nodes: [String])
    /// A resume found steps done in the journal that the cluster does not show (one line each): ask whether they
    /// run again.
    case resumeMismatch(runID: String, lines: [String])
    /// A cluster upgrade stopped before its next control-plane `apply` (the pause between hops): ask to go on.
    case clusterPause(lines: [String])
    /// A cluster upgrade's loop of phases started (true) or ended (false). Between two phases no run is active, but
    /// the cluster upgrade is: quitting and aborting must say so and stop it.
    case clusterRun(active: Bool)
}

/// What the dashboard asks the upgrade side to do; `update` returns these as effects, the runtime hands them on.
public enum UpgradeRequest: Equatable, Hashable, Sendable {
    /// Plan these nodes (read the cluster, find blockers) and send `.planReady`.
    case plan(nodes: [String])
    /// The operator confirmed the reviewed plan, every blocker acknowledged.
    case start(nodes: [String])
    case abort
    case retry(node: String)
    case skip(node: String)
    /// Start no further node; the ones in flight finish.
    case pauseAfterCurrent
    /// Go on after a pause.
    case resume
    /// Resume an interrupted run from the journal.
    case resumeInterrupted(runID: String)
    /// Resume it, running again the steps the cluster does not show done (the answer to `.resumeMismatch`).
    case resumeRunningAgain(runID: String)
    /// The operator answered "no" to resuming this run: remember it in the journal, do not ask again.
    case declineResume(runID: String)
    /// Plan the whole cluster to the target (read it, find blockers, preflight) and send `.planReady` with a
    /// cluster review.
    case planCluster
    /// The operator confirmed the cluster review (or said go on at a pause): run its phases, each planned again
    /// from the cluster first, until the target or the next pause.
    case startCluster
}

/// What the guided upgrade adds to the dashboard state: the plan review and the run.
public struct UpgradeScreens: Equatable, Sendable {
    public var review: PlanReviewState?
    /// The review was opened with `p`: it shows the plan and starts nothing (`U` turns it into the real review).
    public var preview = false
    public var run: RunView?
    /// A cluster upgrade is going on (also between its phases, when `run` shows the last phase's end).
    public var clusterRunActive = false

    public init(review: PlanReviewState? = nil, run: RunView? = nil) {
        self.review = review
        self.run = run
    }
}
