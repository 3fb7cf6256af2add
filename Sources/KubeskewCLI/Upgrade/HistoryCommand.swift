import ArgumentParser
import Foundation
import Upgrade

/// `kubeskew history [RUN]`: past and interrupted runs from the journal.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List past and interrupted upgrade runs, or show one run step by step.",
        discussion: """
        Examples:
          kubeskew history
          kubeskew history 20261125T151242Z-b6f417
          kubeskew history --audit 20261125T151242Z-b6f417 -o json   # the change record
        """
    )

    @Argument(help: "A run id to show in detail.")
    var runID: String?

    @Flag(name: .long, help: "The run's audit trail: who drove it and when, every command with where it ran and how it ended.")
    var audit = false

    @Option(name: .shortAndLong, help: "With --audit: text or json.")
    var output: AuditFormat = .text

    enum AuditFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func validate() throws {
        if audit && runID == nil { throw ValidationError("--audit needs a run id: kubeskew history --audit RUN") }
        if !audit && output != .text { throw ValidationError("-o applies to --audit") }
    }

    func run() throws {
        let live = Journal()
        let demo = Journal(root: Journal.demoRoot())
        if let id = runID {
            if let refusal = Self.unknownRun(id, live: live, demo: demo) {
                Output.err("kubeskew history: \(refusal)\n")
                throw ExitCode(1)
            }
            let isDemo = !live.runIDs().contains(id) && demo.runIDs().contains(id)
            let journal = isDemo ? demo : live
            do {
                let plan = try journal.loadPlan(id)
                let state = try journal.loadState(id)
                if audit {
                    let trail = try AuditTrail.entries(at: journal.runDirectory(id).appendingPathComponent(AuditTrail.fileName))
                    let record = RunAudit(plan: plan, state: state, trail: trail)
                    Output.out(output == .json ? try record.json() : record.text)
                    return
                }
                Output.out("run \(id), started \(state.startedAt)\(state.endedAt.map { ", ended \($0)" } ?? ", not finished")\(state.aborted ? ", aborted" : "")\n")
                if let cluster = plan.identity {
                    Output.out("belongs to \(cluster.clusterDescription), kubeconfig \(cluster.kubeconfigFiles.joined(separator: ":")), \(cluster.executor)\n")
                } else {
                    Output.out("no recorded cluster (made by a kubeskew that did not record one): never resumed\n")
                }
                if journal.resumableRuns().contains(where: { $0.runID == id }), plan.identity != nil {
                    let how = isDemo ? "by the next kubeskew demo, on the demo cluster it left" : "kubeskew upgrade --resume \(id)"
                    Output.out("resumable: \(how)\(state.resumeDeclinedAt.map { " (the dashboard's offer was declined \($0))" } ?? "")\n")
                }
                for (n, p) in zip(state.nodes, plan.nodes) {
                    let cordon = p.wasCordoned ? " (cordoned before the run; left cordoned)" : n.cordonedByRun && n.status != .done ? " (left cordoned)" : ""
                    Output.out("\(n.node)  \(p.from) → \(p.target)  \(n.status.rawValue)\(cordon)\n")
                    if let destination = p.destination { Output.out("  node commands went to \(destination.display)\n") }
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
        if live.runIDs().isEmpty { Output.out("no runs in \(live.root.path)\n") }
        Self.list(live, demo: false)
        if !demo.runIDs().isEmpty {
            Output.out("demo runs (\(demo.root.path)), on the demo's simulated cluster:\n")
            Self.list(demo, demo: true)
        }
    }

    /// Why `id` names no run to show, or nil when the live or the demo journal holds it. The id is checked before
    /// it becomes a path: `../etc` is no run id, and must not have kubeskew read whatever it points at.
    static func unknownRun(_ id: String, live: Journal, demo: Journal) -> String? {
        guard RunID.isValid(id) else { return RunLookup.notARunID(id) }
        if live.runIDs().contains(id) || demo.runIDs().contains(id) { return nil }
        return RunLookup.noRun(id, in: live)
    }

    private static func list(_ journal: Journal, demo: Bool) {
        let resumable = Set(journal.resumableRuns().map(\.runID))
        for id in journal.runIDs() {
            guard let state = try? journal.loadState(id) else { Output.out("\(id)  (no state)\n"); continue }
            let recorded = (try? journal.loadPlan(id))?.identity != nil
            let status = Self.status(state, resumable: resumable.contains(id), recordedCluster: recorded, demo: demo)
            let nodes = state.nodes.map { "\($0.node) \($0.status.rawValue)" }.joined(separator: ", ")
            Output.out("\(id)  \(status)  \(nodes)\n")
        }
    }

    /// One word for a run's state in the list; a resumable one says how to resume it.
    static func status(_ state: RunState, resumable: Bool, recordedCluster: Bool = true, demo: Bool = false) -> String {
        let resume = demo ? "the next kubeskew demo offers it" : "resume with kubeskew upgrade --resume \(state.runID)"
        let declined = state.resumeDeclinedAt == nil ? "" : " (offer declined)"
        if resumable && !recordedCluster {
            return (state.isFinished ? "aborted" : "INTERRUPTED") + " — no recorded cluster: not resumable"
        }
        if resumable {
            return state.isFinished ? "aborted, resumable\(declined) — \(resume)" : "INTERRUPTED\(declined) — \(resume)"
        }
        if !state.isFinished { return "running" }
        return state.allDone ? "done" : state.aborted ? "aborted" : "failed"
    }
}
