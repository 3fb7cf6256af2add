import ArgumentParser
import Foundation
import KubeClient
import KubeModel
import SkewCore

/// `kubeskew apis`: the API versions a minor hop removes or deprecates that the cluster still uses, and who uses them.
struct ApisCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apis",
        abstract: "List the API versions the hop to the target removes or deprecates that are still in use, and who uses them.",
        discussion: """
        Reads each kube-apiserver's /metrics (apiserver_requested_deprecated_apis: clients that called a deprecated \
        version), the kubectl.kubernetes.io/last-applied-configuration of objects of the kinds concerned, Helm v3 \
        releases (Secrets labelled owner=helm), and the Warning headers the API server sends. What cannot be read \
        (a forbidden /metrics, Secrets, an unreachable API server) is said, with the permission that would allow it.

        Exit status: 0 nothing the hop removes is in use; 2 an API version the hop removes is still in use; 1 error.

        Examples:
          kubeskew apis --target next-minor
          kubeskew apis --target v1.32.4 -o json
          kubeskew apis --removed-apis newer-table.json --target next-minor

        The target and colour not given as flags come from the configuration file (see `kubeskew config`).
        """
    )

    @Option(name: .shortAndLong, help: "Output format: table or json.")
    var output: CheckCommand.OutputFormat = .table

    // Optional: nil is "no flag", and the configuration file or the default applies (see `applyConfig`).
    @Flag(name: .long, inversion: .prefixedNo, help: "--no-color: no colour, even on a terminal (NO_COLOR is honoured too); --color: colour on a terminal (the default) despite the configuration file's color: never.")
    var color: Bool?

    @OptionGroup var data: DataOptions

    @OptionGroup(title: "Cluster") var cluster: ClusterOptions

    @OptionGroup(title: "Configuration file") var config: ConfigOptions

    func run() async throws {
        var command = self
        do {
            var flags = data.flagValues
            flags.given(.color, color.map { .text($0 ? "auto" : "never") }, flag: color == false ? "--no-color" : "--color")
            let settings = try config.settings(flags: flags, cluster: cluster)
            command.data = data.resolved(settings)
            command.color = settings.text(.color).map { $0 != "never" }
            try await command.execute(settings)
        } catch let e as OperatorError {
            Output.err("kubeskew apis: \(e.message)\n")
            throw ExitCode(e.status)
        }
    }

    private func execute(_ settings: EffectiveSettings) async throws {
        do {
            let context = try data.context()
            let table = try data.removedAPITable()
            let client = try cluster.client()
            do {
                try await report(context: context, table: table, client: client, settings: settings)
                await client.shutdown()
            } catch {
                await client.shutdown()
                throw error
            }
        } catch let e as OperatorError {
            Output.err("kubeskew apis: \(e.message)\n")
            throw ExitCode(e.status)
        }
    }

    private func report(context: AssessmentContext, table: RemovedAPIs, client: KubeAPIClient, settings: EffectiveSettings) async throws {
        let (snapshot, warnings) = try await loadLiveSnapshot(client)
        for w in warnings { Output.err("kubeskew apis: warning: \(w)\n") }
        let assessment = Assessor(context: context).assess(snapshot.facts())
        if let problem = assessment.targetProblem, data.target != nil { throw OperatorError(message: "\(settings.origin(.target)): \(problem)") }
        guard let current = assessment.controlPlane.apiservers.min() else {
            throw OperatorError(message: "the control plane's version is unknown: no kube-apiserver pod and no /version")
        }
        guard let target = assessment.target else { throw OperatorError(message: "no target: give --target vX.Y.Z or next-minor") }
        let found = await APIUsageScan(client: client, table: table, current: current, target: target,
                                       apiserverPods: snapshot.apiserverPods).run()
        for warning in client.receivedWarnings { Output.err("Warning: \(warning)\n") }
        let term = TerminalInfo.forStdout(noColorFlag: color == false)
        guard let found else {
            let text = "no minor hop: the target \(target) is in the control plane's minor (\(current)), so no API version "
                + "goes away; give --target next-minor or a newer vX.Y.Z"
            switch output {
            case .json: Output.out(try Self.encode(JSONDocument(target: target.description, apiRemovals: nil, note: text, removedAPIData: table.dataTakenOn.description)))
            case .table: Output.out(text + "\n")
            }
            return
        }
        switch output {
        case .json:
            Output.out(try Self.encode(JSONDocument(target: target.description, apiRemovals: found.jsonValue, note: nil,
                                                    removedAPIData: table.dataTakenOn.description)))
        case .table:
            Output.out("target \(target) (control plane \(current)) · removed-API data of \(table.dataTakenOn)\n"
                       + found.table(width: term.width, color: term.color))
        }
        if found.exitStatus != 0 { throw ExitCode(found.exitStatus) }
    }

    private struct JSONDocument: Encodable {
        let target: String
        let apiRemovals: JSONAPIRemovals?
        let note: String?
        let removedAPIData: String
    }

    private static func encode(_ doc: JSONDocument) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes, .sortedKeys]
        return String(decoding: try encoder.encode(doc), as: UTF8.self) + "\n"
    }
}
