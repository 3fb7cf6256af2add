import Foundation
import Testing
@testable import KubeModel

struct StreamingNodeDecoderTests {
    static let tricky = #"""
    {"apiVersion": "v1", "items": [
      {"metadata": {"name": "a", "annotations": {"note": "braces } ] { [ and \"quotes\" and \\ slashes"}},
       "status": {"nodeInfo": {"kubeletVersion": "v1.33.2"}}},
      {"kind": "Node", "metadata": {"name": "b", "labels": {"items": "[not the array]"}}},
      {"kind": "Pod", "metadata": {"name": "not-a-node"}}
    ], "kind": "List", "metadata": {"resourceVersion": ""}}
    """#

    func decode(_ text: String, chunk: Int) throws -> [Node]? {
        var stream = StreamingNodeDecoder()
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            try stream.feed(bytes[i..<min(i + chunk, bytes.count)])
            i += chunk
        }
        return try stream.finish()
    }

    @Test(arguments: [1, 2, 7, 64, 1 << 20])
    func itemsSurviveAnyChunkBoundary(chunk: Int) throws {
        let nodes = try #require(try decode(Self.tricky, chunk: chunk))
        #expect(nodes.map(\.name) == ["a", "b"], "a List's Pod is not a node")
        #expect(nodes[0].nodeInfo?.kubeletVersion == "v1.33.2")
        #expect(nodes[0].metadata.annotations?["note"] == #"braces } ] { [ and "quotes" and \ slashes"#)
    }

    @Test func kindAfterItemsIsStillChecked() {
        #expect(throws: DocumentError.self) {
            try decode(#"{"items": [{"metadata": {"name": "p"}}], "kind": "PodList"}"#, chunk: 5)
        }
    }

    @Test func singleNodeIsLeftToTheWholeDocumentDecoder() throws {
        let single = #"{"kind": "Node", "metadata": {"name": "solo"}}"#
        #expect(try decode(single, chunk: 3) == nil)
        #expect(try NodesDocument.decodeNodes(Data(single.utf8)).map(\.name) == ["solo"])
    }

    @Test(arguments: [
        (#"{"kind": "NodeList", "items": [{"metadata": {"name": "a"}"#, "truncated"),
        (#"["x"]"#, "expected a NodeList"),
        (#"{"items": ["x"]}"#, "items[0] is not an object"),
        (#"{"items": [{"spec": {}}]}"#, "items[0].metadata is missing"),
        (#"{"items": [{"metadata": {"name": "a"}}, {"metadata": {"name": 1}}]}"#, "items[1].metadata.name"),
    ])
    func brokenDocumentsNameTheProblem(text: String, expected: String) {
        do {
            _ = try decode(text, chunk: 4)
            Issue.record("accepted \(text)")
        } catch {
            #expect("\(error)".contains(expected), "\(error)")
        }
    }
}

struct ClusterSnapshotTests {
    func pod(_ name: String, node: String, image: String, labels: [String: String], container: String) -> Pod {
        Pod(metadata: ObjectMeta(name: name, namespace: "kube-system", labels: labels),
            spec: PodSpec(nodeName: node, containers: [Container(name: container, image: image)]))
    }

    @Test func versionsComeFromStaticPodsAndKubeProxyPods() throws {
        let snapshot = ClusterSnapshot(
            serverVersion: "v1.33.3",
            nodes: [Node(metadata: ObjectMeta(name: "cp-1", labels: ["node-role.kubernetes.io/control-plane": ""]),
                         status: NodeStatus(nodeInfo: NodeSystemInfo(kubeletVersion: "v1.33.3", kubeProxyVersion: "v1.33.3"))),
                    Node(metadata: ObjectMeta(name: "node01"),
                         status: NodeStatus(nodeInfo: NodeSystemInfo(kubeletVersion: "v1.33.2", kubeProxyVersion: "v1.33.2")))],
            systemPods: [
                pod("kube-apiserver-cp-1", node: "cp-1", image: "registry.k8s.io/kube-apiserver:v1.33.3", labels: ["component": "kube-apiserver", "tier": "control-plane"], container: "kube-apiserver"),
                pod("kube-apiserver-cp-2", node: "cp-2", image: "registry.k8s.io/kube-apiserver:v1.32.9@sha256:abc", labels: ["component": "kube-apiserver", "tier": "control-plane"], container: "kube-apiserver"),
                pod("kube-proxy-x", node: "node01", image: "registry.k8s.io/kube-proxy:v1.32.9", labels: ["k8s-app": "kube-proxy"], container: "kube-proxy"),
                pod("coredns-1", node: "cp-1", image: "registry.k8s.io/coredns/coredns:v1.11.3", labels: ["k8s-app": "kube-dns"], container: "coredns"),
            ],
            kubeadmConfig: ConfigMap(metadata: ObjectMeta(name: "kubeadm-config", namespace: "kube-system"),
                                     data: ["ClusterConfiguration": "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: \"v1.33.3\"\n"]))
        let facts = snapshot.facts()
        #expect(facts.apiserverVersions == ["v1.33.3", "v1.32.9"], "one version per apiserver instance (HA)")
        #expect(facts.kubeadmClusterVersion == "v1.33.3")
        #expect(facts.nodes.first { $0.name == "node01" }?.kubeProxyVersion == "v1.32.9", "the pod on the node wins over nodeInfo")
        #expect(facts.nodes.first { $0.name == "cp-1" }?.isControlPlane == true)
        #expect(facts.components.map(\.name) == ["kube-apiserver", "kube-apiserver", "coredns"])
        var overridden = snapshot
        overridden.controlPlaneOverride = ["v1.34.0"]
        #expect(overridden.facts().apiserverVersions == ["v1.34.0"])
    }

    @Test(arguments: [("registry.k8s.io/kube-proxy:v1.33.3", "v1.33.3"), ("localhost:5000/kube-proxy", nil),
                      ("registry.k8s.io/etcd:3.5.21-0@sha256:00", "3.5.21-0"), ("kube-proxy", nil)])
    func imageTags(image: String, tag: String?) {
        #expect(ClusterSnapshot.imageTag(image) == tag)
    }
}
