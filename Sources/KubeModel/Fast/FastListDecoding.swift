/// The envelope of a list page (`items` and the list's `metadata`), with each item read by the caller's reader.
enum FastListDecoding {
    static func list<Item>(
        _ raw: UnsafeRawBufferPointer, item: (inout SelectiveJSONReader) throws -> Item
    ) throws -> (items: [Item], metadata: ListMeta?) {
        var r = SelectiveJSONReader(raw)
        var items: [Item] = []
        var meta: ListMeta?
        try r.forEachMember { r, key in
            switch key {
            case "items":
                if try r.consumeNull() { return }
                try r.forEachElement { r in items.append(try item(&r)) }
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
        r.skipWhitespace()
        guard r.index == raw.count else { throw r.fail("the end after the list") }
        return (items, meta)
    }
}

extension SelectiveJSONReader {
    /// An object's `metadata`, the fields `ObjectMeta` keeps; `metadata.name` is required (a listed object has one).
    mutating func readObjectMeta() throws -> ObjectMeta {
        var name: String?
        var m = ObjectMeta(name: "")
        try forEachMember { r, key in
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
            case "ownerReferences": m.ownerReferences = try r.readOwnerReferences()
            default: try r.skipValue()
            }
        }
        guard let name else { throw fail("metadata.name") }
        m.name = name
        return m
    }

    /// `ownerReferences`: every pod of a DaemonSet has one, so it is read here rather than by JSONDecoder.
    mutating func readOwnerReferences() throws -> [OwnerReference]? {
        if try consumeNull() { return nil }
        var owners: [OwnerReference] = []
        try forEachElement { r in
            var kind: String?, name: String?
            var owner = OwnerReference(kind: "", name: "", controller: nil)
            try r.forEachMember { r, key in
                switch key {
                case "apiVersion": owner.apiVersion = try r.readOptionalString()
                case "kind": kind = try r.readString()
                case "name": name = try r.readString()
                case "uid": owner.uid = try r.readOptionalString()
                case "controller": owner.controller = try r.readBool()
                default: try r.skipValue()
                }
            }
            guard let kind, let name else { throw r.fail("an owner reference's kind and name") }
            owner.kind = kind
            owner.name = name
            owners.append(owner)
        }
        return owners
    }
}
