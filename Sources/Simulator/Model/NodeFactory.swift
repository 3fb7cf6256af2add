import Foundation

/// Builds Node objects as large and varied as real kubeadm nodes: ~35 images with digests, four conditions, a dozen
/// labels, managedFields of kubelet/kubeadm/controller-manager, capacity, addresses, daemonEndpoints and nodeInfo.
enum NodeFactory {
    /// Images a node of a real cluster has pulled, beyond the Kubernetes components themselves.
    static let imagePool: [(String, [String])] = [
        ("docker.io/calico/node", ["v3.29.1", "v3.28.2"]), ("docker.io/calico/cni", ["v3.29.1", "v3.28.2"]),
        ("docker.io/calico/kube-controllers", ["v3.29.1"]), ("docker.io/calico/typha", ["v3.29.1"]),
        ("docker.io/calico/pod2daemon-flexvol", ["v3.29.1"]), ("docker.io/calico/csi", ["v3.29.1"]),
        ("docker.io/calico/node-driver-registrar", ["v3.29.1"]), ("quay.io/cilium/cilium", ["v1.16.5"]),
        ("quay.io/cilium/operator-generic", ["v1.16.5"]), ("quay.io/prometheus/node-exporter", ["v1.8.2"]),
        ("quay.io/prometheus/prometheus", ["v2.55.1"]), ("quay.io/prometheus/alertmanager", ["v0.27.0"]),
        ("quay.io/prometheus-operator/prometheus-config-reloader", ["v0.78.2"]), ("docker.io/grafana/grafana", ["11.3.1"]),
        ("docker.io/grafana/loki", ["3.3.1"]), ("docker.io/grafana/promtail", ["3.3.1"]),
        ("registry.k8s.io/ingress-nginx/controller", ["v1.12.0", "v1.11.3"]),
        ("registry.k8s.io/ingress-nginx/kube-webhook-certgen", ["v1.4.4"]), ("registry.k8s.io/metrics-server/metrics-server", ["v0.7.2"]),
        ("registry.k8s.io/kube-state-metrics/kube-state-metrics", ["v2.14.0"]), ("registry.k8s.io/sig-storage/csi-provisioner", ["v5.1.0"]),
        ("registry.k8s.io/sig-storage/csi-attacher", ["v4.7.0"]), ("registry.k8s.io/sig-storage/csi-resizer", ["v1.12.0"]),
        ("registry.k8s.io/sig-storage/csi-snapshotter", ["v8.1.0"]), ("registry.k8s.io/sig-storage/livenessprobe", ["v2.14.0"]),
        ("registry.k8s.io/sig-storage/csi-node-driver-registrar", ["v2.12.0"]), ("registry.k8s.io/nfd/node-feature-discovery", ["v0.16.6"]),
        ("docker.io/library/nginx", ["1.27.3", "1.26.2"]), ("docker.io/library/redis", ["7.4.1"]), ("docker.io/library/postgres", ["17.2", "16.6"]),
        ("docker.io/library/busybox", ["1.37.0"]), ("docker.io/library/alpine", ["3.21"]), ("docker.io/bitnami/kubectl", ["1.33.3"]),
        ("ghcr.io/fluxcd/source-controller", ["v1.4.1"]), ("ghcr.io/fluxcd/kustomize-controller", ["v1.4.0"]),
        ("ghcr.io/fluxcd/helm-controller", ["v1.1.0"]), ("quay.io/jetstack/cert-manager-controller", ["v1.16.2"]),
        ("quay.io/jetstack/cert-manager-webhook", ["v1.16.2"]), ("quay.io/jetstack/cert-manager-cainjector", ["v1.16.2"]),
        ("docker.io/fluent/fluent-bit", ["3.2.2"]), ("docker.io/velero/velero", ["v1.15.1"]), ("quay.io/argoproj/argocd", ["v2.13.2"]),
        ("ghcr.io/kyverno/kyverno", ["v1.13.2"]), ("docker.io/istio/proxyv2", ["1.24.2"]), ("docker.io/istio/pilot", ["1.24.2"]),
        ("registry.example.com/payments/api", ["2024.11.3", "2024.11.2"]), ("registry.example.com/shop/frontend", ["4.18.0"]),
        ("registry.example.com/shop/cart", ["4.18.0"]), ("registry.example.com/data/etl-runner", ["1.9.12"]),
    ]

    /// The Node object for `spec`; `index` and `random` vary images, IPs and identities.
    static func node(_ spec: NodeSpec, index: Int, created: Date, heartbeat: Date, random: inout SeededRandom,
                     imageCount: Int? = nil) -> JSONValue {
        let createdText = Timestamps.rfc3339(created)
        let heartbeatText = Timestamps.rfc3339(heartbeat)
        let ip = spec.internalIP ?? "10.\(20 + (index >> 16) & 0xFF).\((index >> 8) & 0xFF).\(index & 0xFF)"
        let zone = ["a", "b", "c"][index % 3]
        var labels: [String: String] = [
            "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
            "kubernetes.io/hostname": spec.name, "kubernetes.io/os": "linux",
            "node.kubernetes.io/instance-type": spec.role == .controlPlane ? "m6i.xlarge" : "m6i.2xlarge",
            "topology.kubernetes.io/region": "eu-west-1", "topology.kubernetes.io/zone": "eu-west-1\(zone)",
            "failure-domain.beta.kubernetes.io/region": "eu-west-1", "failure-domain.beta.kubernetes.io/zone": "eu-west-1\(zone)",
        ]
        if spec.role == .controlPlane {
            labels["node-role.kubernetes.io/control-plane"] = ""
            labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
        }
        for (key, value) in spec.labels { labels[key] = value }
        let annotations: [String: String] = [
            "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/containerd/containerd.sock",
            "node.alpha.kubernetes.io/ttl": "0",
            "projectcalico.org/IPv4Address": ip + "/16",
            "projectcalico.org/IPv4VXLANTunnelAddr": "10.244.\(index & 0xFF).\(random.next() % 250 + 1)",
            "volumes.kubernetes.io/controller-managed-attach-detach": "true",
        ]
        let podCIDR = "10.244.\(index & 0xFF).0/24"

        var taints: [JSONValue] = spec.taints.map { taint in
            var t: [(String, JSONValue)] = [("key", .string(taint.key))]
            if let value = taint.value { t.append(("value", .string(value))) }
            t.append(("effect", .string(taint.effect)))
            return .object(t)
        }
        if spec.role == .controlPlane, !spec.taints.contains(where: { $0.key == "node-role.kubernetes.io/control-plane" }) {
            taints.insert(.object([("key", .string("node-role.kubernetes.io/control-plane")), ("effect", .string("NoSchedule"))]), at: 0)
        }
        if !spec.ready {
            taints.append(.object([("key", .string("node.kubernetes.io/unreachable")), ("effect", .string("NoSchedule")),
                                   ("timeAdded", .string(heartbeatText))]))
            taints.append(.object([("key", .string("node.kubernetes.io/unreachable")), ("effect", .string("NoExecute")),
                                   ("timeAdded", .string(heartbeatText))]))
        }
        if spec.unschedulable {
            taints.append(.object([("key", .string("node.kubernetes.io/unschedulable")), ("effect", .string("NoSchedule")),
                                   ("timeAdded", .string(heartbeatText))]))
        }
        var nodeSpec: [(String, JSONValue)] = [("podCIDR", .string(podCIDR)), ("podCIDRs", .array([.string(podCIDR)]))]
        if spec.unschedulable { nodeSpec.append(("unschedulable", .bool(true))) }
        if !taints.isEmpty { nodeSpec.append(("taints", .array(taints))) }

        let machineID = random.hex(32)
        let cpu = spec.role == .controlPlane ? 4 : 8
        let memoryKi = spec.role == .controlPlane ? 16_102_572 : 32_594_020
        let capacity = JSONValue.object([
            ("cpu", .string(String(cpu))), ("ephemeral-storage", .string("101430960Ki")), ("hugepages-1Gi", .string("0")),
            ("hugepages-2Mi", .string("0")), ("memory", .string("\(memoryKi)Ki")), ("pods", .string("110")),
        ])
        let allocatable = JSONValue.object([
            ("cpu", .string(String(cpu))), ("ephemeral-storage", .string("93478772582")), ("hugepages-1Gi", .string("0")),
            ("hugepages-2Mi", .string("0")), ("memory", .string("\(memoryKi - 102_400)Ki")), ("pods", .string("110")),
        ])
        let status: [(String, JSONValue)] = [
            ("capacity", capacity),
            ("allocatable", allocatable),
            ("conditions", .array(conditions(ready: spec.ready, heartbeat: heartbeatText, transition: createdText))),
            ("addresses", .array([
                .object([("type", .string("InternalIP")), ("address", .string(ip))]),
                .object([("type", .string("Hostname")), ("address", .string(spec.name))]),
            ])),
            ("daemonEndpoints", .object([("kubeletEndpoint", .object([("Port", .int(10250))]))])),
            ("nodeInfo", .object([
                ("machineID", .string(machineID)),
                ("systemUUID", .string(uuidFrom(machineID))),
                ("bootID", .string(random.uuid())),
                ("kernelVersion", .string(spec.kernelVersion)),
                ("osImage", .string(spec.osImage)),
                ("containerRuntimeVersion", .string(spec.containerRuntime)),
                ("kubeletVersion", .string(spec.kubelet)),
                ("kubeProxyVersion", .string(spec.kubeProxy)),
                ("operatingSystem", .string("linux")),
                ("architecture", .string("amd64")),
            ])),
            ("images", .array(images(spec, count: imageCount ?? (33 + Int(random.next() % 8)), random: &random))),
            ("runtimeHandlers", .array([
                .object([("name", .string("")), ("features", .object([("recursiveReadOnlyMounts", .bool(true)), ("userNamespaces", .bool(true))]))]),
                .object([("name", .string("runc")), ("features", .object([("recursiveReadOnlyMounts", .bool(true)), ("userNamespaces", .bool(true))]))]),
            ])),
            ("features", .object([("supplementalGroupsPolicy", .bool(true))])),
        ]
        let metadata: [(String, JSONValue)] = [
            ("name", .string(spec.name)),
            ("uid", .string(random.uuid())),
            ("creationTimestamp", .string(createdText)),
            ("labels", .sortedMap(labels)),
            ("annotations", .sortedMap(annotations)),
            ("managedFields", managedFields(labels: labels, annotations: annotations, created: createdText,
                                            heartbeat: heartbeatText, podCIDR: podCIDR, hasTaints: !taints.isEmpty,
                                            unschedulable: spec.unschedulable)),
        ]
        return .object([("metadata", .object(metadata)), ("spec", .object(nodeSpec)), ("status", .object(status))])
    }

    static func uuidFrom(_ hex32: String) -> String {
        let c = Array(hex32)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-" + String(c[20..<32])
    }

    /// The four kubelet conditions; a NotReady node looks like one whose kubelet stopped posting status.
    static func conditions(ready: Bool, heartbeat: String, transition: String) -> [JSONValue] {
        func condition(_ type: String, _ status: String, _ reason: String, _ message: String) -> JSONValue {
            .object([("type", .string(type)), ("status", .string(status)), ("lastHeartbeatTime", .string(heartbeat)),
                     ("lastTransitionTime", .string(transition)), ("reason", .string(reason)), ("message", .string(message))])
        }
        if !ready {
            let message = "Kubelet stopped posting node status."
            return [condition("MemoryPressure", "Unknown", "NodeStatusUnknown", message),
                    condition("DiskPressure", "Unknown", "NodeStatusUnknown", message),
                    condition("PIDPressure", "Unknown", "NodeStatusUnknown", message),
                    condition("Ready", "Unknown", "NodeStatusUnknown", message)]
        }
        return [condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status")]
    }

    static func images(_ spec: NodeSpec, count: Int, random: inout SeededRandom) -> [JSONValue] {
        func image(_ repo: String, _ tag: String, _ size: UInt64) -> JSONValue {
            // The kubelet lists digests first, then tags.
            .object([("names", .array([.string("\(repo)@sha256:\(random.hex(64))"), .string("\(repo):\(tag)")])),
                     ("sizeBytes", .number(String(size)))])
        }
        var result: [JSONValue] = [
            image("registry.k8s.io/kube-proxy", spec.kubeProxy, 30_000_000 + random.next() % 2_000_000),
            image("registry.k8s.io/pause", "3.10", 320_368),
            image("registry.k8s.io/coredns/coredns", "v1.12.0", 20_939_036),
        ]
        if spec.role == .controlPlane {
            let version = spec.apiserver ?? spec.kubelet
            result.append(image("registry.k8s.io/kube-apiserver", version, 28_000_000 + random.next() % 2_000_000))
            result.append(image("registry.k8s.io/kube-controller-manager", spec.controllerManager ?? version, 26_000_000 + random.next() % 2_000_000))
            result.append(image("registry.k8s.io/kube-scheduler", spec.scheduler ?? version, 20_000_000 + random.next() % 2_000_000))
            result.append(image("registry.k8s.io/etcd", "3.5.21-0", 58_938_593))
        }
        var pool = Array(imagePool.indices)
        while result.count < count, !pool.isEmpty {
            let pick = pool.remove(at: Int(random.next() % UInt64(pool.count)))
            let (repo, tags) = imagePool[pick]
            for tag in tags where result.count < count {
                result.append(image(repo, tag, 5_000_000 + random.next() % 400_000_000))
            }
        }
        // Largest first, as the kubelet reports them.
        return result.sorted { ($0["sizeBytes"]?.intValue ?? 0) > ($1["sizeBytes"]?.intValue ?? 0) }
    }

    static func fieldSet(_ keys: [String]) -> JSONValue {
        .object([(".", .object([]))] + keys.sorted().map { ("f:" + $0, .object([])) })
    }

    static func managedFields(labels: [String: String], annotations: [String: String], created: String, heartbeat: String,
                              podCIDR: String, hasTaints: Bool, unschedulable: Bool) -> JSONValue {
        func entry(_ manager: String, _ time: String, _ fields: JSONValue, subresource: String? = nil) -> JSONValue {
            var e: [(String, JSONValue)] = [("manager", .string(manager)), ("operation", .string("Update")),
                                            ("apiVersion", .string("v1")), ("time", .string(time)),
                                            ("fieldsType", .string("FieldsV1")), ("fieldsV1", fields)]
            if let subresource { e.append(("subresource", .string(subresource))) }
            return .object(e)
        }
        let kubeletLabels = labels.keys.filter { !$0.hasPrefix("node-role") && !$0.hasPrefix("node.kubernetes.io/exclude") }
        let conditionFields = JSONValue.object([(".", .object([]))] + ["DiskPressure", "MemoryPressure", "PIDPressure", "Ready"].map {
            ("k:{\"type\":\"\($0)\"}", fieldSet(["lastHeartbeatTime", "lastTransitionTime", "message", "reason", "status", "type"]))
        })
        let kubelet = entry("kubelet", created, .object([
            ("f:metadata", .object([
                ("f:annotations", fieldSet(["volumes.kubernetes.io/controller-managed-attach-detach"])),
                ("f:labels", fieldSet(kubeletLabels)),
            ])),
        ]))
        let kubeadm = entry("kubeadm", created, .object([
            ("f:metadata", .object([
                ("f:annotations", .object([("f:kubeadm.alpha.kubernetes.io/cri-socket", .object([]))])),
                ("f:labels", .object(labels.keys.filter { $0.hasPrefix("node-role") || $0.hasPrefix("node.kubernetes.io/exclude") }
                    .sorted().map { ("f:" + $0, .object([])) })),
            ])),
        ]))
        var cmSpec: [(String, JSONValue)] = [("f:podCIDR", .object([])),
                                             ("f:podCIDRs", .object([(".", .object([])), ("v:\"\(podCIDR)\"", .object([]))]))]
        if hasTaints { cmSpec.append(("f:taints", .object([]))) }
        let controllerManager = entry("kube-controller-manager", created, .object([
            ("f:metadata", .object([("f:annotations", .object([("f:node.alpha.kubernetes.io/ttl", .object([]))]))])),
            ("f:spec", .object(cmSpec)),
        ]))
        let calico = entry("calico-node", created, .object([
            ("f:metadata", .object([("f:annotations", .object([("f:projectcalico.org/IPv4Address", .object([])),
                                                               ("f:projectcalico.org/IPv4VXLANTunnelAddr", .object([]))]))])),
            ("f:status", .object([("f:conditions", .object([("k:{\"type\":\"NetworkUnavailable\"}", .object([]))]))])),
        ]), subresource: "status")
        let kubeletStatus = entry("kubelet", heartbeat, .object([
            ("f:status", .object([
                ("f:allocatable", fieldSet(["cpu", "ephemeral-storage", "hugepages-1Gi", "hugepages-2Mi", "memory", "pods"])),
                ("f:capacity", fieldSet(["cpu", "ephemeral-storage", "hugepages-1Gi", "hugepages-2Mi", "memory", "pods"])),
                ("f:conditions", conditionFields),
                ("f:daemonEndpoints", .object([("f:kubeletEndpoint", .object([("f:Port", .object([]))]))])),
                ("f:features", .object([("f:supplementalGroupsPolicy", .object([]))])),
                ("f:images", .object([])),
                ("f:nodeInfo", .object(["architecture", "bootID", "containerRuntimeVersion", "kernelVersion", "kubeProxyVersion",
                                        "kubeletVersion", "machineID", "operatingSystem", "osImage", "systemUUID"].map { ("f:" + $0, .object([])) })),
                ("f:runtimeHandlers", .object([])),
            ])),
        ]), subresource: "status")
        var entries = [kubeadm, controllerManager, kubelet, calico, kubeletStatus]
        if unschedulable {
            entries.append(entry("kubectl-cordon", heartbeat, .object([("f:spec", .object([("f:unschedulable", .object([]))]))])))
        }
        return .array(entries)
    }
}
