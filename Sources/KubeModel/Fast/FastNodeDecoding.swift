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
            let (nodes, meta) = try FastListDecoding.list(raw) { r in try readNode(&r) }
            return (nodes, meta)
        }
    }

    /// A whole NodeList or List document in one pass over its bytes, items of another kind left out; nil when it is
    /// not a list (a single Node). `progress` gets the offset read so far after each item, so that the caller can
    /// release the bytes behind it. Throws on anything unexpected: `StreamingNodeDecoder` then names the problem.
    public static func document(_ raw: UnsafeRawBufferPointer, progress: (Int) -> Void = { _ in }) throws -> [Node]? {
        var r = SelectiveJSONReader(raw)
        var kind: String?
        var nodes: [Node]?
        try r.forEachMember { r, key in
            switch key {
            case "kind": kind = try r.readOptionalString()
            case "items":
                guard nodes == nil else { throw r.fail("one items array") }
                if try r.consumeNull() { return }
                var items: [Node] = []
                try r.forEachElement { r in
                    var itemKind: String?
                    let node = try readNode(&r, kind: &itemKind)
                    if itemKind == nil || itemKind == "Node" { items.append(node) }
                    progress(r.index)
                }
                nodes = items
            default: try r.skipValue()
            }
        }
        r.skipWhitespace()
        guard r.index == raw.count else { throw r.fail("the end after the document") }
        guard let nodes else { return nil }
        if let kind, kind != "NodeList", kind != "List" { throw r.fail("a NodeList or List") }
        return nodes
    }

    /// One line of a node watch when it carries a Node (ADDED, MODIFIED, DELETED); throws on anything else
    /// (BOOKMARK, ERROR, an unknown type), which JSONDecoder then reads.
    public static func watchEvent(_ raw: UnsafeRawBufferPointer) throws -> WatchEvent<Node> {
        var r = SelectiveJSONReader(raw)
        var type: String?
        var node: Node?
        try r.forEachMember { r, key in
            switch key {
            case "type": type = try r.readString()
            case "object": node = try readNode(&r)
            default: try r.skipValue()
            }
        }
        r.skipWhitespace()
        guard r.index == raw.count, let node else { throw r.fail("a watch event with a Node") }
        switch type {
        case "ADDED": return .added(node)
        case "MODIFIED": return .modified(node)
        case "DELETED": return .deleted(node)
        default: throw r.fail("ADDED, MODIFIED or DELETED")
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
            case "metadata": meta = try r.readObjectMeta()
            case "spec": spec = try r.consumeNull() ? nil : try readSpec(&r)
            case "status": status = try r.consumeNull() ? nil : try readStatus(&r)
            case "kind": kind = try r.readOptionalString()
            default: try r.skipValue()
            }
        }
        guard let meta else { throw r.fail("metadata") }
        return Node(metadata: meta, spec: spec, status: status)
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
