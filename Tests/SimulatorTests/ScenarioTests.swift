import Foundation
@testable import Simulator
import Testing

/// Scenario files and their validation.
@Suite("scenarios")
struct ScenarioTests {
    @Test("the embedded scenarios match the files of Assets/scenarios")
    func embeddedCopiesAreCurrent() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Assets/scenarios")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files == EmbeddedScenarios.files.keys.sorted())
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(EmbeddedScenarios.files[file] == text, "run scripts/embed-assets: \(file) changed")
        }
    }

    @Test("the demo scenario tells issue 6's story")
    func demo() throws {
        let demo = try Scenario.named("demo")
        #expect(demo.controlPlaneVersion == "v1.33.3")
        let byName = Dictionary(uniqueKeysWithValues: demo.nodes.map { ($0.name, $0) })
        #expect(byName["cp-1"]?.role == .controlPlane)
        #expect(byName["node01"]?.kubelet == "v1.33.2")
        #expect(byName["node02"]?.os == .debian && byName["node02"]?.kubelet == "v1.32.7")
        #expect(byName["node03"]?.os == .rhel && byName["node03"]?.kubelet == "v1.32.7")
        #expect(byName["node04"]?.kubelet == "v1.29.15")
        #expect(byName["node05"]?.ready == false)
        #expect(byName["node06"]?.unschedulable == true)
        #expect(byName["node07"].map { $0.kubeadm != $0.kubelet } == true)
        #expect(demo.nodes.contains { $0.kubelet.contains("-eks-") })
        #expect(demo.pdbs.contains { $0.name == "postgres-pdb" && $0.minAvailable == "1" })
    }

    @Test("bad scenarios are refused with a message naming the problem", arguments: [
        ("controlPlaneVersion: v1.33.3\nnodes: []", "a scenario needs at least one node"),
        ("controlPlaneVersion: latest\nnodes: [{name: cp-1, role: control-plane, kubelet: v1.33.3}]", "controlPlaneVersion \"latest\" is not a version"),
        ("controlPlaneVersion: v1.33.3\nnodes: [{name: cp-1, role: control-plane, kubelet: \"v1.33.3; rm -rf /\"}]", "kubelet \"v1.33.3; rm -rf /\" is not a version"),
        ("controlPlaneVersion: v1.33.3\nnodes: [{name: Bad_Node, role: control-plane, kubelet: v1.33.3}]", "node name \"Bad_Node\" is not a valid RFC 1123 name"),
        ("controlPlaneVersion: v1.33.3\nnodes: [{name: n1, kubelet: v1.33.3}]", "at least one control-plane node"),
        ("controlPlaneVersion: v1.33.3\nnodes: [{name: cp-1, role: control-plane, kubelet: v1.33.3}]\npods: [{name: p, node: ghost}]", "unknown node ghost"),
    ])
    func invalid(yaml: String, message: String) {
        do {
            _ = try Scenario.parse(yaml: yaml, source: "test.yaml")
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }

    @Test("loading a file reports a missing file clearly")
    func missingFile() {
        #expect(throws: ScenarioError.self) { try Scenario.load(file: "/nonexistent/scenario.yaml") }
    }

    @Test("a scenario builds the objects of a kubeadm cluster")
    func builtObjects() throws {
        let objects = ClusterBuilder.build(try Scenario.named("default"))
        let pods = objects.filter { $0.0 == .pods }.map(\.1)
        let names = Set(pods.compactMap { $0[["metadata", "name"]]?.stringValue })
        #expect(names.isSuperset(of: ["kube-apiserver-cp-1", "kube-controller-manager-cp-1", "kube-scheduler-cp-1", "etcd-cp-1"]))
        let apiserver = try #require(pods.first { $0[["metadata", "name"]]?.stringValue == "kube-apiserver-cp-1" })
        #expect(apiserver[["metadata", "labels", "component"]] == .string("kube-apiserver"))
        #expect(apiserver[["metadata", "labels", "tier"]] == .string("control-plane"))
        #expect(apiserver[["metadata", "annotations", "kubernetes.io/config.mirror"]] != nil)
        #expect(apiserver[["spec", "containers"]]?.arrayValue?.first?["image"] == .string("registry.k8s.io/kube-apiserver:v1.33.3"))
        #expect(pods.filter { $0[["metadata", "labels", "k8s-app"]] == .string("kube-proxy") }.count == 5)
        #expect(objects.contains { $0.0 == .daemonSets && $0.1[["metadata", "name"]] == .string("kube-proxy") })
        #expect(objects.contains { $0.0 == .configMaps && $0.1[["metadata", "name"]] == .string("kubeadm-config") })
    }
}
