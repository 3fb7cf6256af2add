import CompressNIO
import Foundation
import NIOCore
@testable import Simulator
import Testing

/// The removed-apis scenario through the real kubectl: the deprecated-API metric, last-applied annotations, Helm
/// release Secrets and Warning headers, as a kube-apiserver serves them.
@Suite("Removed APIs: kubectl against the simulator")
struct RemovedAPIsKubectlTests {
    static let series = #"apiserver_requested_deprecated_apis{group="flowcontrol.apiserver.k8s.io",removed_release="1.32",resource="flowschemas",subresource="",version="v1beta3"} 1"#

    @Test("kubectl get --raw /metrics has the deprecated-API series; sim-viewer is refused the path")
    func metrics() async throws {
        try await SimulatorHarness.with(try Scenario.named("removed-apis")) { sim in
            let result = try await sim.kubectl(["get", "--raw", "/metrics"])
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.contains(Self.series))
            #expect(lines.contains("# TYPE apiserver_requested_deprecated_apis gauge"))
            #expect(lines.contains { $0.hasPrefix("# HELP apiserver_requested_deprecated_apis [STABLE] Gauge of deprecated APIs") })
            #expect(lines.contains(#"apiserver_request_total{code="200",component="apiserver",dry_run="",group="flowcontrol.apiserver.k8s.io",resource="flowschemas",scope="cluster",subresource="",verb="LIST",version="v1beta3"} 148"#))
            #expect(lines.contains { $0.hasPrefix("process_start_time_seconds 1.") && $0.contains("e+09") })
            #expect(lines.contains { $0.hasPrefix("kubernetes_build_info{") && $0.contains(#"git_version="v1.31.11""#) })

            let viewer = try await sim.kubectl(["get", "--raw", "/metrics"], context: "sim-viewer")
            #expect(viewer.status != 0)
            #expect(viewer.stderr.contains(#"Error from server (Forbidden): forbidden: User "sim-viewer" cannot get path "/metrics""#), "\(viewer.stderr)")
        }
    }

    @Test("/metrics headers and the 403 Status body are the real server's")
    func metricsWire() async throws {
        try await SimulatorHarness.with(try Scenario.named("removed-apis")) { sim in
            let admin = try await sim.kubectl(["get", "--raw", "/metrics", "-v=8"])
            #expect(admin.stderr.contains("Content-Type: text/plain; version=0.0.4; charset=utf-8"), "\(admin.stderr.suffix(2000))")
            let viewer = try await sim.kubectl(["get", "--raw", "/metrics", "-v=8"], context: "sim-viewer")
            #expect(viewer.stderr.contains(#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"forbidden: User \"sim-viewer\" cannot get path \"/metrics\"","reason":"Forbidden","details":{},"code":403}"#),
                    "\(viewer.stderr.suffix(2000))")
        }
    }

    @Test("kubectl get ingress -A lists storefront; -o json carries the extensions/v1beta1 last-applied manifest")
    func ingresses() async throws {
        try await SimulatorHarness.with(try Scenario.named("removed-apis")) { sim in
            let table = try await sim.kubectl(["get", "ingress", "-A"])
            #expect(table.status == 0, "\(table.stderr)")
            let header = table.stdout.split(separator: "\n").first?.split(separator: " ", omittingEmptySubsequences: true) ?? []
            #expect(header == ["NAMESPACE", "NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"])
            let rows = table.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: " ", omittingEmptySubsequences: true) }
            #expect(rows.contains { $0.prefix(5) == ["shop", "storefront", "<none>", "shop.example.com", "80"] }, "\(table.stdout)")
            #expect(rows.contains { $0.prefix(2) == ["shop", "checkout"] })

            let json = try await sim.kubectl(["get", "ingress", "-n", "shop", "storefront", "-o", "json"])
            #expect(json.status == 0, "\(json.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object["apiVersion"] as? String == "networking.k8s.io/v1")
            let annotations = try #require((object["metadata"] as? [String: Any])?["annotations"] as? [String: String])
            let applied = try #require(annotations["kubectl.kubernetes.io/last-applied-configuration"])
            #expect(applied == #"{"apiVersion":"extensions/v1beta1","kind":"Ingress","metadata":{"annotations":{},"name":"storefront","namespace":"shop"},"spec":{"rules":[{"host":"shop.example.com","http":{"paths":[{"backend":{"serviceName":"storefront","servicePort":80},"path":"/"}]}}]}}"# + "\n")
            // Served converted to v1, as the API server converts the stored object.
            let path = ((((object["spec"] as? [String: Any])?["rules"] as? [[String: Any]])?.first?["http"] as? [String: Any])?["paths"] as? [[String: Any]])?.first
            #expect(path?["pathType"] as? String == "ImplementationSpecific")
            #expect(((path?["backend"] as? [String: Any])?["service"] as? [String: Any])?["name"] as? String == "storefront")

            let yaml = try await sim.kubectl(["get", "ingress", "-n", "shop", "-o", "yaml"])
            #expect(yaml.status == 0, "\(yaml.stderr)")
            #expect(yaml.stdout.contains("kubectl.kubernetes.io/last-applied-configuration: |"))
        }
    }

    @Test("kubectl get secrets -A -l owner=helm lists the release Secrets; data.release is Helm's gzipped JSON")
    func helmSecrets() async throws {
        try await SimulatorHarness.with(try Scenario.named("removed-apis")) { sim in
            let table = try await sim.kubectl(["get", "secrets", "-A", "-l", "owner=helm"])
            #expect(table.status == 0, "\(table.stderr)")
            let names = table.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: " ", omittingEmptySubsequences: true).prefix(3).joined(separator: " ") }
            #expect(names == ["monitoring sh.helm.release.v1.legacy-exporter.v1 helm.sh/release.v1",
                              "monitoring sh.helm.release.v1.legacy-exporter.v2 helm.sh/release.v1",
                              "monitoring sh.helm.release.v1.legacy-exporter.v3 helm.sh/release.v1",
                              "shop sh.helm.release.v1.cart.v1 helm.sh/release.v1"])

            let filtered = try await sim.kubectl(["get", "secrets", "-A", "-l", "owner=helm,status=deployed",
                                                  "--field-selector", "type=helm.sh/release.v1", "-o", "json"])
            #expect(filtered.status == 0, "\(filtered.stderr)")
            let list = try #require(try JSONSerialization.jsonObject(with: Data(filtered.stdout.utf8)) as? [String: Any])
            let items = try #require(list["items"] as? [[String: Any]])
            #expect(items.count == 2)
            let secret = try #require(items.first { ($0["metadata"] as? [String: Any])?["name"] as? String == "sh.helm.release.v1.legacy-exporter.v3" })
            let labels = (secret["metadata"] as? [String: Any])?["labels"] as? [String: String]
            #expect(labels?["name"] == "legacy-exporter" && labels?["owner"] == "helm" && labels?["version"] == "3")
            let data = try #require((secret["data"] as? [String: String])?["release"])
            let release = try Self.decodeRelease(data)
            #expect(release["name"] as? String == "legacy-exporter")
            #expect(release["namespace"] as? String == "monitoring")
            #expect(release["version"] as? Int == 3)
            #expect((release["info"] as? [String: Any])?["status"] as? String == "deployed")
            #expect(((release["chart"] as? [String: Any])?["metadata"] as? [String: Any])?["version"] as? String == "0.4.2")
            let manifest = try #require(release["manifest"] as? String)
            #expect(manifest.contains("apiVersion: policy/v1beta1\nkind: PodDisruptionBudget"))
            #expect(manifest.contains("apiVersion: apps/v1\nkind: Deployment"))
        }
    }

    /// Kubernetes' base64 of the Secret's bytes, which are Helm's base64 of gzip of the release JSON.
    static func decodeRelease(_ data: String) throws -> [String: Any] {
        let helmText = try #require(Data(base64Encoded: data).flatMap { String(data: $0, encoding: .utf8) })
        let gzipped = try #require(Data(base64Encoded: helmText))
        #expect(Array(gzipped.prefix(3)) == [0x1F, 0x8B, 0x08])
        var buffer = ByteBuffer(bytes: Array(gzipped))
        let json = try buffer.decompress(with: .gzip())
        return try #require(try JSONSerialization.jsonObject(with: Data(json.readableBytesView)) as? [String: Any])
    }

    @Test("the view role cannot list Secrets: the real 403")
    func viewerSecrets() async throws {
        try await SimulatorHarness.with(try Scenario.named("removed-apis")) { sim in
            let result = try await sim.kubectl(["get", "secrets", "-A", "-l", "owner=helm"], context: "sim-viewer")
            #expect(result.status != 0)
            #expect(result.stderr.contains(#"Error from server (Forbidden): secrets is forbidden: User "sim-viewer" cannot list resource "secrets" in API group "" at the cluster scope"#),
                    "\(result.stderr)")
        }
    }

    @Test("a scenario's Warning header reaches kubectl's stderr")
    func warningHeader() async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            let result = try await sim.kubectl(["get", "endpoints", "-A"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"), "\(result.stderr)")
            #expect(tableRows(result.stdout)["default"]?.prefix(3) == ["default", "kubernetes", "127.0.1.10:6443"])
            let nodes = try await sim.kubectl(["get", "nodes"])
            #expect(!nodes.stderr.contains("Warning:"))
        }
    }

    @Test("HA: a call seen by one instance shows in that instance's /metrics only")
    func perInstanceMetrics() async throws {
        var scenario = try Scenario.named("ha")
        scenario.deprecatedAPICalls = [
            DeprecatedAPICallSpec(group: "flowcontrol.apiserver.k8s.io", version: "v1beta3", resource: "flowschemas",
                                  removedRelease: "1.32", instances: ["cp-2"]),
            DeprecatedAPICallSpec(group: "autoscaling", version: "v2beta2", resource: "horizontalpodautoscalers",
                                  removedRelease: "1.26"),
        ]
        try await SimulatorHarness.with(scenario) { sim in
            var bodies: [String: String] = [:]
            // Three requests through the load balancer reach the three instances in turn.
            for _ in 0..<3 {
                let result = try await sim.kubectl(["get", "--raw", "/metrics"])
                #expect(result.status == 0, "\(result.stderr)")
                let start = result.stdout.split(separator: "\n").first { $0.hasPrefix("process_start_time_seconds ") }.map(String.init) ?? ""
                bodies[start] = result.stdout
            }
            #expect(bodies.count == 3)
            let withFlowSchemas = bodies.values.filter { $0.contains(#"apiserver_requested_deprecated_apis{group="flowcontrol.apiserver.k8s.io""#) }
            #expect(withFlowSchemas.count == 1)
            #expect(withFlowSchemas.first?.contains(#"git_version="v1.32.9""#) == true)
            #expect(bodies.values.allSatisfy { $0.contains(#"apiserver_requested_deprecated_apis{group="autoscaling",removed_release="1.26",resource="horizontalpodautoscalers",subresource="",version="v2beta2"} 1"#) })
        }
    }
}
