import Foundation

/// Writes a run's state each time it changes, without the writes growing with the square of the run. A small
/// run's `state.json` is simply replaced whole. A large run's would not do: a 1,000-node run's state is ~460 KB and
/// changes ~16,000 times, so replacing it whole wrote gigabytes and spent most of kubeskew's CPU encoding it. From
/// `logFromNodes` nodes on, each change is appended to `state.log` as one line holding the node records that changed
/// (and the run's own few fields); `state.json` is replaced only every `snapshotEvery` lines and when the run ends.
/// `Journal.loadState` replays the log's lines newer than the snapshot (`RunState.journalSequence`), and ignores a
/// last line cut short by a crash.
///
/// Owned by the engine's actor; never shared.
struct StateWriter {
    let journal: Journal
    /// Runs with at least this many nodes log their changes; smaller ones replace `state.json` each time.
    let logFromNodes: Int
    /// Lines appended between two snapshots.
    let snapshotEvery: Int
    private var last: RunState?
    private var sequence: Int
    private var linesSinceSnapshot = 0

    init(journal: Journal, logFromNodes: Int = 64, snapshotEvery: Int = 1024, resumingAt sequence: Int? = nil) {
        self.journal = journal
        self.logFromNodes = logFromNodes
        self.snapshotEvery = snapshotEvery
        self.sequence = sequence ?? 0
    }

    mutating func save(_ state: RunState) throws {
        guard state.nodes.count >= logFromNodes, let last, last.runID == state.runID, last.nodes.count == state.nodes.count,
              linesSinceSnapshot < snapshotEvery, !state.isFinished else {
            return try snapshot(state)
        }
        var changed: [Int: NodeRunState] = [:]
        for i in state.nodes.indices where state.nodes[i] != last.nodes[i] { changed[i] = state.nodes[i] }
        let line = StateLogLine(sequence: sequence + 1, state: state, nodes: changed)
        try journal.appendStateLog(line, runID: state.runID)
        sequence += 1
        linesSinceSnapshot += 1
        self.last = state
    }

    /// Replaces `state.json` whole; a large run's snapshot says which log lines it includes, and the log is removed.
    private mutating func snapshot(_ state: RunState) throws {
        var written = state
        written.journalSequence = state.nodes.count >= logFromNodes ? sequence : nil
        try journal.save(written)
        if linesSinceSnapshot > 0 || last == nil { journal.removeStateLog(runID: state.runID) }
        last = state
        linesSinceSnapshot = 0
    }
}

/// One line of `state.log`: the run's own fields and the node records that changed, by index in the plan.
struct StateLogLine: Codable, Sendable {
    var sequence: Int
    var runID: String
    var pid: Int32
    var startedAt: String
    var endedAt: String?
    var aborted: Bool
    var resumeDeclinedAt: String?
    var stoppedBy: String?
    var stopReason: String?
    var nodes: [Int: NodeRunState]

    init(sequence: Int, state: RunState, nodes: [Int: NodeRunState]) {
        self.sequence = sequence
        runID = state.runID
        pid = state.pid
        startedAt = state.startedAt
        endedAt = state.endedAt
        aborted = state.aborted
        resumeDeclinedAt = state.resumeDeclinedAt
        stoppedBy = state.stoppedBy
        stopReason = state.stopReason
        self.nodes = nodes
    }

    /// Applies the line over `state`; false (and `state` unchanged) when it does not belong to it.
    func apply(to state: inout RunState) -> Bool {
        guard runID == state.runID, nodes.keys.allSatisfy(state.nodes.indices.contains) else { return false }
        state.pid = pid
        state.startedAt = startedAt
        state.endedAt = endedAt
        state.aborted = aborted
        state.resumeDeclinedAt = resumeDeclinedAt
        state.stoppedBy = stoppedBy
        state.stopReason = stopReason
        for (i, node) in nodes { state.nodes[i] = node }
        state.journalSequence = sequence
        return true
    }
}
