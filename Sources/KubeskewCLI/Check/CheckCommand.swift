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

    @Option(name: .long, help: ArgumentHelp("Read nodes from this file (what `kubectl get nodes -o json` writes).", valueName: "FILE"))
    var nodesFile: String?

    @Option(name: .long, help: ArgumentHelp("Read a `kubectl cluster-info dump --output-directory` folder.", valueName: "DIR"))
    var fromDump: String?

    @Option(name: .long, help: ArgumentHelp("API server version(s), comma-separated for HA instances, when the input has none.", valueName: "V[,V…]"))
    var controlPlane: String?

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
            if let controlPlane {
                snapshot.controlPlaneOverride = try Self.parseControlPlane(controlPlane)
            }
            let facts = snapshot.facts()
            if facts.apiserverVersions.isEmpty {
                throw OperatorError(message: "the input has no API server version; pass --control-plane V (e.g. --control-plane v1.33.3)")
            }
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
        switch (nodesFile, fromDump) {
        case let (file?, nil): return try OfflineInput.nodesFile(file)
        case let (nil, dir?): return try OfflineInput.dump(dir)
        case (.some, .some): throw OperatorError(message: "give --nodes-file or --from-dump, not both")
        case (nil, nil):
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

    /// `v1.33.3,v1.32.9` → validated versions (strict parser), in the order given.
    static func parseControlPlane(_ text: String) throws -> [String] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var versions: [String] = []
        for p in parts {
            do { versions.append(try KubeVersion(p).description) } catch { throw OperatorError(message: "--control-plane: \(error.message)") }
        }
        return versions
    }
}
