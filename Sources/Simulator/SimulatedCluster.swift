import Foundation

/// Package state of a node that the API does not show (kubeadm's version, the OS package family), kept for the
/// simulated node shells of a later issue.
public struct NodePackages: Sendable, Equatable, Codable {
    public var kubeadm: String
    public var os: OSFamily
    /// Days until the node's kubeadm-managed certificates expire (control-plane nodes; nil: 320, a cluster of 45 days).
    public var certificatesExpireInDays: Int?
}

/// The simulated cluster's state, with the mutations tests and the demo need: every change goes through the same
/// store as API writes, so it bumps the resourceVersion and reaches watches.
public actor SimulatedCluster {
    let store: ObjectStore
    private var packages: [String: NodePackages]
    private var random = SeededRandom(seed: 7)

    init(store: ObjectStore, scenario: Scenario) {
        self.store = store
        var packages: [String: NodePackages] = [:]
        for node in scenario.nodes { packages[node.name] = NodePackages(kubeadm: node.kubeadm, os: node.os, certificatesExpireInDays: node.certificatesExpireInDays) }
        self.packages = packages
    }

    /// A cluster restarted from an image: the store holds its objects already.
    init(store: ObjectStore, packages: [String: NodePackages]) {
        self.store = store
        self.packages = packages
    }

    /// Every node's packages, for an image.
    func allPackages() -> [String: NodePackages] { packages }

    /// The current global resourceVersion.
    public var resourceVersion: Int { store.resourceVersion }

    /// Node names in list order.
    public func nodeNames() -> [String] { store.all(.nodes).map(\.name) }

    /// A node as the API returns it (kind and apiVersion included), or nil.
    public func node(_ name: String) -> JSONValue? { store.get(.nodes, name: name)?.fullObject }

    /// A pod as the API returns it, or nil.
    public func pod(namespace: String, name: String) -> JSONValue? { store.get(.pods, namespace: namespace, name: name)?.fullObject }

    /// Names (`namespace/name`) of the pods on a node.
    public func podNames(onNode node: String) -> [String] {
        store.all(.pods).filter { $0.object[["spec", "nodeName"]]?.stringValue == node }.map { "\($0.namespace)/\($0.name)" }
    }

    /// kubeadm version and OS family of a node.
    public func packages(of node: String) -> NodePackages? { packages[node] }

    private func checkVersion(_ version: String) throws {
        guard Validation.isVersion(version) else { throw SimulatorError(message: "\"\(version)\" is not a version like v1.33.3") }
    }

    private func updateNode(_ name: String, _ mutate: (inout JSONValue) -> Void) throws {
        do {
            try store.update(.nodes, name: name) { (object: inout JSONValue) throws(StoreError) in mutate(&object) }
        } catch {
            throw SimulatorError(message: "node \(name) not found")
        }
    }

    /// What the kubelet reports after an upgrade and restart.
    public func setKubeletVersion(_ node: String, _ version: String) throws {
        try checkVersion(version)
        try updateNode(node) { $0.set(["status", "nodeInfo", "kubeletVersion"], .string(version)) }
    }

    /// kube-proxy's version: the node's report and the image of its kube-proxy pod.
    public func setKubeProxyVersion(_ node: String, _ version: String) throws {
        try checkVersion(version)
        try updateNode(node) { $0.set(["status", "nodeInfo", "kubeProxyVersion"], .string(version)) }
        for pod in store.all(.pods) where pod.namespace == "kube-system" && pod.labels["k8s-app"] == "kube-proxy"
            && pod.object[["spec", "nodeName"]]?.stringValue == node {
            _ = try? store.update(.pods, namespace: "kube-system", name: pod.name) { (object: inout JSONValue) throws(StoreError) in
                let image = JSONValue.string("registry.k8s.io/kube-proxy:\(version)")
                if var containers = object[["spec", "containers"]]?.arrayValue, !containers.isEmpty {
                    containers[0]["image"] = image
                    object.set(["spec", "containers"], .array(containers))
                }
                if var statuses = object[["status", "containerStatuses"]]?.arrayValue, !statuses.isEmpty {
                    statuses[0]["image"] = image
                    object.set(["status", "containerStatuses"], .array(statuses))
                }
            }
        }
    }

    /// The installed kubeadm package (not visible through the API).
    public func setKubeadmVersion(_ node: String, _ version: String) throws {
        try checkVersion(version)
        guard packages[node] != nil else { throw SimulatorError(message: "node \(node) not found") }
        packages[node]?.kubeadm = version
    }

    /// Ready, or NotReady as when the kubelet stops posting status.
    public func setReady(_ node: String, _ ready: Bool) throws {
        let now = Timestamps.rfc3339(Date())
        try updateNode(node) { object in
            object.set(["status", "conditions"], .array(NodeFactory.conditions(ready: ready, heartbeat: now, transition: now)))
            var taints = (object[["spec", "taints"]]?.arrayValue ?? []).filter { $0["key"]?.stringValue != "node.kubernetes.io/unreachable" }
            if !ready {
                taints.append(.object([("key", .string("node.kubernetes.io/unreachable")), ("effect", .string("NoSchedule")), ("timeAdded", .string(now))]))
                taints.append(.object([("key", .string("node.kubernetes.io/unreachable")), ("effect", .string("NoExecute")), ("timeAdded", .string(now))]))
            }
            object.set(["spec", "taints"], taints.isEmpty ? nil : .array(taints))
        }
    }

    /// Cordon (true) or uncordon (false), as `kubectl cordon` does.
    public func setUnschedulable(_ node: String, _ value: Bool) throws {
        try updateNode(node) { $0.set(["spec", "unschedulable"], value ? .bool(true) : nil) }
    }

    /// A heartbeat: the conditions' lastHeartbeatTime and a counter annotation change, as churn does.
    public func heartbeat(_ node: String) throws {
        try heartbeat([node])
    }

    /// Heartbeats of several nodes in one store transaction (churn batches them per tick).
    public func heartbeat(_ nodes: [String]) throws {
        // What a kubelet's status heartbeat changes: each condition's lastHeartbeatTime, nothing else. Like the real
        // server, the store writes nothing (no new resourceVersion, no event) when a node's time has not moved.
        let now = JSONValue.string(Timestamps.rfc3339(Date()))
        do {
            try store.transaction { (tx: inout ObjectStoreTransaction) throws(StoreError) in
                for node in nodes {
                    try tx.update(.nodes, name: node) { (object: inout JSONValue) throws(StoreError) in
                        if var conditions = object[["status", "conditions"]]?.arrayValue {
                            for i in conditions.indices { conditions[i]["lastHeartbeatTime"] = now }
                            object.set(["status", "conditions"], .array(conditions))
                        }
                    }
                }
            }
        } catch {
            throw SimulatorError(message: "heartbeat: \(StatusError(error).message)")
        }
    }

    /// Adds a workload pod (its controller must already exist when it has an owner; it is not created here).
    public func addPod(_ spec: PodSpec) throws {
        guard let node = store.get(.nodes, name: spec.node) else { throw SimulatorError(message: "node \(spec.node) not found") }
        let ip = node.object["status"]?["addresses"]?.arrayValue?.first?["address"]?.stringValue ?? "10.0.0.1"
        let owner = spec.owner.map { o in
            PodFactory.Owner(apiVersion: "apps/v1", kind: o.kind, name: o.name,
                             uid: store.get(o.kind == "DaemonSet" ? .daemonSets : .replicaSets, namespace: spec.namespace, name: o.name)?
                                .object[["metadata", "uid"]]?.stringValue ?? random.uuid())
        }
        let object = PodFactory.pod(name: spec.name, namespace: spec.namespace, node: spec.node, hostIP: ip,
                                    podIP: "10.244.\(random.next() % 250).\(random.next() % 250 + 2)", labels: spec.labels,
                                    owner: owner, containers: [.init(name: ClusterBuilder.containerName(spec.image), image: spec.image)],
                                    emptyDir: spec.emptyDir, phase: spec.phase, created: Timestamps.rfc3339(Date()), random: &random)
        do { try store.create(.pods, object) } catch {
            throw SimulatorError(message: "cannot add pod \(spec.namespace)/\(spec.name): \(StatusError(error).message)")
        }
    }

    public func deletePod(namespace: String, name: String) throws {
        do { try store.delete(.pods, namespace: namespace, name: name) } catch {
            throw SimulatorError(message: "pod \(namespace)/\(name) not found")
        }
    }

    public func deletePDB(namespace: String, name: String) throws {
        do { try store.delete(.podDisruptionBudgets, namespace: namespace, name: name) } catch {
            throw SimulatorError(message: "poddisruptionbudget \(namespace)/\(name) not found")
        }
    }

    public func deleteNode(_ name: String) throws {
        do { try store.delete(.nodes, name: name) } catch { throw SimulatorError(message: "node \(name) not found") }
    }

    /// Forgets the watch history, so watches and continue tokens from before now get 410 Gone.
    public func compactHistory() { store.compact() }

    /// Ends every open watch connection, as an apiserver restart would.
    public func dropAllWatches() { store.endAllWatches() }

    /// How many watches are open.
    public var openWatches: Int { store.openWatchCount }
}
