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

/// The pod's phase and its containers' states.
public struct PodStatus: Sendable, Codable, Equatable {
    public var phase: String?
    public var containerStatuses: [ContainerStatus]?
    /// `Ready`, `ContainersReady`, …: eviction reads `Ready`.
    public var conditions: [PodCondition]?
    /// Why the kubelet failed the pod as a whole (`OutOfcpu`, `NodeAffinity`, `Evicted`), with its words.
    public var reason: String?
    public var message: String?

    public init(phase: String?, containerStatuses: [ContainerStatus]? = nil, conditions: [PodCondition]? = nil,
                reason: String? = nil, message: String? = nil) {
        self.phase = phase
        self.containerStatuses = containerStatuses
        self.conditions = conditions
        self.reason = reason
        self.message = message
    }
}

/// One of a pod's conditions (`type` `Ready`, `status` `True`/`False`/`Unknown`).
public struct PodCondition: Sendable, Codable, Equatable {
    public var type: String
    public var status: String

    public init(type: String, status: String) {
        self.type = type
        self.status = status
    }
}

/// A container's state: waiting (with why), running, or terminated (with its exit code).
public struct ContainerStatus: Sendable, Codable, Equatable {
    public var name: String
    public var state: ContainerState?

    /// The state's parts; exactly one is set on a real server.
    public struct ContainerState: Sendable, Codable, Equatable {
        public var waiting: Waiting?
        public var terminated: Terminated?
    }

    /// Why a container has not started (`ErrImagePull`, `CreateContainerConfigError`, …).
    public struct Waiting: Sendable, Codable, Equatable {
        public var reason: String?
        public var message: String?
    }

    /// How a container ended.
    public struct Terminated: Sendable, Codable, Equatable {
        public var exitCode: Int32
        public var reason: String?
    }
}
