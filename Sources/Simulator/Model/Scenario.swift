import Foundation
import Yams

/// A simulated cluster's starting state: control-plane version, nodes with their versions and package state, pods
/// and PodDisruptionBudgets. Loaded from YAML (`Assets/scenarios/`) or generated.
public struct Scenario: Sendable, Codable, Equatable {
    /// Short name shown in logs.
    public var name: String
    /// Version of the control-plane components unless a control-plane node overrides it; `/version` reports the
    /// first control-plane node's apiserver version.
    public var controlPlaneVersion: String
    /// `kubernetesVersion` in the kubeadm-config ConfigMap (defaults to `controlPlaneVersion`).
    public var kubeadmConfigVersion: String
    /// etcd image tag of the static etcd pods.
    public var etcdVersion: String
    /// Image tag of the kube-proxy DaemonSet (defaults to `kubeadmConfigVersion`; older while kubeadm waits for
    /// every control-plane instance before upgrading the addons).
    public var kubeProxyVersion: String?
    /// CoreDNS image tag (default v1.12.0, kubeadm 1.33's).
    public var coreDNSVersion: String?
    public var nodes: [NodeSpec]
    public var pods: [PodSpec]
    public var pdbs: [PDBSpec]
    /// Deprecated API versions clients call (the `/metrics` gauge).
    public var deprecatedAPICalls: [DeprecatedAPICallSpec]
    /// Objects created with `kubectl apply`, with their last-applied-configuration.
    public var appliedObjects: [AppliedObjectSpec]
    /// Helm 3 releases, stored as Secrets.
    public var helmReleases: [HelmReleaseSpec]
    /// Warning headers on responses.
    public var warnings: [WarningSpec]

    public init(name: String, controlPlaneVersion: String, kubeadmConfigVersion: String? = nil,
                etcdVersion: String = "3.5.21-0", kubeProxyVersion: String? = nil, coreDNSVersion: String? = nil,
                nodes: [NodeSpec], pods: [PodSpec] = [], pdbs: [PDBSpec] = [], deprecatedAPICalls: [DeprecatedAPICallSpec] = [],
                appliedObjects: [AppliedObjectSpec] = [], helmReleases: [HelmReleaseSpec] = [], warnings: [WarningSpec] = []) {
        self.name = name
        self.kubeProxyVersion = kubeProxyVersion
        self.coreDNSVersion = coreDNSVersion
        self.controlPlaneVersion = controlPlaneVersion
        self.kubeadmConfigVersion = kubeadmConfigVersion ?? controlPlaneVersion
        self.etcdVersion = etcdVersion
        self.nodes = nodes
        self.pods = pods
        self.pdbs = pdbs
        self.deprecatedAPICalls = deprecatedAPICalls
        self.appliedObjects = appliedObjects
        self.helmReleases = helmReleases
        self.warnings = warnings
    }

    enum CodingKeys: String, CodingKey {
        case name, controlPlaneVersion, kubeadmConfigVersion, etcdVersion, kubeProxyVersion, coreDNSVersion, nodes, pods, pdbs
        case deprecatedAPICalls, appliedObjects, helmReleases, warnings
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? "scenario"
        controlPlaneVersion = try c.decode(String.self, forKey: .controlPlaneVersion)
        kubeadmConfigVersion = try c.decodeIfPresent(String.self, forKey: .kubeadmConfigVersion) ?? controlPlaneVersion
        etcdVersion = try c.decodeIfPresent(String.self, forKey: .etcdVersion) ?? "3.5.21-0"
        kubeProxyVersion = try c.decodeIfPresent(String.self, forKey: .kubeProxyVersion)
        coreDNSVersion = try c.decodeIfPresent(String.self, forKey: .coreDNSVersion)
        nodes = try c.decode([NodeSpec].self, forKey: .nodes)
        pods = try c.decodeIfPresent([PodSpec].self, forKey: .pods) ?? []
        pdbs = try c.decodeIfPresent([PDBSpec].self, forKey: .pdbs) ?? []
        deprecatedAPICalls = try c.decodeIfPresent([DeprecatedAPICallSpec].self, forKey: .deprecatedAPICalls) ?? []
        appliedObjects = try c.decodeIfPresent([AppliedObjectSpec].self, forKey: .appliedObjects) ?? []
        helmReleases = try c.decodeIfPresent([HelmReleaseSpec].self, forKey: .helmReleases) ?? []
        warnings = try c.decodeIfPresent([WarningSpec].self, forKey: .warnings) ?? []
    }

    /// A built-in scenario: `default`, `demo`, `ha` or `removed-apis` (the files of `Assets/scenarios/`).
    public static func named(_ name: String) throws -> Scenario {
        guard let text = EmbeddedScenarios.files[name + ".yaml"] else {
            let known = EmbeddedScenarios.files.keys.map { $0.replacingOccurrences(of: ".yaml", with: "") }.sorted()
            throw ScenarioError(message: "no built-in scenario \"\(name)\"; built-in scenarios: \(known.joined(separator: ", "))")
        }
        return try parse(yaml: text, source: "built-in scenario \(name)")
    }

    /// A scenario from a YAML file.
    public static func load(file: String) throws -> Scenario {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw ScenarioError(message: "cannot read scenario file \(file): \(error.localizedDescription)")
        }
        return try parse(yaml: text, source: file)
    }

    /// Parses and validates scenario YAML.
    public static func parse(yaml: String, source: String = "scenario") throws -> Scenario {
        let scenario: Scenario
        do { scenario = try YAMLDecoder().decode(Scenario.self, from: yaml) } catch {
            throw ScenarioError(message: "\(source): not a valid scenario: \(error)")
        }
        try scenario.validate(source: source)
        return scenario
    }

    /// A name (scenario) or a path (anything with a `/` or ending in `.yaml`/`.yml`).
    public static func resolve(_ nameOrFile: String) throws -> Scenario {
        if nameOrFile.contains("/") || nameOrFile.hasSuffix(".yaml") || nameOrFile.hasSuffix(".yml") {
            return try load(file: nameOrFile)
        }
        return try named(nameOrFile)
    }

    /// Checks names and versions, so nothing malformed reaches the API objects.
    public func validate(source: String = "scenario") throws {
        func check(_ ok: Bool, _ message: String) throws { if !ok { throw ScenarioError(message: "\(source): \(message)") } }
        try check(Validation.isVersion(controlPlaneVersion), "controlPlaneVersion \"\(controlPlaneVersion)\" is not a version like v1.33.3")
        try check(Validation.isVersion(kubeadmConfigVersion), "kubeadmConfigVersion \"\(kubeadmConfigVersion)\" is not a version like v1.33.3")
        if let v = kubeProxyVersion { try check(Validation.isVersion(v), "kubeProxyVersion \"\(v)\" is not a version like v1.33.3") }
        for (field, tag) in [("etcdVersion", Optional(etcdVersion)), ("coreDNSVersion", coreDNSVersion)] + nodes.map({ ("node \($0.name): etcd", $0.etcd) }) {
            if let tag { try check(Validation.isImageTag(tag), "\(field) \"\(tag)\" is not an image tag like 3.5.21-0") }
        }
        try check(!nodes.isEmpty, "a scenario needs at least one node")
        try check(nodes.contains { $0.role == .controlPlane }, "a scenario needs at least one control-plane node")
        var seen = Set<String>()
        for node in nodes {
            try check(Validation.isDNSSubdomain(node.name), "node name \"\(node.name)\" is not a valid RFC 1123 name")
            try check(seen.insert(node.name).inserted, "node \(node.name) appears twice")
            for (field, version) in [("kubelet", node.kubelet), ("kubeProxy", node.kubeProxy), ("kubeadm", node.kubeadm)] {
                try check(Validation.isVersion(version), "node \(node.name): \(field) \"\(version)\" is not a version like v1.33.3")
            }
            if let ip = node.internalIP { try check(Validation.isIPv4(ip), "node \(node.name): internalIP \"\(ip)\" is not an IPv4 address") }
        }
        var podNames = Set<String>()
        for pod in pods {
            try check(Validation.isDNSSubdomain(pod.name) && Validation.isDNSLabel(pod.namespace), "pod \(pod.namespace)/\(pod.name): invalid name")
            try check(podNames.insert(pod.namespace + "/" + pod.name).inserted, "pod \(pod.namespace)/\(pod.name) appears twice")
            try check(seen.contains(pod.node), "pod \(pod.namespace)/\(pod.name) is on unknown node \(pod.node)")
            if let owner = pod.owner {
                try check(["ReplicaSet", "DaemonSet", "StatefulSet", "Job"].contains(owner.kind) && Validation.isDNSSubdomain(owner.name),
                          "pod \(pod.name): owner must be ReplicaSet, DaemonSet, StatefulSet or Job with a valid name")
            }
        }
        for pdb in pdbs {
            try check(Validation.isDNSSubdomain(pdb.name) && Validation.isDNSLabel(pdb.namespace), "pdb \(pdb.name): invalid name")
            try check((pdb.minAvailable == nil) != (pdb.maxUnavailable == nil), "pdb \(pdb.name): set exactly one of minAvailable and maxUnavailable")
        }
        try validateAPIUsage(source: source)
    }
}

/// A scenario that cannot be used, with the reason.
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// The role a node plays.
public enum NodeRole: String, Sendable, Codable { case controlPlane = "control-plane", worker }

/// The package family of a node's OS: decides apt vs yum for the later node-shell simulation.
public enum OSFamily: String, Sendable, Codable { case debian, rhel }

/// One node: versions, OS, conditions, scheduling state and labels.
public struct NodeSpec: Sendable, Codable, Equatable {
    public var name: String
    public var role: NodeRole
    public var kubelet: String
    /// kube-proxy version (defaults to the kubelet's).
    public var kubeProxy: String
    /// Installed kubeadm package version (defaults to the kubelet's); not visible through the API, kept for node shells.
    public var kubeadm: String
    public var os: OSFamily
    public var osImage: String
    public var kernelVersion: String
    public var containerRuntime: String
    public var ready: Bool
    public var unschedulable: Bool
    public var taints: [TaintSpec]
    public var labels: [String: String]
    public var internalIP: String?
    /// Control-plane component versions on this node (control-plane nodes only; default the cluster's).
    public var apiserver: String?
    public var controllerManager: String?
    public var scheduler: String?
    /// etcd image tag of this node's static etcd pod (control-plane nodes; default the scenario's `etcdVersion`).
    public var etcd: String?
    /// Days until this node's kubeadm certificates expire (control-plane nodes; default 320): a scenario sets a
    /// certificate near expiry with a small number.
    public var certificatesExpireInDays: Int?

    public init(name: String, role: NodeRole = .worker, kubelet: String, kubeProxy: String? = nil, kubeadm: String? = nil,
                os: OSFamily = .debian, osImage: String? = nil, kernelVersion: String? = nil,
                containerRuntime: String = "containerd://1.7.27", ready: Bool = true, unschedulable: Bool = false,
                taints: [TaintSpec] = [], labels: [String: String] = [:], internalIP: String? = nil,
                apiserver: String? = nil, controllerManager: String? = nil, scheduler: String? = nil, etcd: String? = nil,
                certificatesExpireInDays: Int? = nil) {
        self.name = name
        self.role = role
        self.kubelet = kubelet
        self.kubeProxy = kubeProxy ?? kubelet
        self.kubeadm = kubeadm ?? kubelet
        self.os = os
        self.osImage = osImage ?? (os == .debian ? "Ubuntu 22.04.5 LTS" : "Rocky Linux 9.5 (Blue Onyx)")
        self.kernelVersion = kernelVersion ?? (os == .debian ? "5.15.0-131-generic" : "5.14.0-503.14.1.el9_5.x86_64")
        self.containerRuntime = containerRuntime
        self.ready = ready
        self.unschedulable = unschedulable
        self.taints = taints
        self.labels = labels
        self.internalIP = internalIP
        self.apiserver = apiserver
        self.controllerManager = controllerManager
        self.scheduler = scheduler
        self.etcd = etcd
        self.certificatesExpireInDays = certificatesExpireInDays
    }

    enum CodingKeys: String, CodingKey {
        case name, role, kubelet, kubeProxy, kubeadm, os, osImage, kernelVersion, containerRuntime, ready, unschedulable
        case taints, labels, internalIP, apiserver, controllerManager, scheduler, etcd, certificatesExpireInDays
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let os = try c.decodeIfPresent(OSFamily.self, forKey: .os) ?? .debian
        self.init(
            name: try c.decode(String.self, forKey: .name),
            role: try c.decodeIfPresent(NodeRole.self, forKey: .role) ?? .worker,
            kubelet: try c.decode(String.self, forKey: .kubelet),
            kubeProxy: try c.decodeIfPresent(String.self, forKey: .kubeProxy),
            kubeadm: try c.decodeIfPresent(String.self, forKey: .kubeadm),
            os: os,
            osImage: try c.decodeIfPresent(String.self, forKey: .osImage),
            kernelVersion: try c.decodeIfPresent(String.self, forKey: .kernelVersion),
            containerRuntime: try c.decodeIfPresent(String.self, forKey: .containerRuntime) ?? "containerd://1.7.27",
            ready: try c.decodeIfPresent(Bool.self, forKey: .ready) ?? true,
            unschedulable: try c.decodeIfPresent(Bool.self, forKey: .unschedulable) ?? false,
            taints: try c.decodeIfPresent([TaintSpec].self, forKey: .taints) ?? [],
            labels: try c.decodeIfPresent([String: String].self, forKey: .labels) ?? [:],
            internalIP: try c.decodeIfPresent(String.self, forKey: .internalIP),
            apiserver: try c.decodeIfPresent(String.self, forKey: .apiserver),
            controllerManager: try c.decodeIfPresent(String.self, forKey: .controllerManager),
            scheduler: try c.decodeIfPresent(String.self, forKey: .scheduler),
            etcd: try c.decodeIfPresent(String.self, forKey: .etcd),
            certificatesExpireInDays: try c.decodeIfPresent(Int.self, forKey: .certificatesExpireInDays))
    }
}

/// A node taint.
public struct TaintSpec: Sendable, Codable, Equatable {
    public var key: String
    public var value: String?
    public var effect: String
    public init(key: String, value: String? = nil, effect: String) { self.key = key; self.value = value; self.effect = effect }
}

/// A workload pod on a node.
public struct PodSpec: Sendable, Codable, Equatable {
    public var name: String
    public var namespace: String
    public var node: String
    /// The controller that owns the pod; nil for a bare pod (kubectl drain then needs --force).
    public var owner: OwnerSpec?
    /// Whether the pod has an emptyDir volume (kubectl drain then needs --delete-emptydir-data).
    public var emptyDir: Bool
    public var labels: [String: String]
    public var image: String
    /// Running (default) or Pending; only Running pods count for PodDisruptionBudgets.
    public var phase: String

    public init(name: String, namespace: String = "default", node: String, owner: OwnerSpec? = nil, emptyDir: Bool = false,
                labels: [String: String] = [:], image: String = "docker.io/library/nginx:1.27", phase: String = "Running") {
        self.name = name; self.namespace = namespace; self.node = node; self.owner = owner; self.emptyDir = emptyDir
        self.labels = labels; self.image = image; self.phase = phase
    }

    enum CodingKeys: String, CodingKey { case name, namespace, node, owner, emptyDir, labels, image, phase }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name),
                  namespace: try c.decodeIfPresent(String.self, forKey: .namespace) ?? "default",
                  node: try c.decode(String.self, forKey: .node),
                  owner: try c.decodeIfPresent(OwnerSpec.self, forKey: .owner),
                  emptyDir: try c.decodeIfPresent(Bool.self, forKey: .emptyDir) ?? false,
                  labels: try c.decodeIfPresent([String: String].self, forKey: .labels) ?? [:],
                  image: try c.decodeIfPresent(String.self, forKey: .image) ?? "docker.io/library/nginx:1.27",
                  phase: try c.decodeIfPresent(String.self, forKey: .phase) ?? "Running")
    }
}

/// A pod's controller, e.g. `{kind: ReplicaSet, name: web-6d4cf56db6}`; the controller object is created too.
public struct OwnerSpec: Sendable, Codable, Equatable {
    public var kind: String
    public var name: String
    public init(kind: String, name: String) { self.kind = kind; self.name = name }
}

/// A policy/v1 PodDisruptionBudget selecting pods by labels.
public struct PDBSpec: Sendable, Codable, Equatable {
    public var name: String
    public var namespace: String
    public var selector: [String: String]
    /// An integer or a percentage such as "50%".
    public var minAvailable: String?
    public var maxUnavailable: String?

    public init(name: String, namespace: String = "default", selector: [String: String], minAvailable: String? = nil,
                maxUnavailable: String? = nil) {
        self.name = name; self.namespace = namespace; self.selector = selector
        self.minAvailable = minAvailable; self.maxUnavailable = maxUnavailable
    }

    enum CodingKeys: String, CodingKey { case name, namespace, selector, minAvailable, maxUnavailable }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func intOrString(_ key: CodingKeys) throws -> String? {
            if let i = try? c.decodeIfPresent(Int.self, forKey: key) { return String(i) }
            return try c.decodeIfPresent(String.self, forKey: key)
        }
        self.init(name: try c.decode(String.self, forKey: .name),
                  namespace: try c.decodeIfPresent(String.self, forKey: .namespace) ?? "default",
                  selector: try c.decode([String: String].self, forKey: .selector),
                  minAvailable: try intOrString(.minAvailable), maxUnavailable: try intOrString(.maxUnavailable))
    }
}

/// Strict checks on names and versions that reach API objects.
enum Validation {
    static func isVersion(_ s: String) -> Bool {
        // v1.33.3, v1.33.3-eks-abc1234, v1.30.0+k3s1: "v" major.minor.patch then an optional suffix of safe characters.
        guard s.hasPrefix("v"), s.count <= 64 else { return false }
        let body = s.dropFirst()
        let core = body.prefix { $0.isNumber || $0 == "." }
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 }) else { return false }
        let suffix = body.dropFirst(core.count)
        return suffix.isEmpty || ((suffix.first == "-" || suffix.first == "+")
            && suffix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-+.".contains($0)) })
    }

    /// `3.5.21-0`, `v1.12.0`: an image tag of safe characters.
    static func isImageTag(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 64 && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-+._".contains($0)) }
    }

    static func isDNSLabel(_ s: String) -> Bool {
        guard !s.isEmpty, s.count <= 63, let first = s.first, let last = s.last else { return false }
        let ok = s.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
        return ok && first != "-" && last != "-"
    }

    static func isDNSSubdomain(_ s: String) -> Bool {
        s.count <= 253 && !s.isEmpty && s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isDNSLabel(String($0)) }
    }

    static func isIPv4(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && (UInt8($0) != nil) }
    }
}
