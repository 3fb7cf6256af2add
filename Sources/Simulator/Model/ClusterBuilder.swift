import Foundation

/// Turns a `Scenario` into the API objects a kubeadm cluster would hold: namespaces, nodes, the kubeadm-config
/// ConfigMap, static control-plane pods, the kube-proxy DaemonSet and its pods, CoreDNS, workloads and their
/// controllers, and PodDisruptionBudgets.
enum ClusterBuilder {
    struct Built {
        var objects: [(ResourceType, JSONValue)] = []
    }

    /// `apiserverPorts`: the port each control-plane node's kube-apiserver really listens on at its internal IP
    /// (the simulator's node listeners); nodes not in it advertise kubeadm's default 6443, where nothing listens.
    static func build(_ scenario: Scenario, now: Date = Date(), seed: UInt64 = 42,
                      apiserverPorts: [String: Int] = [:]) -> [(ResourceType, JSONValue)] {
        var random = SeededRandom(seed: seed)
        var out: [(ResourceType, JSONValue)] = []
        let clusterCreated = now.addingTimeInterval(-45 * 86_400)
        let clusterCreatedText = Timestamps.rfc3339(clusterCreated)

        var namespaces = ["default", "kube-node-lease", "kube-public", "kube-system"]
        for pod in scenario.pods where !namespaces.contains(pod.namespace) { namespaces.append(pod.namespace) }
        for pdb in scenario.pdbs where !namespaces.contains(pdb.namespace) { namespaces.append(pdb.namespace) }
        for namespace in apiUsageNamespaces(scenario) where !namespaces.contains(namespace) { namespaces.append(namespace) }
        for namespace in namespaces {
            out.append((.namespaces, .object([
                ("metadata", .object([("name", .string(namespace)), ("uid", .string(random.uuid())),
                                      ("creationTimestamp", .string(clusterCreatedText)),
                                      ("labels", .object([("kubernetes.io/metadata.name", .string(namespace))]))])),
                ("spec", .object([("finalizers", .array([.string("kubernetes")]))])),
                ("status", .object([("phase", .string("Active"))])),
            ])))
            out.append((.serviceAccounts, .object([
                ("metadata", .object([("name", .string("default")), ("namespace", .string(namespace)),
                                      ("uid", .string(random.uuid())), ("creationTimestamp", .string(clusterCreatedText))])),
            ])))
        }

        // Nodes, remembering uid and address for the pods that reference them.
        var nodeUID: [String: String] = [:]
        var nodeIP: [String: String] = [:]
        let specs = scenario.nodes
        let nodeSeed = random.next()
        // Each node draws from its own generator, so the result does not depend on how the work is split.
        let nodes = ParallelMap.map(count: specs.count) { index -> JSONValue in
            let spec = specs[index]
            var nodeRandom = SeededRandom(seed: nodeSeed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
            let created = clusterCreated.addingTimeInterval(spec.role == .controlPlane ? Double(index) * 60 : 3_600 + Double(index) * 7)
            let heartbeat = now.addingTimeInterval(-Double(nodeRandom.next() % 40))
            return NodeFactory.node(spec, index: index + 1, created: created, heartbeat: heartbeat, random: &nodeRandom)
        }
        for (spec, node) in zip(specs, nodes) {
            nodeUID[spec.name] = node[["metadata", "uid"]]?.stringValue ?? ""
            nodeIP[spec.name] = node["status"]?["addresses"]?.arrayValue?.first?["address"]?.stringValue ?? "10.0.0.1"
            out.append((.nodes, node))
        }

        // A generator of its own, so the names drawn after it stay what they were before Endpoints were served.
        var endpointsRandom = SeededRandom(seed: seed &+ 0xE9D9)
        out.append((.endpoints, kubernetesEndpoints(scenario, nodeIP: nodeIP, ports: apiserverPorts, uid: endpointsRandom.uuid(),
                                                    created: clusterCreatedText)))
        let controlPlanes = scenario.nodes.filter { $0.role == .controlPlane }
        let endpoint = (controlPlanes.first?.name ?? "cp-1") + ":6443"
        out.append((.configMaps, .object([
            ("metadata", .object([("name", .string("kubeadm-config")), ("namespace", .string("kube-system")),
                                  ("uid", .string(random.uuid())), ("creationTimestamp", .string(clusterCreatedText))])),
            ("data", .object([("ClusterConfiguration", .string(clusterConfiguration(version: scenario.kubeadmConfigVersion, endpoint: endpoint)))])),
        ])))

        var podIndex = 10
        func nextPodIP(_ node: String) -> String {
            podIndex += 1
            let nodeNumber = (scenario.nodes.firstIndex { $0.name == node } ?? 0) + 1
            return "10.244.\(nodeNumber & 0xFF).\(podIndex % 250 + 2)"
        }

        // Static control-plane pods, as the kubelet mirrors them.
        for cp in controlPlanes {
            let ip = nodeIP[cp.name] ?? "10.0.0.1"
            let owner = PodFactory.Owner(apiVersion: "v1", kind: "Node", name: cp.name, uid: nodeUID[cp.name] ?? "")
            let apiserverVersion = cp.apiserver ?? scenario.controlPlaneVersion
            let port = apiserverPorts[cp.name] ?? 6443
            let components: [(String, String, [String])] = [
                ("kube-apiserver", "registry.k8s.io/kube-apiserver:\(apiserverVersion)", apiserverCommand(ip: ip, port: port)),
                ("kube-controller-manager", "registry.k8s.io/kube-controller-manager:\(cp.controllerManager ?? apiserverVersion)",
                 ["kube-controller-manager", "--leader-elect=true", "--use-service-account-credentials=true"]),
                ("kube-scheduler", "registry.k8s.io/kube-scheduler:\(cp.scheduler ?? apiserverVersion)",
                 ["kube-scheduler", "--leader-elect=true"]),
                ("etcd", "registry.k8s.io/etcd:\(cp.etcd ?? scenario.etcdVersion)", ["etcd", "--advertise-client-urls=https://\(ip):2379"]),
            ]
            for (component, image, command) in components {
                let hash = random.hex(32)
                var annotations = ["kubernetes.io/config.hash": hash, "kubernetes.io/config.mirror": hash,
                                   "kubernetes.io/config.seen": clusterCreatedText.replacingOccurrences(of: "Z", with: ".000000000Z"),
                                   "kubernetes.io/config.source": "file"]
                if component == "kube-apiserver" { annotations[advertiseAnnotation] = "\(ip):\(port)" }
                if component == "etcd" { annotations["kubeadm.kubernetes.io/etcd.advertise-client-urls"] = "https://\(ip):2379" }
                out.append((.pods, PodFactory.pod(
                    name: "\(component)-\(cp.name)", namespace: "kube-system", node: cp.name, hostIP: ip, podIP: ip,
                    labels: ["component": component, "tier": "control-plane"], annotations: annotations, owner: owner,
                    containers: [.init(name: component, image: image, command: command)], hostNetwork: true,
                    priorityClass: "system-node-critical", created: clusterCreatedText, random: &random)))
            }
        }

        // kube-proxy: kubeadm's DaemonSet runs the cluster version; each pod shows the version its node really runs.
        let proxyUID = random.uuid()
        out.append((.daemonSets, PodFactory.controller(
            kind: "DaemonSet", name: "kube-proxy", namespace: "kube-system", uid: proxyUID, labels: ["k8s-app": "kube-proxy"],
            image: "registry.k8s.io/kube-proxy:\(scenario.kubeProxyVersion ?? scenario.kubeadmConfigVersion)", containerName: "kube-proxy",
            desired: scenario.nodes.count, created: clusterCreatedText)))
        var proxyNames = Set<String>()
        for node in scenario.nodes {
            let ip = nodeIP[node.name] ?? "10.0.0.1"
            // Random suffixes collide in large clusters (birthday bound); draw again like the ReplicaSet controller would.
            var proxyName = "kube-proxy-\(random.podSuffix())"
            while !proxyNames.insert(proxyName).inserted { proxyName = "kube-proxy-\(random.podSuffix())" }
            out.append((.pods, PodFactory.pod(
                name: proxyName, namespace: "kube-system", node: node.name, hostIP: ip, podIP: ip,
                labels: ["controller-revision-hash": "7bb84c4984", "k8s-app": "kube-proxy", "pod-template-generation": "1"],
                owner: .init(apiVersion: "apps/v1", kind: "DaemonSet", name: "kube-proxy", uid: proxyUID),
                containers: [.init(name: "kube-proxy", image: "registry.k8s.io/kube-proxy:\(node.kubeProxy)",
                                   command: ["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf",
                                             "--hostname-override=$(NODE_NAME)"])],
                hostNetwork: true, priorityClass: "system-node-critical", serviceAccount: "kube-proxy",
                created: clusterCreatedText, random: &random)))
        }

        // CoreDNS on the first control-plane node.
        if let cp = controlPlanes.first {
            let coreDNS = scenario.coreDNSVersion ?? "v1.12.0"
            let rsName = "coredns-668d6bf9bc"
            let rsUID = random.uuid()
            out.append((.replicaSets, PodFactory.controller(
                kind: "ReplicaSet", name: rsName, namespace: "kube-system", uid: rsUID,
                labels: ["k8s-app": "kube-dns", "pod-template-hash": "668d6bf9bc"], image: "registry.k8s.io/coredns/coredns:\(coreDNS)",
                containerName: "coredns", desired: 2, created: clusterCreatedText)))
            for _ in 0..<2 {
                out.append((.pods, PodFactory.pod(
                    name: "\(rsName)-\(random.podSuffix())", namespace: "kube-system", node: cp.name,
                    hostIP: nodeIP[cp.name] ?? "10.0.0.1", podIP: nextPodIP(cp.name),
                    labels: ["k8s-app": "kube-dns", "pod-template-hash": "668d6bf9bc"],
                    owner: .init(apiVersion: "apps/v1", kind: "ReplicaSet", name: rsName, uid: rsUID),
                    containers: [.init(name: "coredns", image: "registry.k8s.io/coredns/coredns:\(coreDNS)")],
                    priorityClass: "system-cluster-critical", serviceAccount: "coredns",
                    created: clusterCreatedText, random: &random)))
            }
        }

        // Workload controllers named by the scenario's pods, then the pods.
        var controllerUIDs: [String: String] = [:]
        let podCreated = Timestamps.rfc3339(now.addingTimeInterval(-3 * 86_400))
        for pod in scenario.pods {
            guard let owner = pod.owner else { continue }
            let key = "\(owner.kind)/\(pod.namespace)/\(owner.name)"
            if controllerUIDs[key] != nil { continue }
            let uid = random.uuid()
            controllerUIDs[key] = uid
            guard owner.kind == "ReplicaSet" || owner.kind == "DaemonSet" else { continue }
            let members = scenario.pods.filter { $0.owner == owner && $0.namespace == pod.namespace }
            out.append((owner.kind == "ReplicaSet" ? .replicaSets : .daemonSets, PodFactory.controller(
                kind: owner.kind, name: owner.name, namespace: pod.namespace, uid: uid, labels: pod.labels, image: pod.image,
                containerName: containerName(pod.image), desired: members.count, created: podCreated)))
        }
        for pod in scenario.pods {
            let owner = pod.owner.map { o in
                PodFactory.Owner(apiVersion: o.kind == "Job" ? "batch/v1" : "apps/v1", kind: o.kind, name: o.name,
                                 uid: controllerUIDs["\(o.kind)/\(pod.namespace)/\(o.name)"] ?? "")
            }
            out.append((.pods, PodFactory.pod(
                name: pod.name, namespace: pod.namespace, node: pod.node, hostIP: nodeIP[pod.node] ?? "10.0.0.1",
                podIP: nextPodIP(pod.node), labels: pod.labels, owner: owner,
                containers: [.init(name: containerName(pod.image), image: pod.image)], emptyDir: pod.emptyDir,
                phase: pod.phase, created: podCreated, random: &random)))
        }

        for pdb in scenario.pdbs {
            var spec: [(String, JSONValue)] = []
            if let min = pdb.minAvailable { spec.append(("minAvailable", intOrString(min))) }
            spec.append(("selector", .object([("matchLabels", .sortedMap(pdb.selector))])))
            if let max = pdb.maxUnavailable { spec.append(("maxUnavailable", intOrString(max))) }
            out.append((.podDisruptionBudgets, .object([
                ("metadata", .object([("name", .string(pdb.name)), ("namespace", .string(pdb.namespace)),
                                      ("uid", .string(random.uuid())), ("generation", .int(1)),
                                      ("creationTimestamp", .string(podCreated))])),
                ("spec", .object(spec)),
            ])))
        }
        out.append(contentsOf: apiUsageObjects(scenario, now: now, random: &random))
        return out
    }

    static let advertiseAnnotation = "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint"

    /// kube-apiserver's command as kubeadm writes it into the static pod manifest (the flags kubeskew reads).
    static func apiserverCommand(ip: String, port: Int) -> [String] {
        ["kube-apiserver", "--advertise-address=\(ip)", "--secure-port=\(port)", "--authorization-mode=Node,RBAC"]
    }

    static func intOrString(_ value: String) -> JSONValue { Int(value).map { .int($0) } ?? .string(value) }

    static func containerName(_ image: String) -> String {
        let last = image.split(separator: "/").last.map(String.init) ?? image
        let name = last.split(separator: ":").first.map(String.init) ?? last
        return Validation.isDNSLabel(name) ? name : "app"
    }

    /// kubeadm's ClusterConfiguration as it stores it in the kubeadm-config ConfigMap.
    static func clusterConfiguration(version: String, endpoint: String) -> String {
        """
        apiServer: {}
        apiVersion: kubeadm.k8s.io/v1beta4
        caCertificateValidityPeriod: 87600h0m0s
        certificateValidityPeriod: 8760h0m0s
        certificatesDir: /etc/kubernetes/pki
        clusterName: kubernetes
        controlPlaneEndpoint: \(endpoint)
        controllerManager: {}
        dns: {}
        encryptionAlgorithm: RSA-2048
        etcd:
          local:
            dataDir: /var/lib/etcd
        imageRepository: registry.k8s.io
        kind: ClusterConfiguration
        kubernetesVersion: \(version)
        networking:
          dnsDomain: cluster.local
          podSubnet: 10.244.0.0/16
          serviceSubnet: 10.96.0.0/12
        proxy: {}
        scheduler: {}

        """
    }
}

extension Scenario {
    /// A generated cluster of `nodes` nodes (1…5,000) with a realistic version and OS mix: three control-plane
    /// nodes at v1.33.3 (one when fewer than 10 nodes), most workers current, some a patch or minors behind, a few
    /// unsupported, NotReady or cordoned; a web workload with a PodDisruptionBudget on the first workers.
    public static func generated(nodes: Int, seed: UInt64) -> Scenario {
        let count = min(max(nodes, 1), 5_000)
        var random = SeededRandom(seed: seed)
        let controlPlaneCount = count >= 10 ? 3 : 1
        let width = max(String(count).count, 4)
        var specs: [NodeSpec] = []
        let mix: [(Int, String)] = [(70, "v1.33.3"), (12, "v1.33.2"), (8, "v1.32.7"), (5, "v1.31.11"), (3, "v1.30.14"), (2, "v1.29.15")]
        let images: [(OSFamily, String, String)] = [
            (.debian, "Ubuntu 22.04.5 LTS", "5.15.0-131-generic"), (.debian, "Ubuntu 24.04.1 LTS", "6.8.0-51-generic"),
            (.debian, "Debian GNU/Linux 12 (bookworm)", "6.1.0-28-amd64"),
            (.rhel, "Rocky Linux 9.5 (Blue Onyx)", "5.14.0-503.14.1.el9_5.x86_64"),
            (.rhel, "Red Hat Enterprise Linux 9.4 (Plow)", "5.14.0-427.42.1.el9_4.x86_64"),
        ]
        for i in 0..<count {
            if i < controlPlaneCount {
                specs.append(NodeSpec(name: "cp-\(i + 1)", role: .controlPlane, kubelet: "v1.33.3"))
                continue
            }
            let number = String(i - controlPlaneCount + 1)
            let name = "node-" + String(repeating: "0", count: max(0, width - number.count)) + number
            var roll = Int(random.next() % 100)
            var version = "v1.33.3"
            for (share, v) in mix { if roll < share { version = v; break }; roll -= share }
            let osPick = Int(random.next() % 10)
            let (os, osImage, kernel) = images[osPick < 4 ? 0 : osPick < 6 ? 1 : osPick < 7 ? 2 : osPick < 9 ? 3 : 4]
            let extra = Int(random.next() % 1000)
            // kube-proxy normally follows the kubelet; kubeadm is sometimes already upgraded.
            let kubeadm = extra < 20 ? "v1.33.3" : version
            specs.append(NodeSpec(name: name, kubelet: version, kubeadm: kubeadm, os: os, osImage: osImage, kernelVersion: kernel,
                                  ready: extra % 200 != 7, unschedulable: extra % 100 == 13,
                                  labels: ["node.kubernetes.io/pool": "pool-\(i % 8)"]))
        }
        var pods: [PodSpec] = []
        var pdbs: [PDBSpec] = []
        let workers = specs.filter { $0.role == .worker }
        if workers.count >= 2 {
            for (n, worker) in workers.prefix(3).enumerated() {
                pods.append(PodSpec(name: "web-7c9f8d6b5-\(["a1b2c", "d3e4f", "g5h6j"][n])", node: worker.name,
                                    owner: OwnerSpec(kind: "ReplicaSet", name: "web-7c9f8d6b5"), labels: ["app": "web"]))
            }
            pdbs.append(PDBSpec(name: "web-pdb", selector: ["app": "web"], minAvailable: "1"))
        }
        return Scenario(name: "generated-\(count)", controlPlaneVersion: "v1.33.3", nodes: specs, pods: pods, pdbs: pdbs)
    }
}
