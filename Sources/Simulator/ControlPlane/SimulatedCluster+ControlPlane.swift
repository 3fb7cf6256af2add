import Foundation

/// The control-plane mutations `kubeadm upgrade apply|node` make, through the store like any API write (so they
/// bump resourceVersions and reach watches).
extension SimulatedCluster {
    /// Static pod components kubeadm manages, by the `component` label of their mirror pods.
    static let staticComponents = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd"]

    /// The control plane as the API shows it now.
    func controlPlaneView() -> ControlPlaneView {
        var byNode: [String: [String: String]] = [:]
        var order: [String] = []
        for pod in store.all(.pods) where pod.namespace == "kube-system" {
            guard let component = pod.labels["component"], Self.staticComponents.contains(component),
                  let node = pod.object[["spec", "nodeName"]]?.stringValue else { continue }
            if byNode[node] == nil { order.append(node) }
            byNode[node, default: [:]][component] = Self.tag(pod.object[["spec", "containers"]]?.arrayValue?.first?["image"]?.stringValue)
        }
        let nodes = store.all(.nodes)
        let nodeOrder = nodes.map(\.name)
        order.sort { (nodeOrder.firstIndex(of: $0) ?? .max) < (nodeOrder.firstIndex(of: $1) ?? .max) }
        let instances = order.compactMap { node -> ControlPlaneView.Instance? in
            guard let c = byNode[node], let apiserver = c["kube-apiserver"] else { return nil }
            return .init(node: node, apiserver: apiserver, controllerManager: c["kube-controller-manager"] ?? apiserver,
                         scheduler: c["kube-scheduler"] ?? apiserver, etcd: c["etcd"])
        }
        let proxy = store.get(.daemonSets, namespace: "kube-system", name: "kube-proxy")
        let coreDNS = store.all(.replicaSets).first { $0.namespace == "kube-system" && $0.labels["k8s-app"] == "kube-dns" }
        return ControlPlaneView(
            instances: instances, kubeadmConfigVersion: kubeadmConfigVersion() ?? instances.first?.apiserver ?? "",
            kubeProxy: Self.tag(proxy?.object[["spec", "template", "spec", "containers"]]?.arrayValue?.first?["image"]?.stringValue),
            coreDNS: Self.tag(coreDNS?.object[["spec", "template", "spec", "containers"]]?.arrayValue?.first?["image"]?.stringValue),
            kubelets: nodes.map { ($0.name, $0.object[["status", "nodeInfo", "kubeletVersion"]]?.stringValue ?? "") })
    }

    /// How many objects the store holds (an etcd snapshot's key count follows it).
    var objectCount: Int { ResourceType.all.reduce(0) { $0 + store.all($1).count } }

    /// The image tag of `registry.k8s.io/name:tag`.
    static func tag(_ image: String?) -> String {
        guard let image, let colon = image.lastIndex(of: ":") else { return "" }
        return String(image[image.index(after: colon)...])
    }

    /// `kubernetesVersion` of the kubeadm-config ConfigMap, nil without one.
    func kubeadmConfigVersion() -> String? {
        guard let text = store.get(.configMaps, namespace: "kube-system", name: "kubeadm-config")?
            .object[["data", "ClusterConfiguration"]]?.stringValue else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("kubernetesVersion:") {
            return line.dropFirst("kubernetesVersion:".count).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// `[upload-config]`: the ClusterConfiguration's kubernetesVersion becomes `version`.
    func setKubeadmConfigVersion(_ version: String) throws {
        try checkControlPlaneVersion(version)
        do {
            try store.update(.configMaps, namespace: "kube-system", name: "kubeadm-config") { (object: inout JSONValue) throws(StoreError) in
                let text = object[["data", "ClusterConfiguration"]]?.stringValue ?? ""
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                    line.hasPrefix("kubernetesVersion:") ? "kubernetesVersion: \(version)" : String(line)
                }
                object.set(["data", "ClusterConfiguration"], .string(lines.joined(separator: "\n")))
            }
        } catch {
            throw SimulatorError(message: "the ConfigMap \"kubeadm-config\" in the kube-system namespace was not found")
        }
    }

    /// The kubelet restarts a static pod from its new manifest: the mirror pod shows the new image and hash.
    func setStaticPodImage(node: String, component: String, tag: String) throws {
        guard Self.staticComponents.contains(component), tag.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-+.".contains($0)) }) else {
            throw SimulatorError(message: "\(component):\(tag) is not a static pod image")
        }
        let image = JSONValue.string("registry.k8s.io/\(component):\(tag)")
        let hash = JSONValue.string(String(UInt64.random(in: .min ... .max), radix: 16) + String(UInt64.random(in: .min ... .max), radix: 16))
        let now = JSONValue.string(Timestamps.rfc3339(Date()))
        do {
            try store.update(.pods, namespace: "kube-system", name: "\(component)-\(node)") { (object: inout JSONValue) throws(StoreError) in
                Self.replaceImage(&object, image)
                object.set(["metadata", "annotations", "kubernetes.io/config.hash"], hash)
                object.set(["metadata", "annotations", "kubernetes.io/config.mirror"], hash)
                if var statuses = object[["status", "containerStatuses"]]?.arrayValue, !statuses.isEmpty {
                    statuses[0]["state"] = .object([("running", .object([("startedAt", now)]))])
                    object.set(["status", "containerStatuses"], .array(statuses))
                }
            }
        } catch {
            throw SimulatorError(message: "static pod \(component)-\(node) not found")
        }
    }

    /// `[addons] Applied essential addon: CoreDNS / kube-proxy`: both DaemonSet and ReplicaSet templates move, and
    /// their pods roll to the new images as the controllers would.
    func applyAddons(kubeProxy version: String, coreDNS: String) throws {
        try checkControlPlaneVersion(version)
        let proxyImage = JSONValue.string("registry.k8s.io/kube-proxy:\(version)")
        let dnsImage = JSONValue.string("registry.k8s.io/coredns/coredns:\(coreDNS)")
        _ = try? store.update(.daemonSets, namespace: "kube-system", name: "kube-proxy") { (object: inout JSONValue) throws(StoreError) in
            Self.replaceImage(&object, proxyImage, path: ["spec", "template", "spec", "containers"])
        }
        for rs in store.all(.replicaSets) where rs.namespace == "kube-system" && rs.labels["k8s-app"] == "kube-dns" {
            _ = try? store.update(.replicaSets, namespace: "kube-system", name: rs.name) { (object: inout JSONValue) throws(StoreError) in
                Self.replaceImage(&object, dnsImage, path: ["spec", "template", "spec", "containers"])
            }
        }
        for pod in store.all(.pods) where pod.namespace == "kube-system" && pod.labels["k8s-app"] == "kube-dns" {
            _ = try? store.update(.pods, namespace: "kube-system", name: pod.name) { (object: inout JSONValue) throws(StoreError) in
                Self.replaceImage(&object, dnsImage)
            }
        }
        let proxied = store.all(.pods).filter { $0.namespace == "kube-system" && $0.labels["k8s-app"] == "kube-proxy" }
            .compactMap { $0.object[["spec", "nodeName"]]?.stringValue }
        for node in proxied { try setKubeProxyVersion(node, version) }
    }

    private func checkControlPlaneVersion(_ version: String) throws {
        guard Validation.isVersion(version) else { throw SimulatorError(message: "\"\(version)\" is not a version like v1.33.3") }
    }

    /// Sets the first container's image in the spec (at `path`) and, for pods, in the status.
    static func replaceImage(_ object: inout JSONValue, _ image: JSONValue, path: [String] = ["spec", "containers"]) {
        if var containers = object[path]?.arrayValue, !containers.isEmpty {
            containers[0]["image"] = image
            object.set(path, .array(containers))
        }
        if path == ["spec", "containers"], var statuses = object[["status", "containerStatuses"]]?.arrayValue, !statuses.isEmpty {
            statuses[0]["image"] = image
            object.set(["status", "containerStatuses"], .array(statuses))
        }
    }
}
