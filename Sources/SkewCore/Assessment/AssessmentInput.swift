/// What the assessment needs to know about one node, as raw strings from the cluster (validated here).
public struct NodeFacts: Sendable, Equatable {
    public var name: String
    public var isControlPlane: Bool
    public var kubeletVersion: String?
    public var kubeProxyVersion: String?
    /// nil until the node has been probed (`kubeadm version -o short`).
    public var kubeadmVersion: String?
    public var providerID: String?
    public var labels: [String: String]
    public var osImage: String?

    public init(
        name: String, isControlPlane: Bool = false, kubeletVersion: String?, kubeProxyVersion: String? = nil,
        kubeadmVersion: String? = nil, providerID: String? = nil, labels: [String: String] = [:], osImage: String? = nil
    ) {
        self.name = name
        self.isControlPlane = isControlPlane
        self.kubeletVersion = kubeletVersion
        self.kubeProxyVersion = kubeProxyVersion
        self.kubeadmVersion = kubeadmVersion
        self.providerID = providerID
        self.labels = labels
        self.osImage = osImage
    }
}

/// A control-plane component instance seen in the cluster (from a static pod's image tag).
public struct ComponentFacts: Sendable, Equatable {
    /// `kube-apiserver`, `kube-controller-manager`, `kube-scheduler`, `cloud-controller-manager`, `etcd`, `coredns`.
    public var name: String
    public var version: String
    /// The node it runs on, when known.
    public var node: String?

    public init(name: String, version: String, node: String? = nil) {
        self.name = name
        self.version = version
        self.node = node
    }
}

/// Everything an assessment reads: API server versions, control-plane components, nodes, and the data in force.
public struct ClusterFacts: Sendable {
    public var apiserverVersions: [String]
    public var components: [ComponentFacts]
    /// kubeadm's cluster version from the `kubeadm-config` ConfigMap, when read.
    public var kubeadmClusterVersion: String?
    public var nodes: [NodeFacts]

    public init(apiserverVersions: [String], components: [ComponentFacts] = [], kubeadmClusterVersion: String? = nil, nodes: [NodeFacts]) {
        self.apiserverVersions = apiserverVersions
        self.components = components
        self.kubeadmClusterVersion = kubeadmClusterVersion
        self.nodes = nodes
    }
}

/// The data and options an assessment is made with.
public struct AssessmentContext: Sendable {
    public var today: CalendarDate
    public var calendar: ReleaseCalendar
    public var advisories: Advisories
    /// The version to measure "behind" against and to plan to (`--target`, the dashboard's `t`).
    public var target: TargetChoice

    public init(today: CalendarDate, calendar: ReleaseCalendar = .embedded(), advisories: Advisories = .embedded(), target: TargetChoice = .intended) {
        self.today = today
        self.calendar = calendar
        self.advisories = advisories
        self.target = target
    }
}
