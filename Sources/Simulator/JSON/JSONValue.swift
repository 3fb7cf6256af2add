import Foundation

/// A JSON document that keeps object keys in insertion order, so objects serialize in the field order the real
/// API server writes (Go struct order), and numbers keep their exact text.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's literal text, e.g. `10250` or `0.5`, so integers round-trip exactly.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b || Double(a) == Double(b)
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            guard a.count == b.count else { return false }
            for (key, value) in a {
                guard let other = b.first(where: { $0.0 == key }), other.1 == value else { return false }
            }
            return true
        default: return false
        }
    }

    /// An integer as a JSON number.
    public static func int(_ value: Int) -> JSONValue { .number(String(value)) }

    /// The member `key` of an object, or nil.
    public subscript(key: String) -> JSONValue? {
        get {
            guard case .object(let members) = self else { return nil }
            return members.first(where: { $0.0 == key })?.1
        }
        set {
            guard case .object(var members) = self else { return }
            if let index = members.firstIndex(where: { $0.0 == key }) {
                if let newValue { members[index].1 = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append((key, newValue))
            }
            self = .object(members)
        }
    }

    /// The value at a path of object keys, or nil.
    public subscript(path: [String]) -> JSONValue? {
        var current: JSONValue? = self
        for key in path { current = current?[key] }
        return current
    }

    /// Sets the value at a path of object keys, creating intermediate objects.
    public mutating func set(_ path: [String], _ value: JSONValue?) {
        guard let first = path.first else { if let value { self = value }; return }
        if path.count == 1 { self[first] = value; return }
        var child = self[first] ?? .object([])
        if case .object = child {} else { child = .object([]) }
        child.set(Array(path.dropFirst()), value)
        self[first] = child
    }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var intValue: Int? {
        if case .number(let n) = self { return Int(n) ?? Double(n).flatMap { Int(exactly: $0) } }
        return nil
    }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: [(String, JSONValue)]? { if case .object(let o) = self { return o } else { return nil } }
    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// A string-to-string map such as labels or annotations; non-string members are skipped.
    public var stringMap: [String: String] {
        var result: [String: String] = [:]
        for (key, value) in objectValue ?? [] { if let s = value.stringValue { result[key] = s } }
        return result
    }

    /// Builds an object whose keys are sorted, as Go's encoder writes maps.
    public static func sortedMap(_ map: [String: String]) -> JSONValue {
        .object(map.keys.sorted().map { ($0, .string(map[$0] ?? "")) })
    }
}
