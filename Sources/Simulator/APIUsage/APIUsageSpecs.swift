/// A deprecated API version clients still call, as the API servers' `apiserver_requested_deprecated_apis` gauge
/// records it (per instance: the gauge is set in the process that served the request).
public struct DeprecatedAPICallSpec: Sendable, Codable, Equatable {
    public var group: String
    public var version: String
    public var resource: String
    public var subresource: String
    /// The release that removes the version, e.g. "1.32".
    public var removedRelease: String
    /// Control-plane nodes whose kube-apiserver served the calls; nil: every instance.
    public var instances: [String]?
    /// The verb as `apiserver_request_total` records it (LIST, GET, WATCH…).
    public var verb: String
    /// How many such requests each instance counted in `apiserver_request_total`.
    public var requests: Int

    public init(group: String, version: String, resource: String, subresource: String = "", removedRelease: String,
                instances: [String]? = nil, verb: String = "LIST", requests: Int = 1) {
        self.group = group; self.version = version; self.resource = resource; self.subresource = subresource
        self.removedRelease = removedRelease; self.instances = instances; self.verb = verb; self.requests = requests
    }

    enum CodingKeys: String, CodingKey { case group, version, resource, subresource, removedRelease, instances, verb, requests }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(group: try c.decodeIfPresent(String.self, forKey: .group) ?? "",
                  version: try c.decode(String.self, forKey: .version),
                  resource: try c.decode(String.self, forKey: .resource),
                  subresource: try c.decodeIfPresent(String.self, forKey: .subresource) ?? "",
                  removedRelease: try c.decode(String.self, forKey: .removedRelease),
                  instances: try c.decodeIfPresent([String].self, forKey: .instances),
                  verb: try c.decodeIfPresent(String.self, forKey: .verb) ?? "LIST",
                  requests: try c.decodeIfPresent(Int.self, forKey: .requests) ?? 1)
    }
}

/// An object created with client-side `kubectl apply` of `manifest`: the cluster serves it at the current version,
/// and its `kubectl.kubernetes.io/last-applied-configuration` annotation keeps the manifest's own apiVersion.
public struct AppliedObjectSpec: Sendable, Codable, Equatable {
    /// One YAML document: apiVersion, kind, metadata (name, namespace), spec.
    public var manifest: String
    public init(manifest: String) { self.manifest = manifest }
}

/// A Helm 3 release, stored as Helm stores it: one Secret per kept revision.
public struct HelmReleaseSpec: Sendable, Codable, Equatable {
    public var name: String
    public var namespace: String
    /// The current revision; earlier ones (Helm keeps up to 10) are stored as superseded.
    public var revision: Int
    /// The current revision's status: deployed, failed, pending-upgrade…
    public var status: String
    public var chart: HelmChartSpec
    /// The rendered manifest: a YAML stream of `---`-separated documents, as `helm get manifest` prints it.
    public var manifest: String

    public init(name: String, namespace: String = "default", revision: Int = 1, status: String = "deployed",
                chart: HelmChartSpec, manifest: String) {
        self.name = name; self.namespace = namespace; self.revision = revision; self.status = status
        self.chart = chart; self.manifest = manifest
    }

    enum CodingKeys: String, CodingKey { case name, namespace, revision, status, chart, manifest }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name),
                  namespace: try c.decodeIfPresent(String.self, forKey: .namespace) ?? "default",
                  revision: try c.decodeIfPresent(Int.self, forKey: .revision) ?? 1,
                  status: try c.decodeIfPresent(String.self, forKey: .status) ?? "deployed",
                  chart: try c.decode(HelmChartSpec.self, forKey: .chart),
                  manifest: try c.decode(String.self, forKey: .manifest))
    }
}

/// The chart of a Helm release (its Chart.yaml metadata).
public struct HelmChartSpec: Sendable, Codable, Equatable {
    public var name: String
    public var version: String
    public var appVersion: String?
    public init(name: String, version: String, appVersion: String? = nil) {
        self.name = name; self.version = version; self.appVersion = appVersion
    }
}

/// A `Warning: 299 - "<text>"` header the API server adds to responses for a path, or for a resource or
/// group/version wherever it is requested (any namespace, list or single object).
public struct WarningSpec: Sendable, Codable, Equatable {
    /// An exact path, or a prefix ending in `/`.
    public var path: String?
    /// `v1` or `group/version`.
    public var groupVersion: String?
    /// A resource of `groupVersion` (nil: all of it).
    public var resource: String?
    public var text: String

    public init(path: String? = nil, groupVersion: String? = nil, resource: String? = nil, text: String) {
        self.path = path; self.groupVersion = groupVersion; self.resource = resource; self.text = text
    }
}
