import Foundation
@testable import Simulator
import Testing

/// What the control-plane commands change, read back through the API with the real kubectl, and `/version`
/// answering as a load balancer in front of several API servers.
@Suite("control plane through the API")
struct ControlPlaneAPITests {
    @Test("upgrade apply changes the static pods, kubeadm-config and kube-proxy as kubectl reads them; /version follows")
    func applyThroughKubectl() async throws {
        try await SimulatorHarness.with(ControlPlaneShellTests.single("v1.32.9", kubeadm: "v1.33.3"), shellSpeed: 0) { h in
            let shells = try #require(h.simulator.shells)
            #expect(await shells.capture("cp-1", ["kubeadm", "upgrade", "apply", "v1.33.3", "--yes"]).code == 0)
            let result = try await h.kubectl(["get", "pods", "-n", "kube-system", "-o", "json"])
            #expect(result.status == 0, "\(result.stderr)")
            let list = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            var images: [String: String] = [:]
            for item in list["items"] as? [[String: Any]] ?? [] {
                let name = (item["metadata"] as? [String: Any])?["name"] as? String ?? ""
                let containers = (item["spec"] as? [String: Any])?["containers"] as? [[String: Any]]
                images[name] = containers?.first?["image"] as? String
            }
            #expect(images["kube-apiserver-cp-1"] == "registry.k8s.io/kube-apiserver:v1.33.3")
            #expect(images["kube-controller-manager-cp-1"] == "registry.k8s.io/kube-controller-manager:v1.33.3")
            #expect(images["kube-scheduler-cp-1"] == "registry.k8s.io/kube-scheduler:v1.33.3")
            #expect(images["etcd-cp-1"] == "registry.k8s.io/etcd:3.5.21-0")
            #expect(images.filter { $0.key.hasPrefix("kube-proxy-") }.values.allSatisfy { $0 == "registry.k8s.io/kube-proxy:v1.33.3" })
            let config = try await h.kubectl(["get", "configmap", "kubeadm-config", "-n", "kube-system", "-o", "jsonpath={.data.ClusterConfiguration}"])
            #expect(config.stdout.contains("kubernetesVersion: v1.33.3\n"))
            let version = try await h.kubectl(["version", "-o", "json"])
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(version.stdout.utf8)) as? [String: Any])
            #expect((doc["serverVersion"] as? [String: Any])?["gitVersion"] as? String == "v1.33.3")
        }
    }

    @Test("/version in the ha scenario answers with more than one version across requests, in the real wire format")
    func versionRotates() async throws {
        try await SimulatorHarness.with(try Scenario.named("ha"), shellSpeed: 0) { h in
            var seen = Set<String>()
            for _ in 0..<3 {
                let doc = try await h.raw("/version")
                #expect(Set(doc.keys) == ["major", "minor", "emulationMajor", "emulationMinor", "minCompatibilityMajor",
                                          "minCompatibilityMinor", "gitVersion", "gitCommit", "gitTreeState", "buildDate",
                                          "goVersion", "compiler", "platform"])
                seen.insert(doc["gitVersion"] as? String ?? "")
            }
            #expect(seen == ["v1.33.3", "v1.32.9"])
            let plain = try await h.kubectl(["version"])
            #expect(plain.status == 0)
            #expect(plain.stdout.contains("Server Version: v1.33.3") || plain.stdout.contains("Server Version: v1.32.9"), "\(plain.stdout)")
        }
    }
}
