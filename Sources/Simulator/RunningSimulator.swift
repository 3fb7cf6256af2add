import Foundation
import Synchronization

/// A simulated cluster serving the Kubernetes API over HTTPS on 127.0.0.1 until `stop()`; in an HA scenario whose
/// control-plane nodes have loopback addresses, also at each of those addresses, answering as that node's instance.
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
    /// node → `ip:port` of each kube-apiserver instance served at its node's own address (its advertise endpoint).
    public let instanceEndpoints: [String: String]
    /// What did not go as the scenario asks (a node address that could not be bound, a kept certificate without a
    /// node's address), for the operator.
    public let warnings: [String]
    let server: APIServer
    /// The main listener first, then one per instance address.
    private let listeners: [HTTPSListener]
    private let churnTask: Task<Void, Never>?
    private let stopped = Mutex(false)

    private init(port: Int, cluster: SimulatedCluster, pki: SimulatorPKI, scenarioName: String, server: APIServer,
                 listeners: [HTTPSListener], instances: InstanceListeners.Started, warnings: [String], churnTask: Task<Void, Never>?) {
        self.url = "https://127.0.0.1:\(port)"
        self.scenarioName = scenarioName
        self.port = port
        self.cluster = cluster
        self.pki = pki
        self.server = server
        self.listeners = listeners
        self.instanceEndpoints = Dictionary(instances.listeners.map { ($0.instance.node, $0.instance.address) },
                                            uniquingKeysWith: { first, _ in first })
        self.warnings = warnings
        self.churnTask = churnTask
    }

    /// Builds the cluster, generates the PKI and starts serving; returns once the port accepts connections.
    public static func start(_ options: SimulatorOptions) async throws -> RunningSimulator {
        try options.scenario.validate(source: "scenario \(options.scenario.name)")
        guard (0...65_535).contains(options.port) else { throw SimulatorError(message: "port \(options.port) is not a TCP port") }
        if let image = options.image, image.scenario != options.scenario.name {
            throw SimulatorError(message: "the saved cluster is of scenario \(image.scenario), not \(options.scenario.name)")
        }
        let store = ObjectStore(initialResourceVersion: options.resourceVersionBase, reconcile: { ReplicaSetController.reconcile(&$0); DisruptionController.reconcile(&$0) })
        let nodeAddresses = options.scenario.apiserverNodeAddresses
        // The CA is the cluster's identity: its namespaces' uids derive from it (a saved image keeps its own).
        let pki = try options.pki ?? SimulatorPKI.generate(ipAddresses: nodeAddresses.map(\.ip))
        let apiserverVersion = options.scenario.nodes.first { $0.role == .controlPlane }?.apiserver ?? options.scenario.controlPlaneVersion
        let rbac: RBACAuthorizer
        do { rbac = try RBACAuthorizer.shipped(overrides: options.rbacOverrides) } catch {
            throw SimulatorError(message: error.description)
        }
        let server = APIServer(store: store, tokens: TokenAuthority(), faults: options.faults, apiserverVersion: apiserverVersion,
                               apiUsage: APIUsage(options.scenario), rbac: rbac)

        // Listening comes before the objects: the static pods advertise the port the kernel picked. Nobody knows
        // the port before start() returns, so no request can reach the still empty store.
        let tls = try pki.serverTLSConfiguration()
        let main = try await HTTPSListener.start(host: "127.0.0.1", port: options.port, tls: tls) { request, context in
            try await server.respond(request, context: context)
        }
        let instances = await InstanceListeners.start(nodeAddresses, port: main.port, server: server, tls: tls)
        let listeners = [main] + instances.listeners.map(\.listener)
        let named = Set(pki.serverCertificateIPs())
        let warnings = instances.warnings + instances.listeners.map(\.instance).filter { instance in
            !named.contains(String(instance.address.prefix { $0 != ":" }))
        }.map { "the server certificate does not name \($0.address) (kept from an earlier run?): clients verifying it there refuse it" }
        do {
            try load(store, options, pki: pki, ports: instances.ports)
        } catch {
            for listener in listeners { try? await listener.stop() }
            throw error
        }
        let port = main.port
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
        return RunningSimulator(port: port, cluster: cluster, pki: pki, scenarioName: options.scenario.name, server: server,
                                listeners: listeners, instances: instances, warnings: warnings, churnTask: churnTask)
    }

    /// The scenario's objects, or the saved image's, with each bound instance advertising the port it listens on.
    private static func load(_ store: ObjectStore, _ options: SimulatorOptions, pki: SimulatorPKI, ports: [String: Int]) throws {
        if let image = options.image {
            do { try store.load(ClusterBuilder.advertising(image.objects, ports: ports)) } catch {
                throw SimulatorError(message: "the saved cluster is inconsistent: \(StatusError(error).message)")
            }
        } else {
            let objects = ClusterBuilder.build(options.scenario, apiserverPorts: ports)
            do { try store.load(ClusterIdentity.stamped(objects, caCertificatePEM: pki.caCertificatePEM)) } catch {
                throw SimulatorError(message: "scenario \(options.scenario.name) is inconsistent: \(StatusError(error).message)")
            }
        }
    }

    /// The node shells behind `/kubeskew-sim/v1/nodes/NAME/exec` and the simulated executor.
    public var shells: SimulatedNodeShells? { server.nodeShells.withLock { $0 } }

    /// The bearer token the `sim-token` user currently authenticates with.
    public var token: String { server.tokens.current }

    /// When the current token expires, if faults gave tokens a lifetime.
    public var tokenExpiry: Date? { server.tokens.expiry }

    /// The read-only `sim-viewer` user's token: reads work, writes get 403 Forbidden.
    public var viewerToken: String { server.tokens.viewerToken }

    /// The token of a user the shipped RBAC roles authorize (`kubeskew-readonly`, `kubeskew-upgrader`).
    public func roleToken(user: String) -> String? { server.tokens.roleTokens[user] }

    /// A kubeconfig with contexts `sim` (client certificate, current), `sim-token` (bearer token), `sim-viewer`
    /// (read-only bearer token), and `kubeskew-readonly` and `kubeskew-upgrader` (the shipped RBAC roles).
    public func kubeconfigYAML() -> String {
        KubeconfigWriter.yaml(server: url, pki: pki, token: token, viewerToken: server.tokens.viewerToken,
                              roleTokens: server.tokens.roleTokens)
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
        // Every listener is stopped even when one fails to; the first failure is reported.
        var failure: (any Error)?
        for listener in listeners {
            do { try await listener.stop() } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
    }
}
