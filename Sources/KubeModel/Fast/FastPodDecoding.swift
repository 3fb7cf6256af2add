/// Decodes PodLists reading only the fields kubeskew's `Pod` keeps: a 5,000-node cluster has 5,000 kube-proxy pods,
/// and JSONDecoder spent more time on them than on the nodes. Gives the same `Pod` values as `JSONDecoder` does.
public enum FastPodDecoding {
    /// A PodList page: its items and list metadata.
    public static func list(_ raw: UnsafeRawBufferPointer) throws -> (pods: [Pod], metadata: ListMeta?) {
        let (pods, meta) = try FastListDecoding.list(raw) { r in try readPod(&r) }
        return (pods, meta)
    }

    static func readPod(_ r: inout SelectiveJSONReader) throws -> Pod {
        var meta: ObjectMeta?
        var pod = Pod(metadata: ObjectMeta(name: ""))
        try r.forEachMember { r, key in
            switch key {
            case "metadata": meta = try r.readObjectMeta()
            case "spec": pod.spec = try r.consumeNull() ? nil : try readSpec(&r)
            case "status": pod.status = try r.consumeNull() ? nil : try readStatus(&r)
            default: try r.skipValue()
            }
        }
        guard let meta else { throw r.fail("metadata") }
        pod.metadata = meta
        return pod
    }

    static func readSpec(_ r: inout SelectiveJSONReader) throws -> PodSpec {
        var nodeName: String?
        var containers: [Container]?
        var volumes: [Volume]?
        try r.forEachMember { r, key in
            switch key {
            case "nodeName": nodeName = try r.readOptionalString()
            case "containers":
                var list: [Container] = []
                try r.forEachElement { r in
                    var name: String?, image: String?
                    try r.forEachMember { r, key in
                        switch key {
                        case "name": name = try r.readString()
                        case "image": image = try r.readOptionalString()
                        default: try r.skipValue()
                        }
                    }
                    guard let name else { throw r.fail("a container's name") }
                    list.append(Container(name: name, image: image))
                }
                containers = list
            case "volumes":
                if try r.consumeNull() { volumes = nil; return }
                var list: [Volume] = []
                try r.forEachElement { r in
                    var name: String?
                    var emptyDir: EmptyDirVolumeSource?
                    try r.forEachMember { r, key in
                        switch key {
                        case "name": name = try r.readString()
                        case "emptyDir":
                            if try r.consumeNull() { emptyDir = nil; return }
                            var source = EmptyDirVolumeSource()
                            try r.forEachMember { r, key in
                                if key == "medium" { source.medium = try r.readOptionalString() } else { try r.skipValue() }
                            }
                            emptyDir = source
                        default: try r.skipValue()
                        }
                    }
                    guard let name else { throw r.fail("a volume's name") }
                    list.append(Volume(name: name, emptyDir: emptyDir))
                }
                volumes = list
            default: try r.skipValue()
            }
        }
        guard let containers else { throw r.fail("spec.containers") }
        return PodSpec(nodeName: nodeName, containers: containers, volumes: volumes)
    }

    static func readStatus(_ r: inout SelectiveJSONReader) throws -> PodStatus {
        var s = PodStatus(phase: nil)
        try r.forEachMember { r, key in
            switch key {
            case "phase": s.phase = try r.readOptionalString()
            case "reason": s.reason = try r.readOptionalString()
            case "message": s.message = try r.readOptionalString()
            case "conditions":
                if try r.consumeNull() { s.conditions = nil; return }
                var list: [PodCondition] = []
                try r.forEachElement { r in
                    var type: String?, status: String?
                    try r.forEachMember { r, key in
                        switch key {
                        case "type": type = try r.readString()
                        case "status": status = try r.readString()
                        default: try r.skipValue()
                        }
                    }
                    guard let type, let status else { throw r.fail("a condition's type and status") }
                    list.append(PodCondition(type: type, status: status))
                }
                s.conditions = list
            case "containerStatuses":
                if try r.consumeNull() { s.containerStatuses = nil; return }
                var list: [ContainerStatus] = []
                try r.forEachElement { r in list.append(try readContainerStatus(&r)) }
                s.containerStatuses = list
            default: try r.skipValue()
            }
        }
        return s
    }

    static func readContainerStatus(_ r: inout SelectiveJSONReader) throws -> ContainerStatus {
        var name: String?
        var state: ContainerStatus.ContainerState?
        try r.forEachMember { r, key in
            switch key {
            case "name": name = try r.readString()
            case "state":
                if try r.consumeNull() { state = nil; return }
                var value = ContainerStatus.ContainerState()
                try r.forEachMember { r, key in
                    switch key {
                    case "waiting": value.waiting = try r.decodeValue(ContainerStatus.Waiting?.self)
                    case "terminated": value.terminated = try r.decodeValue(ContainerStatus.Terminated?.self)
                    default: try r.skipValue()
                    }
                }
                state = value
            default: try r.skipValue()
            }
        }
        guard let name else { throw r.fail("a container status's name") }
        return ContainerStatus(name: name, state: state)
    }
}
