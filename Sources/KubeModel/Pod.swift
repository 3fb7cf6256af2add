/// A Kubernetes Pod, reduced to what kubeskew reads (versions from images, drain blockers).
public struct Pod: Sendable, Codable, Equatable {
    public var metadata: ObjectMeta
    public var spec: PodSpec?
    public var status: PodStatus?

    public init(metadata: ObjectMeta, spec: PodSpec? = nil, status: PodStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    public var name: String { metadata.name }
    public var namespace: String { metadata.namespace ?? "default" }
    public var labels: [String: String] { metadata.labels ?? [:] }
    public var nodeName: String? { spec?.nodeName }

    /// The owner with `controller: true`, if any.
    public var controller: OwnerReference? { metadata.ownerReferences?.first { $0.controller == true } }

    /// A static pod's mirror, as the kubelet marks it.
    public var isMirror: Bool { metadata.annotations?["kubernetes.io/config.mirror"] != nil }

    public var hasEmptyDir: Bool { spec?.volumes?.contains { $0.emptyDir != nil } ?? false }

    /// The image of the container with `name`, else of the first container.
    public func image(container name: String) -> String? {
        spec?.containers.first { $0.name == name }?.image ?? spec?.containers.first?.image
    }
}

/// The fields of a pod spec kubeskew reads.
public struct PodSpec: Sendable, Codable, Equatable {
    public var nodeName: String?
    public var containers: [Container]
    public var volumes: [Volume]?

    public init(nodeName: String? = nil, containers: [Container], volumes: [Volume]? = nil) {
        self.nodeName = nodeName
        self.containers = containers
        self.volumes = volumes
    }
}

/// A container: its name and image.
public struct Container: Sendable, Codable, Equatable {
    public var name: String
    public var image: String?

    public init(name: String, image: String?) {
        self.name = name
        self.image = image
    }
}

/// A pod volume; only whether it is an emptyDir matters here.
public struct Volume: Sendable, Codable, Equatable {
    public var name: String
    public var emptyDir: EmptyDirVolumeSource?

    public init(name: String, emptyDir: EmptyDirVolumeSource? = nil) {
        self.name = name
        self.emptyDir = emptyDir
    }
}

/// An emptyDir volume source (its fields are not read).
public struct EmptyDirVolumeSource: Sendable, Codable, Equatable {
    public var medium: String?
    public init(medium: String? = nil) { self.medium = medium }
}

/// The pod's phase.
public struct PodStatus: Sendable, Codable, Equatable {
    public var phase: String?
    public init(phase: String?) { self.phase = phase }
}
