/// A Kubernetes Node, reduced to what kubeskew reads.
public struct Node: Sendable, Codable, Equatable {
    public var metadata: ObjectMeta
    public var spec: NodeSpec?
    public var status: NodeStatus?

    public init(metadata: ObjectMeta, spec: NodeSpec? = nil, status: NodeStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    public var name: String { metadata.name }
    public var labels: [String: String] { metadata.labels ?? [:] }

    /// Whether `other` is this node with another resourceVersion and nothing else changed in what `Node` keeps.
    public func differsOnlyInResourceVersion(from other: Node) -> Bool {
        var same = other
        same.metadata.resourceVersion = metadata.resourceVersion
        return same == self
    }
    public var nodeInfo: NodeSystemInfo? { status?.nodeInfo }
    public var isUnschedulable: Bool { spec?.unschedulable ?? false }

    /// A control-plane node by the kubeadm labels (current and legacy).
    public var isControlPlane: Bool {
        labels.keys.contains("node-role.kubernetes.io/control-plane") || labels.keys.contains("node-role.kubernetes.io/master")
    }

    /// The roles from `node-role.kubernetes.io/<role>` labels, as kubectl prints them.
    public var roles: [String] {
        labels.keys.compactMap { k in
            k.hasPrefix("node-role.kubernetes.io/") ? String(k.dropFirst("node-role.kubernetes.io/".count)) : nil
        }.filter { !$0.isEmpty }.sorted()
    }

    /// `True`, `False` or `Unknown` from the Ready condition; nil when the node has none.
    public var readyStatus: String? { status?.conditions?.first { $0.type == "Ready" }?.status }

    public var internalIP: String? { status?.addresses?.first { $0.type == "InternalIP" }?.address }

    /// The addresses the node reports (InternalIP, ExternalIP, Hostname…), in its order.
    public var addresses: [NodeAddress] { status?.addresses ?? [] }
}

/// The fields of a node's spec kubeskew reads.
public struct NodeSpec: Sendable, Codable, Equatable {
    public var unschedulable: Bool?
    public var taints: [Taint]?
    public var providerID: String?
    public var podCIDR: String?

    public init(unschedulable: Bool? = nil, taints: [Taint]? = nil, providerID: String? = nil) {
        self.unschedulable = unschedulable
        self.taints = taints
        self.providerID = providerID
    }
}

/// A node taint.
public struct Taint: Sendable, Codable, Equatable {
    public var key: String
    public var value: String?
    public var effect: String
    public var timeAdded: String?

    public init(key: String, value: String? = nil, effect: String) {
        self.key = key
        self.value = value
        self.effect = effect
    }
}

/// The fields of a node's status kubeskew reads.
public struct NodeStatus: Sendable, Codable, Equatable {
    public var nodeInfo: NodeSystemInfo?
    public var conditions: [NodeCondition]?
    public var addresses: [NodeAddress]?

    public init(nodeInfo: NodeSystemInfo? = nil, conditions: [NodeCondition]? = nil, addresses: [NodeAddress]? = nil) {
        self.nodeInfo = nodeInfo
        self.conditions = conditions
        self.addresses = addresses
    }
}

/// `status.nodeInfo`: the versions the kubelet reports.
public struct NodeSystemInfo: Sendable, Codable, Equatable {
    public var kubeletVersion: String?
    /// Deprecated upstream (the kubelet fills it with its own version); the kube-proxy pod's image is preferred.
    public var kubeProxyVersion: String?
    public var containerRuntimeVersion: String?
    public var osImage: String?
    public var kernelVersion: String?
    public var operatingSystem: String?
    public var architecture: String?
    /// The node's `/etc/machine-id`, as the kubelet reports it.
    public var machineID: String?
    /// Changes on every boot of the node (what a probe of the node itself is valid for).
    public var bootID: String?

    public init(
        kubeletVersion: String?, kubeProxyVersion: String? = nil, containerRuntimeVersion: String? = nil,
        osImage: String? = nil, kernelVersion: String? = nil, operatingSystem: String? = "linux", architecture: String? = "amd64"
    ) {
        self.kubeletVersion = kubeletVersion
        self.kubeProxyVersion = kubeProxyVersion
        self.containerRuntimeVersion = containerRuntimeVersion
        self.osImage = osImage
        self.kernelVersion = kernelVersion
        self.operatingSystem = operatingSystem
        self.architecture = architecture
    }
}

/// A node condition (Ready, MemoryPressure, …).
public struct NodeCondition: Sendable, Codable, Equatable {
    public var type: String
    public var status: String
    public var reason: String?
    public var message: String?
    public var lastTransitionTime: String?

    public init(type: String, status: String, reason: String? = nil, message: String? = nil) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
    }
}

/// A node address (InternalIP, Hostname, …).
public struct NodeAddress: Sendable, Codable, Equatable {
    public var type: String
    public var address: String

    public init(type: String, address: String) {
        self.type = type
        self.address = address
    }
}
