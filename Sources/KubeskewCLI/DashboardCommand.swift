import ArgumentParser
import Foundation
import KubeModel
import SkewCore
import TUI

/// `kubeskew dashboard`: the interactive dashboard on offline input (a nodes file or a cluster-info dump).
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "The interactive dashboard on a `kubectl get nodes -o json` file or a `kubectl cluster-info dump` folder."
    )

    @Option(name: .long, help: ArgumentHelp("Read nodes from this file (what `kubectl get nodes -o json` writes).", valueName: "FILE"))
    var nodesFile: String?

    @Option(name: .long, help: ArgumentHelp("Read a `kubectl cluster-info dump --output-directory` folder.", valueName: "DIR"))
    var fromDump: String?

    @Option(name: .long, help: ArgumentHelp("API server version(s), comma-separated for HA instances, when the input has none.", valueName: "V[,V…]"))
    var controlPlane: String?

    @Flag(name: .long, help: "Hide and unbind every action that changes the cluster (cordon, uncordon, drain, upgrade).")
    var readOnly = false

    @Flag(name: .long, help: "No colour (NO_COLOR is honoured too).")
    var noColor = false

    @OptionGroup var data: DataOptions

    func run() async throws {
        let inbox: DashboardInbox
        do {
            let context = try data.context()
            var snapshot: ClusterSnapshot
            let source: String
            switch (nodesFile, fromDump) {
            case let (file?, nil):
                snapshot = try OfflineInput.nodesFile(file)
                source = file
            case let (nil, dir?):
                snapshot = try OfflineInput.dump(dir)
                source = dir
            case (.some, .some):
                throw OperatorError(message: "give --nodes-file or --from-dump, not both")
            case (nil, nil):
                throw OperatorError(message: "no input: pass --nodes-file FILE (kubectl get nodes -o json) or --from-dump DIR")
            }
            if let controlPlane {
                snapshot.controlPlaneOverride = try CheckCommand.parseControlPlane(controlPlane)
            }
            let facts = snapshot.facts()
            if facts.apiserverVersions.isEmpty {
                throw OperatorError(message: "the input has no API server version; pass --control-plane V (e.g. --control-plane v1.33.3)")
            }
            let assessment = Assessor(context: context).assess(facts)
            inbox = try DashboardInbox()
            inbox.post(.snapshotChanged(DashboardData(snapshot: snapshot, assessment: assessment)))
            inbox.post(.watchState(.offline(source: (source as NSString).lastPathComponent)))
        } catch let e as OperatorError {
            Output.err("kubeskew dashboard: \(e.message)\n")
            throw ExitCode(e.status)
        }
        let configuration = DashboardRuntime.Configuration(
            readOnly: readOnly,
            color: ColorMode.requested(noColorFlag: noColor, environment: ProcessInfo.processInfo.environment))
        do {
            try await DashboardRuntime.run(configuration: configuration, inbox: inbox) { request in
                // Offline input has no cluster to act on; say so instead of pretending.
                inbox.post(.notice("\(request.kind.rawValue) \(request.nodes.joined(separator: ", ")): offline input, nothing to act on"))
            }
        } catch let e as DashboardError {
            Output.err("kubeskew dashboard: \(e.message)\n")
            throw ExitCode(1)
        }
    }
}
