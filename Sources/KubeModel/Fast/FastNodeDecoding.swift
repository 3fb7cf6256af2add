import Foundation

/// Decodes Nodes and NodeLists reading only the fields kubeskew's `Node` keeps, skipping the rest (images,
/// managedFields, capacity, …) without parsing it. Gives the same `Node` values as `JSONDecoder` does.
public enum FastNodeDecoding {
    /// One Node object.
    public static func node(_ bytes: some ContiguousBytes) throws -> Node {
        try bytes.withUnsafeBytes { raw in
            var r = SelectiveJSONReader(raw)
            let node = try readNode(&r)
            r.skipWhitespace()
            guard r.index == raw.count else { throw r.fail("the end after the object") }
            return node
        }
    }

    /// One item of a `List`: the Node, or nil when the item is of another kind.
    public static func listItem(_ bytes: some ContiguousBytes) throws -> Node? {
        try bytes.withUnsafeBytes { raw in
            var r = SelectiveJSONReader(raw)
            var kind: String?
            let node = try readNode(&r, kind: &kind)
            return kind == nil || kind == "Node" ? node : nil
        }
    }

    /// A NodeList page: its items and list metadata (`resourceVersion`, `continue`).
    public static func list(_ bytes: some ContiguousBytes) throws -> (nodes: [Node], metadata: ListMeta?) {
        try bytes.withUnsafeBytes { raw in
            var r = SelectiveJSONReader(raw)
            var nodes: [Node] = []
            var meta: ListMeta?
            try r.forEachMember { r, key in
                switch key {
                case "items":
                    if try r.consumeNull() { return }
                    try r.forEachElement { r in nodes.append(try readNode(&r)) }
                case "metadata":
                    var m = ListMeta()
                    try r.forEachMember { r, key in
                        switch key {
                        case "resourceVersion": m.resourceVersion = try r.readOptionalString()
                        case "continue": m.continue = try r.readOptionalString()
                        default: try r.skipValue()
                        }
                    }
                    meta = m
                default:
                    try r.skipValue()
                }
            }
            return (nodes, meta)
        }
    }

    static func readNode(_ r: inout SelectiveJSONReader) throws -> Node {
        var kind: String?
        return try readNode(&r, kind: &kind)
    }

    static func readNode(_ r: inout SelectiveJSONReader, kind: inout String?) throws -> Node {
        var meta: ObjectMeta?
        var spec: NodeSpec?
        var status: NodeStatus?
        try r.forEachMember { r, key in
            switch key {
            case "metadata": meta = try readMeta(&r)
            case "spec": spec = try r.consumeNull() ? nil : try readSpec(&r)
            case "status": status = try r.consumeNull() ? nil : try readStatus(&r)
            case "kind": kind = try r.readOptionalString()
            default: try r.skipValue()
            }
        }
        guard let meta else { throw DecodingError.keyNotFound(NodeKey.metadata, .init(codingPath: [], debugDescription: "metadata is missing")) }
        return Node(metadata: meta, spec: spec, status: status)
    }

    enum NodeKey: String, CodingKey { case metadata, name }

    static func readMeta(_ r: inout SelectiveJSONReader) throws -> ObjectMeta {
        var name: String?
        var m = ObjectMeta(name: "")
        try r.forEachMember { r, key in
            switch key {
            case "name": name = try r.readOptionalString()
            case "namespace": m.namespace = try r.readOptionalString()
            case "uid": m.uid = try r.readOptionalString()
            case "resourceVersion": m.resourceVersion = try r.readOptionalString()
            case "creationTimestamp": m.creationTimestamp = try r.readOptionalString()
            case "labels": m.labels = try r.readStringMap()
            case "annotations": m.annotations = try r.readStringMap()
            // Rare on a Node, but a node being deleted says so: what JSONDecoder reads, this reads (found by fuzzing).
            case "deletionTimestamp": m.deletionTimestamp = try r.readOptionalString()
            case "generation": m.generation = try r.decodeValue(Int?.self)
            case "ownerReferences": m.ownerReferences = try r.decodeValue([OwnerReference]?.self)
            default: try r.skipValue()
            }
        }
        guard let name else { throw DecodingError.keyNotFound(NodeKey.name, .init(codingPath: [NodeKey.metadata], debugDescription: "metadata.name is missing")) }
        m.name = name
        return m
    }

    static func readSpec(_ r: inout SelectiveJSONReader) throws -> NodeSpec {
        var s = NodeSpec()
        try r.forEachMember { r, key in
            switch key {
            case "unschedulable": s.unschedulable = try r.readBool()
            case "providerID": s.providerID = try r.readOptionalString()
            case "podCIDR": s.podCIDR = try r.readOptionalString()
            case "taints":
                if try r.consumeNull() { return }
                var taints: [Taint] = []
                try r.forEachElement { r in
                    var key = "", value: String?, effect = "", added: String?
                    try r.forEachMember { r, k in
                        switch k {
                        case "key": key = try r.readString()
                        case "value": value = try r.readOptionalString()
                        case "effect": effect = try r.readString()
                        case "timeAdded": added = try r.readOptionalString()
                        default: try r.skipValue()
                        }
                    }
                    var t = Taint(key: key, value: value, effect: effect)
                    t.timeAdded = added
                    taints.append(t)
                }
                s.taints = taints
            default: try r.skipValue()
            }
        }
        return s
    }

    static func readStatus(_ r: inout SelectiveJSONReader) throws -> NodeStatus {
        var s = NodeStatus()
        try r.forEachMember { r, key in
            switch key {
            case "nodeInfo":
                if try r.consumeNull() { return }
                var info = NodeSystemInfo(kubeletVersion: nil, operatingSystem: nil, architecture: nil)
                try r.forEachMember { r, k in
                    switch k {
                    case "kubeletVersion": info.kubeletVersion = try r.readOptionalString()
                    case "kubeProxyVersion": info.kubeProxyVersion = try r.readOptionalString()
                    case "containerRuntimeVersion": info.containerRuntimeVersion = try r.readOptionalString()
                    case "osImage": info.osImage = try r.readOptionalString()
                    case "kernelVersion": info.kernelVersion = try r.readOptionalString()
                    case "operatingSystem": info.operatingSystem = try r.readOptionalString()
                    case "architecture": info.architecture = try r.readOptionalString()
                    case "machineID": info.machineID = try r.readOptionalString()
                    case "bootID": info.bootID = try r.readOptionalString()
                    default: try r.skipValue()
                    }
                }
                s.nodeInfo = info
            case "conditions":
                if try r.consumeNull() { return }
                var conditions: [NodeCondition] = []
                try r.forEachElement { r in
                    var c = NodeCondition(type: "", status: "")
                    try r.forEachMember { r, k in
                        switch k {
                        case "type": c.type = try r.readString()
                        case "status": c.status = try r.readString()
                        case "reason": c.reason = try r.readOptionalString()
                        case "message": c.message = try r.readOptionalString()
                        case "lastTransitionTime": c.lastTransitionTime = try r.readOptionalString()
                        default: try r.skipValue()
                        }
                    }
                    conditions.append(c)
                }
                s.conditions = conditions
            case "addresses":
                if try r.consumeNull() { return }
                var addresses: [NodeAddress] = []
                try r.forEachElement { r in
                    var a = NodeAddress(type: "", address: "")
                    try r.forEachMember { r, k in
                        switch k {
                        case "type": a.type = try r.readString()
                        case "address": a.address = try r.readString()
                        default: try r.skipValue()
                        }
                    }
                    addresses.append(a)
                }
                s.addresses = addresses
            default: try r.skipValue()
            }
        }
        return s
    }
}
