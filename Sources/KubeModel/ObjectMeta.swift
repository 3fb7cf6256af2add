/// The metadata fields of a Kubernetes object that kubeskew reads; everything else in the JSON is skipped.
public struct ObjectMeta: Sendable, Codable, Equatable {
    public var name: String
    public var namespace: String?
    public var uid: String?
    public var resourceVersion: String?
    public var creationTimestamp: String?
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public var ownerReferences: [OwnerReference]?
    /// Bumped by the server on every spec change (a PodDisruptionBudget's status says which one it has seen).
    public var generation: Int?
    /// Set when deletion has begun (eviction then deletes without looking at budgets).
    public var deletionTimestamp: String?

    public init(name: String, namespace: String? = nil, labels: [String: String]? = nil) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
    }

    enum CodingKeys: String, CodingKey {
        case name, namespace, uid, resourceVersion, creationTimestamp, labels, annotations, ownerReferences, generation, deletionTimestamp
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // A pod template's metadata (DaemonSet spec.template) has no name on a real server.
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        namespace = try c.decodeIfPresent(String.self, forKey: .namespace)
        uid = try c.decodeIfPresent(String.self, forKey: .uid)
        resourceVersion = try c.decodeIfPresent(String.self, forKey: .resourceVersion)
        creationTimestamp = try c.decodeIfPresent(String.self, forKey: .creationTimestamp)
        labels = try c.decodeIfPresent([String: String].self, forKey: .labels)
        annotations = try c.decodeIfPresent([String: String].self, forKey: .annotations)
        ownerReferences = try c.decodeIfPresent([OwnerReference].self, forKey: .ownerReferences)
        generation = try c.decodeIfPresent(Int.self, forKey: .generation)
        deletionTimestamp = try c.decodeIfPresent(String.self, forKey: .deletionTimestamp)
    }
}

/// The controller (or other owner) of an object.
public struct OwnerReference: Sendable, Codable, Equatable {
    public var apiVersion: String?
    public var kind: String
    public var name: String
    public var uid: String?
    public var controller: Bool?

    public init(kind: String, name: String, controller: Bool? = true) {
        self.kind = kind
        self.name = name
        self.controller = controller
    }
}

/// The `metadata` of a list: where a paged list continues and the version to watch from.
public struct ListMeta: Sendable, Codable, Equatable {
    public var resourceVersion: String?
    public var `continue`: String?
    public var remainingItemCount: Int?
}

/// A `*List` object (NodeList, PodList, …).
public struct KubeList<Item: Decodable & Sendable>: Decodable, Sendable {
    public var kind: String?
    public var apiVersion: String?
    public var metadata: ListMeta?
    public var items: [Item]

    public init(kind: String?, apiVersion: String?, metadata: ListMeta?, items: [Item]) {
        self.kind = kind
        self.apiVersion = apiVersion
        self.metadata = metadata
        self.items = items
    }
}
