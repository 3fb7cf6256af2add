import Foundation

/// Why a patch could not be applied; becomes a 400/422 Status.
public struct PatchError: Error, Sendable {
    public let message: String
}

/// The three patch types the API server accepts, and their application to a JSON object.
public enum PatchType: String, Sendable {
    case strategicMerge = "application/strategic-merge-patch+json"
    case merge = "application/merge-patch+json"
    case json = "application/json-patch+json"
    case apply = "application/apply-patch+yaml"

    /// Applies `patch` to `target`.
    public func apply(_ patch: JSONValue, to target: JSONValue) throws(PatchError) -> JSONValue {
        switch self {
        case .merge: return Patches.mergePatch(target, patch)
        case .strategicMerge, .apply: return Patches.strategicMerge(target, patch, path: [])
        case .json: return try Patches.jsonPatch(target, patch)
        }
    }
}

/// RFC 7386 merge patch, Kubernetes strategic merge patch (for the lists kubeskew and kubectl touch), RFC 6902.
enum Patches {
    /// Lists that strategic merge patch merges by a key instead of replacing (from the Kubernetes API types).
    static let mergeKeys: [String: String] = [
        "status.conditions": "type",
        "status.addresses": "type",
        "status.images": "names",
        "spec.containers": "name",
        "spec.initContainers": "name",
        "spec.volumes": "name",
        "spec.tolerations": "key",
        "spec.template.spec.containers": "name",
        "metadata.ownerReferences": "uid",
    ]

    static func mergePatch(_ target: JSONValue, _ patch: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var result: JSONValue = target.objectValue != nil ? target : .object([])
        for (key, value) in patchMembers {
            if value.isNull { result[key] = nil } else { result[key] = mergePatch(result[key] ?? .null, value) }
        }
        return result
    }

    static func strategicMerge(_ target: JSONValue, _ patch: JSONValue, path: [String]) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        if patch["$patch"]?.stringValue == "replace" {
            var replaced = patch
            replaced["$patch"] = nil
            return replaced
        }
        var result: JSONValue = target.objectValue != nil ? target : .object([])
        for (key, value) in patchMembers where !key.hasPrefix("$") {
            let childPath = path + [key]
            if value.isNull { result[key] = nil; continue }
            if case .array(let patchItems) = value, let mergeKey = mergeKeys[childPath.joined(separator: ".")],
               case .array(var items) = result[key] ?? .array([]) {
                for item in patchItems {
                    let keyValue = item[mergeKey]
                    let index = items.firstIndex(where: { keyValue != nil && $0[mergeKey] == keyValue })
                    if item["$patch"]?.stringValue == "delete" {
                        if let index { items.remove(at: index) }
                    } else if let index {
                        items[index] = strategicMerge(items[index], item, path: childPath)
                    } else {
                        items.append(item)
                    }
                }
                result[key] = .array(items)
            } else {
                result[key] = strategicMerge(result[key] ?? .null, value, path: childPath)
            }
        }
        return result
    }

    static func jsonPatch(_ target: JSONValue, _ patch: JSONValue) throws(PatchError) -> JSONValue {
        guard case .array(let operations) = patch else {
            throw PatchError(message: "json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp")
        }
        var document = target
        for operation in operations {
            guard let op = operation["op"]?.stringValue, let path = operation["path"]?.stringValue else {
                throw PatchError(message: "the server rejected our request due to an error in our request")
            }
            let pointer = try parsePointer(path)
            switch op {
            case "add": document = try add(document, pointer, try required(operation, "value"))
            case "remove": document = try remove(document, pointer).0
            case "replace":
                _ = try value(document, pointer)
                document = try add(try remove(document, pointer).0, pointer, try required(operation, "value"))
            case "move":
                let from = try parsePointer(try required(operation, "from").stringValue ?? "")
                let (without, moved) = try remove(document, from)
                document = try add(without, pointer, moved)
            case "copy":
                let from = try parsePointer(try required(operation, "from").stringValue ?? "")
                document = try add(document, pointer, try value(document, from))
            case "test":
                guard try value(document, pointer) == (try required(operation, "value")) else {
                    throw PatchError(message: "testing value \(path) failed: test failed")
                }
            default: throw PatchError(message: "Unexpected kind: \(op)")
            }
        }
        return document
    }

    private static func required(_ operation: JSONValue, _ key: String) throws(PatchError) -> JSONValue {
        guard let value = operation[key] else { throw PatchError(message: "missing value for operation") }
        return value
    }

    static func parsePointer(_ path: String) throws(PatchError) -> [String] {
        if path.isEmpty { return [] }
        guard path.hasPrefix("/") else { throw PatchError(message: "JSON pointer must be empty or start with a \"/\": \(path)") }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    static func value(_ doc: JSONValue, _ pointer: [String]) throws(PatchError) -> JSONValue {
        var current = doc
        for token in pointer {
            switch current {
            case .object: guard let next = current[token] else { throw PatchError(message: "doc is missing path: \(token)") }; current = next
            case .array(let items):
                guard let i = Int(token), items.indices.contains(i) else { throw PatchError(message: "doc is missing path: \(token)") }
                current = items[i]
            default: throw PatchError(message: "doc is missing path: \(token)")
            }
        }
        return current
    }

    static func add(_ doc: JSONValue, _ pointer: [String], _ newValue: JSONValue) throws(PatchError) -> JSONValue {
        guard let token = pointer.first else { return newValue }
        let rest = Array(pointer.dropFirst())
        switch doc {
        case .object:
            var copy = doc
            if rest.isEmpty { copy[token] = newValue; return copy }
            guard let child = doc[token] else { throw PatchError(message: "doc is missing path: \(token)") }
            copy[token] = try add(child, rest, newValue)
            return copy
        case .array(var items):
            if rest.isEmpty {
                if token == "-" { items.append(newValue); return .array(items) }
                guard let i = Int(token), i >= 0, i <= items.count else { throw PatchError(message: "add operation index out of bounds: \(token)") }
                items.insert(newValue, at: i)
                return .array(items)
            }
            guard let i = Int(token), items.indices.contains(i) else { throw PatchError(message: "doc is missing path: \(token)") }
            items[i] = try add(items[i], rest, newValue)
            return .array(items)
        default: throw PatchError(message: "doc is missing path: \(token)")
        }
    }

    static func remove(_ doc: JSONValue, _ pointer: [String]) throws(PatchError) -> (JSONValue, JSONValue) {
        guard let token = pointer.first else { throw PatchError(message: "cannot remove the whole document") }
        let rest = Array(pointer.dropFirst())
        switch doc {
        case .object:
            guard let child = doc[token] else { throw PatchError(message: "unable to remove nonexistent key: \(token): missing value") }
            var copy = doc
            if rest.isEmpty { copy[token] = nil; return (copy, child) }
            let (newChild, removed) = try remove(child, rest)
            copy[token] = newChild
            return (copy, removed)
        case .array(var items):
            guard let i = Int(token), items.indices.contains(i) else { throw PatchError(message: "remove operation index out of bounds: \(token)") }
            if rest.isEmpty { let removed = items.remove(at: i); return (.array(items), removed) }
            let (newChild, removed) = try remove(items[i], rest)
            items[i] = newChild
            return (.array(items), removed)
        default: throw PatchError(message: "doc is missing path: \(token)")
        }
    }
}
