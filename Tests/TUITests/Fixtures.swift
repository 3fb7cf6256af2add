import Foundation
import KubeModel
import SkewCore
@testable import TUI

/// A 12-node cluster with every verdict and risk the table shows, judged on a fixed day.
enum Fixtures {
    static let today = CalendarDate(year: 2026, month: 11, day: 25)

    static func node(_ name: String, kubelet: String, control: Bool = false, ready: String = "True",
                     cordoned: Bool = false, role: String? = nil, providerID: String? = nil) -> Node {
        var labels = ["kubernetes.io/hostname": name]
        if control { labels["node-role.kubernetes.io/control-plane"] = "" }
        if let role { labels["node-role.kubernetes.io/\(role)"] = "" }
        let taints = control ? [Taint(key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule")] : []
        return Node(
            metadata: ObjectMeta(name: name, labels: labels),
            spec: NodeSpec(unschedulable: cordoned, taints: taints, providerID: providerID),
            status: NodeStatus(
                nodeInfo: NodeSystemInfo(kubeletVersion: kubelet, kubeProxyVersion: kubelet,
                                         containerRuntimeVersion: "containerd://1.7.24", osImage: "Ubuntu 24.04.1 LTS",
                                         kernelVersion: "6.8.0-51-generic"),
                conditions: [NodeCondition(type: "Ready", status: ready, reason: ready == "True" ? "KubeletReady" : "KubeletNotReady",
                                           message: ready == "True" ? "kubelet is posting ready status" : "container runtime is down"),
                             NodeCondition(type: "MemoryPressure", status: "False", reason: "KubeletHasSufficientMemory")],
                addresses: [NodeAddress(type: "InternalIP", address: "10.0.0.\(abs(name.hashValue % 200) + 2)")]))
    }

    static func pod(_ name: String, node: String, labels: [String: String], container: String, image: String) -> Pod {
        Pod(metadata: ObjectMeta(name: name, namespace: "kube-system", labels: labels),
            spec: PodSpec(nodeName: node, containers: [Container(name: container, image: image)]),
            status: PodStatus(phase: "Running"))
    }

    static var nodes: [Node] {
        [
            node("cp-1", kubelet: "v1.35.2", control: true),
            node("cp-2", kubelet: "v1.35.2", control: true),
            node("node01", kubelet: "v1.35.1"),
            node("node02", kubelet: "v1.34.4"),
            node("node03", kubelet: "v1.31.9"),
            node("node04", kubelet: "v1.32.5"),
            node("node05", kubelet: "v1.35.2", cordoned: true),
            node("node06", kubelet: "v1.35.2", ready: "False"),
            node("node07", kubelet: "v1.36.0"),
            node("노드-워커", kubelet: "v1.35.2"),
            node("gpu-worker-with-a-really-long-name-0001", kubelet: "v1.35.2", role: "gpu"),
            node("node-bad", kubelet: "garbage"),
        ]
    }

    static var systemPods: [Pod] {
        var pods: [Pod] = []
        for cp in ["cp-1", "cp-2"] {
            pods.append(pod("kube-apiserver-\(cp)", node: cp, labels: ["component": "kube-apiserver"],
                            container: "kube-apiserver", image: "registry.k8s.io/kube-apiserver:v1.35.2"))
            pods.append(pod("kube-controller-manager-\(cp)", node: cp, labels: ["component": "kube-controller-manager"],
                            container: "kube-controller-manager", image: "registry.k8s.io/kube-controller-manager:v1.35.2"))
            pods.append(pod("kube-scheduler-\(cp)", node: cp, labels: ["component": "kube-scheduler"],
                            container: "kube-scheduler", image: "registry.k8s.io/kube-scheduler:v1.35.2"))
            pods.append(pod("etcd-\(cp)", node: cp, labels: ["component": "etcd"],
                            container: "etcd", image: "registry.k8s.io/etcd:3.5.21-0"))
        }
        pods.append(pod("coredns-7c65d6cfc9-abcde", node: "cp-1", labels: ["k8s-app": "kube-dns"],
                        container: "coredns", image: "registry.k8s.io/coredns/coredns:v1.12.0"))
        return pods
    }

    static func kubeadmConfig(_ version: String) -> ConfigMap? {
        let json = #"{"metadata":{"name":"kubeadm-config","namespace":"kube-system"},"data":{"ClusterConfiguration":"apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: \#(version)\n"}}"#
        return try? JSONDecoder().decode(ConfigMap.self, from: Data(json.utf8))
    }

    static var kubeProxyDaemonSet: DaemonSet? {
        let json = #"{"metadata":{"name":"kube-proxy","namespace":"kube-system"},"spec":{"template":{"spec":{"containers":[{"name":"kube-proxy","image":"registry.k8s.io/kube-proxy:v1.35.2"}]}}}}"#
        return try? JSONDecoder().decode(DaemonSet.self, from: Data(json.utf8))
    }

    static func snapshot(nodes: [Node] = Fixtures.nodes) -> ClusterSnapshot {
        ClusterSnapshot(context: "prod-eu", server: "https://10.0.0.1:6443", nodes: nodes, systemPods: systemPods,
                        kubeProxyDaemonSet: kubeProxyDaemonSet, kubeadmConfig: kubeadmConfig("v1.35.2"))
    }

    static func data(_ snapshot: ClusterSnapshot = Fixtures.snapshot()) -> DashboardData {
        let assessment = Assessor(context: AssessmentContext(today: today)).assess(snapshot.facts())
        return DashboardData(snapshot: snapshot, assessment: assessment)
    }

    /// A dashboard state with the fixture loaded, live, at a size.
    static func state(width: Int = 120, height: Int = 40, readOnly: Bool = false, glyphs: Glyphs = .unicode,
                      data: DashboardData = Fixtures.data()) -> DashboardState {
        var state = DashboardState(options: DashboardOptions(readOnly: readOnly, glyphs: glyphs,
                                                             timeZone: TimeZone(identifier: "UTC") ?? .current),
                                   width: width, height: height, watch: .live)
        _ = state.update(.snapshotChanged(data))
        return state
    }

    /// Many generated nodes, for the scale tests.
    static func bigData(count: Int) -> DashboardData {
        let versions = ["v1.35.2", "v1.35.1", "v1.34.4", "v1.33.7", "v1.32.5"]
        let nodes = (0..<count).map { i in
            node("worker-\(String(i + 100000).dropFirst())", kubelet: versions[i % versions.count], cordoned: i % 97 == 0)
        }
        return data(snapshot(nodes: [node("cp-1", kubelet: "v1.35.2", control: true)] + nodes))
    }
}

extension DashboardState {
    /// Sends keys one after another; returns every command they produced.
    @discardableResult
    mutating func press(_ keys: Key...) -> [DashboardEffect] {
        keys.flatMap { update(.key($0)) }
    }

    mutating func type(_ text: String) {
        for c in text { _ = update(.key(.char(c))) }
    }

    var screen: String { DashboardView.render(self).text }
}
