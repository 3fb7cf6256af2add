import ArgumentParser
import Foundation
import KubeModel
import SkewCore

/// `kubeskew check`: every node's skew verdicts and risks as a table or JSON, with an exit status for CI.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Report every node's version skew and risks (table or JSON); the exit status tells CI the worst.",
        discussion: """
        Exit status: 0 all current; 3 all supported but something is behind or at risk; 2 anything unsupported
        (or a version that cannot be read); 1 bad input or error.
        """
    )

    @OptionGroup var input: InputOptions

    @Option(name: .shortAndLong, help: "Output format: table or json.")
    var output: OutputFormat = .table

    @Flag(name: .long, help: "No colour, even on a terminal (NO_COLOR is honoured too).")
    var noColor = false

    @OptionGroup var data: DataOptions

    @OptionGroup(title: "Live cluster (when no file is given)") var cluster: ClusterOptions

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    func run() async throws {
        do {
            let context = try data.context()
            var snapshot = try await loadSnapshot()
            try input.applyControlPlane(to: &snapshot)
            let facts = snapshot.facts()
            let assessment = Assessor(context: context).assess(facts)
            if let problem = assessment.targetProblem, data.target != nil {
                throw OperatorError(message: "--target: \(problem)")
            }
            let report = CheckReport(snapshot: snapshot, assessment: assessment, context: context)
            switch output {
            case .json:
                Output.out(try report.json())
            case .table:
                let term = TerminalInfo.forStdout(noColorFlag: noColor)
                Output.out(report.table(width: term.width, color: term.color))
            }
            if assessment.exitStatus != 0 { throw ExitCode(assessment.exitStatus) }
        } catch let e as OperatorError {
            Output.err("kubeskew check: \(e.message)\n")
            throw ExitCode(e.status)
        }
    }

    private func loadSnapshot() async throws -> ClusterSnapshot {
        guard input.isLive else { return try input.offlineSnapshot().snapshot }
        let client = try cluster.client()
        do {
            let (snapshot, warnings) = try await loadLiveSnapshot(client)
            await client.shutdown()
            for w in warnings { Output.err("kubeskew check: warning: \(w)\n") }
            return snapshot
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
