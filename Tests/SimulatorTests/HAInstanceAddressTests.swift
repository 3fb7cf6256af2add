import Foundation
@testable import Simulator
import Testing

/// An HA scenario's kube-apiservers, each at its node's own address (the advertise endpoint kubeadm records), answer
/// as that instance alone, while 127.0.0.1 stays the load balancer answering in turn. What a client reading every
/// instance (kubeskew's /metrics scan) needs: the address, the port, and a certificate naming the address.
@Suite("HA: each kube-apiserver at its node's address")
struct HAInstanceAddressTests {
    /// ha with a deprecated call only cp-2 has served.
    static func haWithCallOnCP2() throws -> Scenario {
        var scenario = try Scenario.named("ha")
        scenario.deprecatedAPICalls = [
            DeprecatedAPICallSpec(group: "resource.k8s.io", version: "v1alpha3", resource: "resourceclaims",
                                  removedRelease: "1.34", instances: ["cp-2"]),
        ]
        return scenario
    }

    static func gitVersion(_ json: String) -> String? {
        let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any]
        return object?["gitVersion"] as? String
    }

    @Test("kubectl --server https://127.0.2.12:PORT get --raw /version answers as cp-2, every time, TLS verified")
    func versionAtANodeAddress() async throws {
        try await SimulatorHarness.with(try Scenario.named("ha")) { sim in
            let port = sim.simulator.port
            #expect(sim.simulator.instanceEndpoints == ["cp-1": "127.0.2.11:\(port)", "cp-2": "127.0.2.12:\(port)",
                                                        "cp-3": "127.0.2.13:\(port)"], "\(sim.simulator.warnings)")
            #expect(sim.simulator.warnings.isEmpty)
            // The kubeconfig's CA, no skip-verify: kubectl checks the certificate for the IP it connects to.
            for (ip, expected) in [("127.0.2.12", "v1.32.9"), ("127.0.2.11", "v1.33.3"), ("127.0.2.12", "v1.32.9"), ("127.0.2.11", "v1.33.3")] {
                let result = try await sim.kubectl(["--server", "https://\(ip):\(port)", "get", "--raw", "/version"])
                #expect(result.status == 0, "\(ip): \(result.stderr)")
                #expect(Self.gitVersion(result.stdout) == expected, "\(ip) answers as its own instance: \(result.stdout)")
            }
            // The control: verification is on, and it is the address in the certificate that made it pass.
            let wrongName = try await sim.kubectl(["--server", "https://127.0.2.12:\(port)", "--tls-server-name", "127.0.9.9",
                                                   "get", "--raw", "/version"])
            #expect(wrongName.status != 0)
            #expect(wrongName.stderr.contains("x509"), "\(wrongName.stderr)")
        }
    }

    @Test("/metrics at a node's address is that process's: its start time each time, the call it served only at cp-2")
    func metricsAtNodeAddresses() async throws {
        try await SimulatorHarness.with(try Self.haWithCallOnCP2()) { sim in
            let port = sim.simulator.port
            var startTimes: [String: Set<String>] = [:]
            for ip in ["127.0.2.11", "127.0.2.12", "127.0.2.13", "127.0.2.12", "127.0.2.11", "127.0.2.13"] {
                let result = try await sim.kubectl(["--server", "https://\(ip):\(port)", "get", "--raw", "/metrics"])
                #expect(result.status == 0, "\(ip): \(result.stderr)")
                let lines = result.stdout.split(separator: "\n").map(String.init)
                startTimes[ip, default: []].formUnion(lines.filter { $0.hasPrefix("process_start_time_seconds ") })
                let hasCall = lines.contains { $0.hasPrefix(#"apiserver_requested_deprecated_apis{group="resource.k8s.io""#) }
                #expect(hasCall == (ip == "127.0.2.12"), "\(ip): the call is in cp-2's gauge only")
                let version = ip == "127.0.2.11" ? "v1.33.3" : "v1.32.9"
                #expect(lines.contains { $0.hasPrefix("kubernetes_build_info{") && $0.contains(#"git_version="\#(version)""#) }, "\(ip)")
            }
            #expect(startTimes.values.allSatisfy { $0.count == 1 }, "one process per address: \(startTimes)")
            #expect(Set(startTimes.values.compactMap(\.first)).count == 3, "three processes: \(startTimes)")
        }
    }

    @Test("the static pods advertise <internal IP>:<port> and --secure-port=<port>; default/kubernetes lists them")
    func staticPodsAdvertiseTheBoundPort() async throws {
        try await SimulatorHarness.with(try Scenario.named("ha")) { sim in
            let port = sim.simulator.port
            for (node, ip) in [("cp-1", "127.0.2.11"), ("cp-2", "127.0.2.12"), ("cp-3", "127.0.2.13")] {
                let pod = try #require(await sim.simulator.cluster.pod(namespace: "kube-system", name: "kube-apiserver-\(node)"))
                #expect(pod[["metadata", "annotations", ClusterBuilder.advertiseAnnotation]]?.stringValue == "\(ip):\(port)")
                let command = pod[["spec", "containers"]]?.arrayValue?.first?["command"]?.arrayValue?.compactMap(\.stringValue) ?? []
                #expect(command.contains("--advertise-address=\(ip)") && command.contains("--secure-port=\(port)"), "\(command)")
            }
            let endpoints = try await sim.kubectl(["get", "endpoints", "kubernetes", "-o", "jsonpath={.subsets[*].addresses[*].ip} {.subsets[*].ports[*].port}"])
            #expect(endpoints.stdout == "127.0.2.11 127.0.2.12 127.0.2.13 \(port)", "\(endpoints.stdout) \(endpoints.stderr)")
        }
    }

    @Test("a cluster restarted from an image advertises the port this run listens on, not the saved one")
    func imageIsRepointedAtTheNewPort() async throws {
        let scenario = try Scenario.named("ha")
        let first = try await RunningSimulator.start(SimulatorOptions(scenario: scenario, shellSpeed: 0))
        let image = await first.image(runID: nil)
        try await first.stop()
        var options = SimulatorOptions(scenario: scenario, shellSpeed: 0)
        options.image = image
        let second = try await RunningSimulator.start(options)
        do {
            let pod = try #require(await second.cluster.pod(namespace: "kube-system", name: "kube-apiserver-cp-2"))
            #expect(pod[["metadata", "annotations", ClusterBuilder.advertiseAnnotation]]?.stringValue == "127.0.2.12:\(second.port)")
            let command = pod[["spec", "containers"]]?.arrayValue?.first?["command"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(command.contains("--secure-port=\(second.port)"), "\(command)")
            try await second.stop()
        } catch {
            try? await second.stop()
            throw error
        }
    }

    @Test("a generated HA cluster's 10.x addresses have nothing to bind: :6443 stays, no instance listener")
    func fakeAddressesKeep6443() async throws {
        let scenario = Scenario.generated(nodes: 10, seed: 1)
        #expect(scenario.nodes.filter { $0.role == .controlPlane }.count == 3)
        #expect(scenario.apiserverNodeAddresses.isEmpty)
        try await SimulatorHarness.with(scenario) { sim in
            #expect(sim.simulator.instanceEndpoints.isEmpty)
            let pod = try #require(await sim.simulator.cluster.pod(namespace: "kube-system", name: "kube-apiserver-cp-2"))
            let endpoint = pod[["metadata", "annotations", ClusterBuilder.advertiseAnnotation]]?.stringValue ?? ""
            #expect(endpoint.hasPrefix("10.") && endpoint.hasSuffix(":6443"), "\(endpoint)")
        }
    }

    @Test("single control plane: nothing extra is bound (127.0.0.1 is its only instance)")
    func singleControlPlaneBindsNothingMore() throws {
        #expect(try Scenario.named("removed-apis").apiserverNodeAddresses.isEmpty)
        #expect(try Scenario.named("demo").apiserverNodeAddresses.isEmpty)
        #expect(try Scenario.named("ha").apiserverNodeAddresses.map(\.ip) == ["127.0.2.11", "127.0.2.12", "127.0.2.13"])
    }

    @Test("a node address whose port is taken leaves that instance on the main address, with a warning")
    func takenAddressIsAWarning() async throws {
        let pki = try SimulatorPKI.generate(ipAddresses: ["127.0.2.12", "127.0.2.13"])
        let tls = try pki.serverTLSConfiguration()
        let store = ObjectStore(initialResourceVersion: 1)
        let server = APIServer(store: store, tokens: TokenAuthority(), faults: .none, apiserverVersion: "v1.33.3")
        // Someone else holds 127.0.2.12 on a port the kernel picked; the instances are asked for that same port.
        let squatter = try await HTTPSListener.start(host: "127.0.2.12", port: 0, tls: tls) { request, context in
            try await server.respond(request, context: context)
        }
        let started = await InstanceListeners.start([("cp-2", "127.0.2.12"), ("cp-3", "127.0.2.13")], port: squatter.port,
                                                    server: server, tls: tls)
        for (_, listener) in started.listeners { try? await listener.stop() }
        try await squatter.stop()
        #expect(started.listeners.map(\.instance) == [APIServerInstance(node: "cp-3", address: "127.0.2.13:\(squatter.port)")])
        #expect(started.ports == ["cp-3": squatter.port])
        #expect(started.warnings.count == 1)
        #expect(started.warnings.first?.contains("the kube-apiserver of cp-2 is served on the main address only") == true)
        #expect(started.warnings.first?.contains("127.0.2.12:\(squatter.port)") == true, "\(started.warnings)")
    }

    @Test("the server certificate names 127.0.0.1 and the instance addresses")
    func certificateNamesTheAddresses() throws {
        #expect(try SimulatorPKI.generate(ipAddresses: ["127.0.2.11", "127.0.2.12"]).serverCertificateIPs()
                == ["127.0.0.1", "127.0.2.11", "127.0.2.12"])
        #expect(try SimulatorPKI.generate().serverCertificateIPs() == ["127.0.0.1"])
    }
}
