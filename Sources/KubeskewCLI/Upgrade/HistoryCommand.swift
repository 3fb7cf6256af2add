import ArgumentParser
import Foundation
import Upgrade

/// `kubeskew history [RUN]`: past and interrupted runs from the journal.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List past and interrupted upgrade runs, or show one run step by step."
    )

    @Argument(help: "A run id to show in detail.")
    var runID: String?

    func run() throws {
        let journal = Journal()
        if let id = runID {
            do {
                let plan = try journal.loadPlan(id)
                let state = try journal.loadState(id)
                Output.out("run \(id), started \(state.startedAt)\(state.endedAt.map { ", ended \($0)" } ?? ", not finished")\(state.aborted ? ", aborted" : "")\n")
                if journal.resumableRuns().contains(where: { $0.runID == id }) {
                    Output.out("resumable: kubeskew upgrade --resume \(id)\(state.resumeDeclinedAt.map { " (the dashboard's offer was declined \($0))" } ?? "")\n")
                }
                for (n, p) in zip(state.nodes, plan.nodes) {
                    let cordon = p.wasCordoned ? " (cordoned before the run; left cordoned)" : n.cordonedByRun && n.status != .done ? " (left cordoned)" : ""
                    Output.out("\(n.node)  \(p.from) → \(p.target)  \(n.status.rawValue)\(cordon)\n")
                    for (record, step) in zip(n.steps, p.steps) {
                        let mark = ["done": "✓", "skipped": "↷", "failed": "✗", "running": "⟳", "pending": "·"][record.state.rawValue] ?? "?"
                        var line = "  \(mark) \(step.id.padding(toLength: 24, withPad: " ", startingAt: 0)) \(step.name)"
                        if let e = record.exitStatus { line += "  [\(e)]" }
                        if let m = record.message { line += "  \(m)" }
                        Output.out(line + "\n")
                    }
                }
                Output.out("logs: \(journal.runDirectory(id).appendingPathComponent("logs").path)\n")
            } catch {
                Output.err("kubeskew history: \(error)\n")
                throw ExitCode(1)
            }
            return
        }
        let ids = journal.runIDs()
        if ids.isEmpty {
            Output.out("no runs in \(journal.root.path)\n")
            return
        }
        let resumable = Set(journal.resumableRuns().map(\.runID))
        for id in ids {
            guard let state = try? journal.loadState(id) else { Output.out("\(id)  (no state)\n"); continue }
            let status = Self.status(state, resumable: resumable.contains(id))
            let nodes = state.nodes.map { "\($0.node) \($0.status.rawValue)" }.joined(separator: ", ")
            Output.out("\(id)  \(status)  \(nodes)\n")
        }
    }

    /// One word for a run's state in the list; a resumable one says how to resume it.
    static func status(_ state: RunState, resumable: Bool) -> String {
        let resume = "resume with kubeskew upgrade --resume \(state.runID)"
        let declined = state.resumeDeclinedAt == nil ? "" : " (offer declined)"
        if resumable {
            return state.isFinished ? "aborted, resumable\(declined) — \(resume)" : "INTERRUPTED\(declined) — \(resume)"
        }
        if !state.isFinished { return "running" }
        return state.allDone ? "done" : state.aborted ? "aborted" : "failed"
    }
}
