import Logging
import NIOSSL

extension Scenario {
    /// The control-plane nodes whose kube-apiserver the simulator also serves at the node's own address, each as that
    /// instance alone: those with a loopback internal IP (the whole 127/8 reaches this host on Linux), when there
    /// are several instances to tell apart. 127.0.0.1 is left out: it is the load-balanced address already. Fake
    /// addresses (generated 10.x) have nothing to bind and keep kubeadm's 6443.
    public var apiserverNodeAddresses: [(node: String, ip: String)] {
        let controlPlanes = nodes.filter { $0.role == .controlPlane }
        guard controlPlanes.count > 1 else { return [] }
        return controlPlanes.compactMap { node in
            guard let ip = node.internalIP, ip.hasPrefix("127."), ip != "127.0.0.1" else { return nil }
            return (node.name, ip)
        }
    }
}

/// Starts one listener per control-plane node address, on the main listener's port.
enum InstanceListeners {
    struct Started: Sendable {
        var listeners: [(instance: APIServerInstance, listener: HTTPSListener)] = []
        /// Addresses that could not be bound, and why (the instance is then reachable through the main address only).
        var warnings: [String] = []
        /// node → the port its instance listens on, for the static pods' advertise endpoints.
        var ports: [String: Int] {
            Dictionary(listeners.map { ($0.instance.node, $0.listener.port) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// The same port as the main listener because a kube-apiserver's `--secure-port` is one number for every
    /// address it serves; a port taken on one node address leaves that instance unbound, never moved elsewhere.
    static func start(_ addresses: [(node: String, ip: String)], port: Int, server: APIServer, tls: TLSConfiguration,
                      logger: Logger = HTTPSListener.quietLogger) async -> Started {
        var started = Started()
        for (node, ip) in addresses {
            let instance = APIServerInstance(node: node, address: "\(ip):\(port)")
            do {
                let listener = try await HTTPSListener.start(host: ip, port: port, tls: tls, logger: logger) { request, context in
                    try await server.respond(request, context: context, instance: instance)
                }
                started.listeners.append((instance, listener))
            } catch {
                started.warnings.append("the kube-apiserver of \(node) is served on the main address only: \(error)")
            }
        }
        return started
    }
}
