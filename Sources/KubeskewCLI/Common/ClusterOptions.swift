import ArgumentParser
import Foundation
import KubeClient
import KubeModel

/// `--kubeconfig` and `--context`, resolved as kubectl resolves them (KUBECONFIG, ~/.kube/config, current-context).
struct ClusterOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Path of the kubeconfig file (else KUBECONFIG, else ~/.kube/config).", valueName: "FILE"))
    var kubeconfig: String?

    @Option(name: .long, help: ArgumentHelp("The kubeconfig context to use (else its current-context).", valueName: "NAME"))
    var context: String?

    /// A client for the selected cluster; the caller must `shutdown()` it.
    func client() throws -> KubeAPIClient {
        do {
            return KubeAPIClient(config: try KubeconfigLoader.load(explicitPath: kubeconfig, context: context))
        } catch {
            throw OperatorError(message: error.description)
        }
    }

    /// `kubectl` with the same kubeconfig and context, for the control-plane steps of an upgrade.
    func kubectlArgv(resolvedContext: String?) -> [String] {
        var argv = ["kubectl"]
        if let kubeconfig { argv += ["--kubeconfig", URL(fileURLWithPath: kubeconfig).standardizedFileURL.path] }
        if let ctx = context ?? resolvedContext { argv += ["--context", ctx] }
        return argv
    }
}

/// Reads a live cluster's snapshot, turning client errors into one operator-readable line.
func loadLiveSnapshot(_ client: KubeAPIClient) async throws -> (ClusterSnapshot, [String]) {
    do {
        let loaded = try await ClusterSnapshotLoader.load(client, tolerateForbidden: true)
        return (loaded.snapshot, loaded.warnings)
    } catch let e as KubeClientError {
        throw OperatorError(message: e.description)
    }
}
