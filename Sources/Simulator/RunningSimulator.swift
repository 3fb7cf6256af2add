import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A simulated cluster serving the Kubernetes API over HTTPS on 127.0.0.1 until `stop()`.
public final class RunningSimulator: Sendable {
    /// `https://127.0.0.1:<port>`.
    public let url: String
    public let port: Int
    /// The cluster's state and the mutations tests use.
    public let cluster: SimulatedCluster
    /// The certificates of this run (CA, server, admin client).
    public let pki: SimulatorPKI
    /// The scenario the cluster was built from.
    public let scenarioName: String
    let server: APIServer
    private let serviceGroup: ServiceGroup
    private let runTask: Task<Void, any Error>
    private let churnTask: Task<Void, Never>?
    private let stopped = Mutex(false)

    private init(url: String, port: Int, cluster: SimulatedCluster, pki: SimulatorPKI, scenarioName: String, server: APIServer,
                 serviceGroup: ServiceGroup, runTask: Task<Void, any Error>, churnTask: Task<Void, Never>?) {
        self.url = url
        self.scenarioName = scenarioName
        self.port = port
        self.cluster = cluster
        self.pki = pki
        self.server = server
        self.serviceGroup = serviceGroup
        self.runTask = runTask
        self.churnTask = churnTask
    }

    /// Builds the cluster, generates the PKI and starts serving; returns once the port accepts connections.
    public static func start(_ options: SimulatorOptions) async throws -> RunningSimulator {
        try options.scenario.validate(source: "scenario \(options.scenario.name)")
        guard (0...65_535).contains(options.port) else { throw SimulatorError(message: "port \(options.port) is not a TCP port") }
        let store = ObjectStore(initialResourceVersion: options.resourceVersionBase, reconcile: { ReplicaSetController.reconcile(&$0); DisruptionController.reconcile(&$0) })
        // The CA is the cluster's identity: its namespaces' uids derive from it (a saved image keeps its own).
        let pki = try options.pki ?? SimulatorPKI.generate()
        if let image = options.image {
            guard image.scenario == options.scenario.name else {
                throw SimulatorError(message: "the saved cluster is of scenario \(image.scenario), not \(options.scenario.name)")
            }
            do { try store.load(image.objects) } catch {
                throw SimulatorError(message: "the saved cluster is inconsistent: \(StatusError(error).message)")
            }
        } else {
            do { try store.load(ClusterIdentity.stamped(ClusterBuilder.build(options.scenario), caCertificatePEM: pki.caCertificatePEM)) } catch {
                throw SimulatorError(message: "scenario \(options.scenario.name) is inconsistent: \(StatusError(error).message)")
            }
        }
        let apiserverVersion = options.scenario.nodes.first { $0.role == .controlPlane }?.apiserver ?? options.scenario.controlPlaneVersion
        let server = APIServer(store: store, tokens: TokenAuthority(), faults: options.faults, apiserverVersion: apiserverVersion,
                               apiUsage: APIUsage(options.scenario))
        var logger = Logger(label: "kubeskew.sim")
        logger.logLevel = .critical

        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            responder: CallbackResponder<KubeRequestContext> { request, context in try await server.respond(request, context: context) },
            server: try .tls(.http1(configuration: .init(additionalChannelHandlers: [CloseOnHalfClose()])), tlsConfiguration: pki.serverTLSConfiguration()),
            configuration: .init(address: .hostname("127.0.0.1", port: options.port), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        let serviceGroup = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let runTask = Task {
            defer { portContinuation.finish() }
            try await serviceGroup.run()
        }
        var boundPort: Int?
        for await port in portStream { boundPort = port }
        guard let port = boundPort, port > 0 else {
            runTask.cancel()
            let reason: String
            do { try await runTask.value; reason = "the server stopped before listening" } catch { reason = "\(error)" }
            throw SimulatorError(message: "cannot listen on 127.0.0.1:\(options.port): \(reason)")
        }
        server.serverAddress.withLock { $0 = "127.0.0.1:\(port)" }
        let cluster = options.image.map { SimulatedCluster(store: store, packages: $0.extra.packages) }
            ?? SimulatedCluster(store: store, scenario: options.scenario)
        let shells = SimulatedNodeShells(cluster: cluster, speed: options.shellSpeed)
        if let image = options.image { await shells.restore(image.extra.shells) }
        server.nodeShells.withLock { $0 = shells }
        server.podRunner.withLock { $0 = SimulatedPodRunner(store: store, shells: shells) }
        var churnTask: Task<Void, Never>?
        if options.churnPerSecond > 0 {
            churnTask = Task { await Churn.run(cluster: cluster, perSecond: options.churnPerSecond) }
        }
        return RunningSimulator(url: "https://127.0.0.1:\(port)", port: port, cluster: cluster, pki: pki,
                                scenarioName: options.scenario.name, server: server,
                                serviceGroup: serviceGroup, runTask: runTask, churnTask: churnTask)
    }

    /// The node shells behind `/kubeskew-sim/v1/nodes/NAME/exec` and the simulated executor.
    public var shells: SimulatedNodeShells? { server.nodeShells.withLock { $0 } }

    /// The bearer token the `sim-token` user currently authenticates with.
    public var token: String { server.tokens.current }

    /// When the current token expires, if faults gave tokens a lifetime.
    public var tokenExpiry: Date? { server.tokens.expiry }

    /// The read-only `sim-viewer` user's token: reads work, writes get 403 Forbidden.
    public var viewerToken: String { server.tokens.viewerToken }

    /// A kubeconfig with contexts `sim` (client certificate, current), `sim-token` (bearer token) and `sim-viewer`
    /// (read-only bearer token).
    public func kubeconfigYAML() -> String {
        KubeconfigWriter.yaml(server: url, pki: pki, token: token, viewerToken: server.tokens.viewerToken)
    }

    /// Writes `kubeconfigYAML()` to `path` with mode 0600.
    public func writeKubeconfig(to path: String) throws { try KubeconfigWriter.writeFile(kubeconfigYAML(), to: path) }

    public var faults: FaultSettings { server.faults }

    public func setFaults(_ f: FaultSettings) async { server.setFaults(f) }

    /// Issues a new bearer token (the old one stops working) and clears an injected token expiry.
    public func rotateToken() async -> String {
        server.faultSettings.withLock { $0.tokenExpired = false }
        return server.tokens.rotate()
    }

    /// Ends watches, stops serving and waits for the server to close. Safe to call twice.
    public func stop() async throws {
        let already = stopped.withLock { s -> Bool in
            defer { s = true }
            return s
        }
        if already { return }
        churnTask?.cancel()
        server.store.endAllWatches(closing: true)
        await serviceGroup.triggerGracefulShutdown()
        try await runTask.value
    }
}
