import ArgumentParser
import Foundation
import KubeModel
import SkewCore

/// Offline input (a nodes file or a cluster-info dump) and the API server versions to judge it against; shared by
/// `check` and the dashboard. No file means the live cluster.
struct InputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Read nodes from this file (what `kubectl get nodes -o json` writes).", valueName: "FILE"))
    var nodesFile: String?

    @Option(name: .long, help: ArgumentHelp("Read a `kubectl cluster-info dump --output-directory` folder.", valueName: "DIR"))
    var fromDump: String?

    @Option(name: .long, help: ArgumentHelp("API server version(s), comma-separated for HA instances, when the input has none.", valueName: "V[,V…]"))
    var controlPlane: String?

    /// True when no file was given: the caller reads the live cluster.
    var isLive: Bool { nodesFile == nil && fromDump == nil }

    /// The snapshot from the file or folder given, and its name for the screen.
    func offlineSnapshot() throws -> (snapshot: ClusterSnapshot, source: String) {
        switch (nodesFile, fromDump) {
        case let (file?, nil): return (try OfflineInput.nodesFile(file), file)
        case let (nil, dir?): return (try OfflineInput.dump(dir), dir)
        case (.some, .some): throw OperatorError(message: "give --nodes-file or --from-dump, not both")
        case (nil, nil): throw OperatorError(message: "no input: pass --nodes-file FILE (kubectl get nodes -o json) or --from-dump DIR")
        }
    }

    /// Applies `--control-plane`, then refuses a snapshot that still has no API server version.
    func applyControlPlane(to snapshot: inout ClusterSnapshot) throws {
        if let controlPlane { snapshot.controlPlaneOverride = try Self.parseControlPlane(controlPlane) }
        if snapshot.apiserverVersions.isEmpty {
            throw OperatorError(message: "the input has no API server version; pass --control-plane V (e.g. --control-plane v1.33.3)")
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
