import ArgumentParser
import Foundation
import KubeClient
import KubeModel
import Upgrade

/// `--kubeconfig` and `--context`, resolved as kubectl resolves them (KUBECONFIG, ~/.kube/config, current-context).
struct ClusterOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Path of the kubeconfig file (else KUBECONFIG, else ~/.kube/config).", valueName: "FILE"), completion: .file())
    var kubeconfig: String?

    @Option(name: .long, help: ArgumentHelp("The kubeconfig context to use (else its current-context).", valueName: "NAME"), completion: ShellCompletion.contexts)
    var context: String?

    /// A client for the selected cluster; the caller must `shutdown()` it.
    func client() throws -> KubeAPIClient {
        do {
            return KubeAPIClient(config: try KubeconfigLoader.load(explicitPath: kubeconfig, context: context))
        } catch {
            throw OperatorError(message: error.description)
        }
    }

    /// `kubectl` naming the kubeconfig (absolute) and the resolved context, for drain, uncordon and the single
    /// actions: a context switched after planning (kubectx) must not move them to another cluster. `kubeconfigFiles`
    /// are the files the client read (`ResolvedKubeconfig.sourceFiles`); a merged KUBECONFIG list is passed whole.
    func kubectlArgv(resolvedContext: String, kubeconfigFiles: [String] = []) -> [String] {
        KubectlCommand.argv(context: resolvedContext,
                         kubeconfigFiles: kubeconfigFiles.isEmpty ? kubeconfig.map { [Self.absolute($0)] } ?? [] : kubeconfigFiles)
    }

    /// kubectl for the cluster `client` reaches.
    func kubectlArgv(for client: KubeAPIClient) -> [String] {
        kubectlArgv(resolvedContext: client.config.contextName, kubeconfigFiles: client.config.sourceFiles.map(Self.absolute))
    }

    static func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
}

/// What a run made now on `client`'s cluster belongs to: the kube-system uid read from the cluster, the server, the
/// kubeconfig files and the resolved context.
func runIdentity(_ client: KubeAPIClient, executor: ExecutorIdentity) async throws -> RunIdentity {
    let uid: String
    do { uid = try await client.namespaceUID("kube-system") } catch let e as KubeClientError {
        throw OperatorError(message: "cannot read the kube-system namespace, whose uid names the cluster a run belongs to: \(e.description)")
    }
    return RunIdentity(clusterUID: uid, server: client.config.server,
                       kubeconfigFiles: client.config.sourceFiles.map(ClusterOptions.absolute),
                       context: client.config.contextName, executor: executor, user: client.config.userName)
}

/// Reads a live cluster's snapshot, turning client errors into one operator-readable line.
func loadLiveSnapshot(_ client: KubeAPIClient) async throws -> (ClusterSnapshot, [String]) {
    let loaded = try await loadLive(client)
    return (loaded.snapshot, loaded.warnings)
}

/// The snapshot with the node list's resourceVersion, which a watch resumes from instead of listing every node again.
func loadLive(_ client: KubeAPIClient) async throws -> ClusterSnapshotLoader.Loaded {
    do {
        return try await ClusterSnapshotLoader.load(client, tolerateForbidden: true)
    } catch let e as KubeClientError {
        throw OperatorError(message: e.description)
    }
}
