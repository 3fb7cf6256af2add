/// One resource type the simulator serves, with what discovery says about it.
public struct ResourceType: Sendable, Hashable {
    public let group: String
    public let version: String
    public let plural: String
    public let singular: String
    public let kind: String
    public let namespaced: Bool
    public let shortNames: [String]
    public let verbs: [String]
    /// Subresource names with the kind they return and their verbs, e.g. ("eviction", "Eviction", ["create"]).
    let subresources: [Subresource]

    struct Subresource: Sendable, Hashable {
        let name: String
        let group: String
        let version: String
        let kind: String
        let verbs: [String]
    }

    /// `v1` or `group/version`.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// The `{"kind":"…","apiVersion":"…",` prefix that turns a list item into a standalone object.
    let objectPrefix: [UInt8]

    init(group: String, version: String, plural: String, singular: String, kind: String, namespaced: Bool,
         shortNames: [String] = [], verbs: [String] = ResourceType.allVerbs, subresources: [Subresource] = []) {
        self.group = group
        self.version = version
        self.plural = plural
        self.singular = singular
        self.kind = kind
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.verbs = verbs
        self.subresources = subresources
        let apiVersion = group.isEmpty ? version : "\(group)/\(version)"
        self.objectPrefix = Array("{\"kind\":\"\(kind)\",\"apiVersion\":\"\(apiVersion)\",".utf8)
    }

    static let allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    public static let nodes = ResourceType(
        group: "", version: "v1", plural: "nodes", singular: "node", kind: "Node", namespaced: false, shortNames: ["no"],
        subresources: [.init(name: "status", group: "", version: "v1", kind: "Node", verbs: ["get", "patch", "update"])])
    public static let pods = ResourceType(
        group: "", version: "v1", plural: "pods", singular: "pod", kind: "Pod", namespaced: true, shortNames: ["po"],
        subresources: [
            .init(name: "eviction", group: "policy", version: "v1", kind: "Eviction", verbs: ["create"]),
            .init(name: "log", group: "", version: "v1", kind: "Pod", verbs: ["get"]),
            .init(name: "status", group: "", version: "v1", kind: "Pod", verbs: ["get", "patch", "update"]),
        ])
    public static let namespaces = ResourceType(
        group: "", version: "v1", plural: "namespaces", singular: "namespace", kind: "Namespace", namespaced: false,
        shortNames: ["ns"], verbs: ["create", "delete", "get", "list", "patch", "update", "watch"])
    public static let configMaps = ResourceType(
        group: "", version: "v1", plural: "configmaps", singular: "configmap", kind: "ConfigMap", namespaced: true,
        shortNames: ["cm"])
    public static let serviceAccounts = ResourceType(
        group: "", version: "v1", plural: "serviceaccounts", singular: "serviceaccount", kind: "ServiceAccount",
        namespaced: true, shortNames: ["sa"])
    public static let daemonSets = ResourceType(
        group: "apps", version: "v1", plural: "daemonsets", singular: "daemonset", kind: "DaemonSet", namespaced: true,
        shortNames: ["ds"],
        subresources: [.init(name: "status", group: "", version: "", kind: "DaemonSet", verbs: ["get", "patch", "update"])])
    public static let replicaSets = ResourceType(
        group: "apps", version: "v1", plural: "replicasets", singular: "replicaset", kind: "ReplicaSet", namespaced: true,
        shortNames: ["rs"],
        subresources: [.init(name: "status", group: "", version: "", kind: "ReplicaSet", verbs: ["get", "patch", "update"])])
    public static let podDisruptionBudgets = ResourceType(
        group: "policy", version: "v1", plural: "poddisruptionbudgets", singular: "poddisruptionbudget",
        kind: "PodDisruptionBudget", namespaced: true, shortNames: ["pdb"],
        subresources: [.init(name: "status", group: "", version: "", kind: "PodDisruptionBudget", verbs: ["get", "patch", "update"])])

    /// Secrets: Helm 3 keeps its releases in them (type helm.sh/release.v1).
    public static let secrets = ResourceType(
        group: "", version: "v1", plural: "secrets", singular: "secret", kind: "Secret", namespaced: true)
    /// Endpoints: kubeadm's `default/kubernetes` lists every API server (deprecated from v1.33 on, still served).
    public static let endpoints = ResourceType(
        group: "", version: "v1", plural: "endpoints", singular: "endpoints", kind: "Endpoints", namespaced: true,
        shortNames: ["ep"])
    public static let cronJobs = ResourceType(
        group: "batch", version: "v1", plural: "cronjobs", singular: "cronjob", kind: "CronJob", namespaced: true,
        shortNames: ["cj"],
        subresources: [.init(name: "status", group: "", version: "", kind: "CronJob", verbs: ["get", "patch", "update"])])
    public static let ingresses = ResourceType(
        group: "networking.k8s.io", version: "v1", plural: "ingresses", singular: "ingress", kind: "Ingress", namespaced: true,
        shortNames: ["ing"],
        subresources: [.init(name: "status", group: "", version: "", kind: "Ingress", verbs: ["get", "patch", "update"])])
    public static let flowSchemas = ResourceType(
        group: "flowcontrol.apiserver.k8s.io", version: "v1", plural: "flowschemas", singular: "flowschema", kind: "FlowSchema",
        namespaced: false,
        subresources: [.init(name: "status", group: "", version: "", kind: "FlowSchema", verbs: ["get", "patch", "update"])])

    /// Leases: kubelets' heartbeats (kube-node-lease), leader election, and kubeskew's hold on the nodes it works on.
    public static let leases = ResourceType(
        group: "coordination.k8s.io", version: "v1", plural: "leases", singular: "lease", kind: "Lease", namespaced: true)

    /// Every served resource, in discovery order.
    public static let all: [ResourceType] = [configMaps, endpoints, namespaces, nodes, pods, secrets, serviceAccounts, daemonSets,
                                              replicaSets, cronJobs, ingresses, podDisruptionBudgets, leases, flowSchemas]

    /// The served group-versions, core first, then in the real server's group order.
    static let groupVersions: [(group: String, version: String)] = [
        ("", "v1"), ("apps", "v1"), ("batch", "v1"), ("networking.k8s.io", "v1"), ("policy", "v1"),
        ("coordination.k8s.io", "v1"), ("flowcontrol.apiserver.k8s.io", "v1"),
    ]

    /// A DELETE answers with a `Status` naming the deleted object instead of the object itself: what the generic
    /// registry does (finalizeDelete) for types whose storage does not set ReturnDeletedObject, such as leases.
    var deleteReturnsStatus: Bool { self == .leases }

    /// The resource served at `/api/v1/<plural>` or `/apis/<group>/<version>/<plural>`.
    static func find(group: String, version: String, plural: String) -> ResourceType? {
        all.first { $0.group == group && $0.version == version && $0.plural == plural }
    }
}
