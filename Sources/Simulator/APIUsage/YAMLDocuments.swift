import Yams

/// YAML manifests as JSON values, keeping mapping order (the order an object's fields were written in).
enum YAMLDocuments {
    struct ParseError: Error, Sendable, CustomStringConvertible {
        let description: String
    }

    /// Every non-empty document of a `---`-separated stream.
    static func parse(_ text: String) throws(ParseError) -> [JSONValue] {
        do {
            return try Yams.compose_all(yaml: text).compactMap { node in
                let value = try json(node)
                return value.isNull ? nil : value
            }
        } catch let error as ParseError {
            throw error
        } catch {
            throw ParseError(description: "not valid YAML: \(error)")
        }
    }

    static func json(_ node: Node) throws -> JSONValue {
        if let mapping = node.mapping {
            var members: [(String, JSONValue)] = []
            for (key, value) in mapping {
                guard let name = key.string else { throw ParseError(description: "a mapping key is not a string") }
                members.append((name, try json(value)))
            }
            return .object(members)
        }
        if let sequence = node.sequence { return .array(try sequence.map(json)) }
        guard node.scalar != nil else { throw ParseError(description: "unsupported YAML node (alias or anchor)") }
        switch Tag.Name(rawValue: node.tag.rawValue) {
        case .null: return .null
        case .bool: return node.bool.map(JSONValue.bool) ?? .string(node.string ?? "")
        case .int: return node.int.map(JSONValue.int) ?? .string(node.string ?? "")
        case .float: return node.float.map { .number(String($0)) } ?? .string(node.string ?? "")
        default: return .string(node.string ?? "")
        }
    }
}
