/// A label selector, from a `labelSelector` query string (`app=web,tier!=db,env in (a,b),!legacy,gpu`) or from a
/// `LabelSelector` JSON object (matchLabels + matchExpressions).
struct LabelSelector: Sendable {
    enum Requirement: Sendable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)
    }

    var requirements: [Requirement] = []

    init(requirements: [Requirement]) { self.requirements = requirements }

    init(json: JSONValue) {
        for (key, value) in (json["matchLabels"]?.objectValue ?? []) {
            requirements.append(.equals(key, value.stringValue ?? ""))
        }
        for expression in json["matchExpressions"]?.arrayValue ?? [] {
            let key = expression["key"]?.stringValue ?? ""
            let values = Set((expression["values"]?.arrayValue ?? []).compactMap(\.stringValue))
            switch expression["operator"]?.stringValue {
            case "In": requirements.append(.isIn(key, values))
            case "NotIn": requirements.append(.notIn(key, values))
            case "Exists": requirements.append(.exists(key))
            case "DoesNotExist": requirements.append(.doesNotExist(key))
            default: requirements.append(.isIn(key, []))
            }
        }
    }

    /// Parses the query form; nil when malformed.
    static func parse(_ text: String) -> LabelSelector? {
        var requirements: [Requirement] = []
        for term in splitTerms(text) {
            let t = term.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            if let range = t.range(of: " notin ") ?? t.range(of: " in ") {
                let key = t[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                let rest = t[range.upperBound...].trimmingCharacters(in: .whitespaces)
                guard rest.hasPrefix("("), rest.hasSuffix(")") else { return nil }
                let values = Set(rest.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                requirements.append(t[range].contains("notin") ? .notIn(key, values) : .isIn(key, values))
            } else if let range = t.range(of: "!=") {
                requirements.append(.notEquals(String(t[..<range.lowerBound]).trimmingCharacters(in: .whitespaces),
                                               String(t[range.upperBound...]).trimmingCharacters(in: .whitespaces)))
            } else if let range = t.range(of: "==") ?? t.range(of: "=") {
                requirements.append(.equals(String(t[..<range.lowerBound]).trimmingCharacters(in: .whitespaces),
                                            String(t[range.upperBound...]).trimmingCharacters(in: .whitespaces)))
            } else if t.hasPrefix("!") {
                requirements.append(.doesNotExist(String(t.dropFirst())))
            } else {
                requirements.append(.exists(t))
            }
        }
        return LabelSelector(requirements: requirements)
    }

    /// Splits on commas outside parentheses.
    private static func splitTerms(_ text: String) -> [String] {
        var terms: [String] = []
        var current = ""
        var depth = 0
        for c in text {
            if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
            if c == ",", depth == 0 { terms.append(current); current = "" } else { current.append(c) }
        }
        terms.append(current)
        return terms
    }

    func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case let .equals(k, v): return labels[k] == v
            case let .notEquals(k, v): return labels[k] != v
            case let .isIn(k, vs): return labels[k].map(vs.contains) ?? false
            case let .notIn(k, vs): return labels[k].map { !vs.contains($0) } ?? true
            case let .exists(k): return labels[k] != nil
            case let .doesNotExist(k): return labels[k] == nil
            }
        }
    }
}

/// A field selector (`spec.nodeName=node01,metadata.name!=x`), restricted to the fields the real server supports
/// for each resource.
struct FieldSelector: Sendable {
    struct Term: Sendable { let path: [String]; let field: String; let value: String; let negated: Bool }
    let terms: [Term]

    /// Fields each resource supports in field selectors (besides metadata.name / metadata.namespace).
    static let supported: [String: [String: [String]]] = [
        "pods": ["spec.nodeName": ["spec", "nodeName"], "status.phase": ["status", "phase"],
                 "spec.restartPolicy": ["spec", "restartPolicy"], "spec.schedulerName": ["spec", "schedulerName"],
                 "spec.serviceAccountName": ["spec", "serviceAccountName"], "status.podIP": ["status", "podIP"],
                 "status.nominatedNodeName": ["status", "nominatedNodeName"], "spec.hostNetwork": ["spec", "hostNetwork"]],
        "nodes": ["spec.unschedulable": ["spec", "unschedulable"]],
        // Helm lists its release Secrets with type=helm.sh/release.v1.
        "secrets": ["type": ["type"]],
    ]

    /// Parses; the error is the server's message for an unsupported field.
    static func parse(_ text: String, resource: String) -> Result<FieldSelector, StatusError> {
        var terms: [Term] = []
        for raw in text.split(separator: ",") {
            let term = String(raw)
            let negated = term.contains("!=")
            let separator = negated ? "!=" : (term.contains("==") ? "==" : "=")
            guard let range = term.range(of: separator) else {
                return .failure(.badRequest("invalid selector: '\(text)'; can't understand '\(term)'"))
            }
            let field = String(term[..<range.lowerBound])
            let value = String(term[range.upperBound...])
            let path: [String]
            switch field {
            case "metadata.name": path = ["metadata", "name"]
            case "metadata.namespace": path = ["metadata", "namespace"]
            default:
                guard let known = supported[resource]?[field] else {
                    return .failure(.badRequest("field label not supported: \(field)"))
                }
                path = known
            }
            terms.append(Term(path: path, field: field, value: value, negated: negated))
        }
        return .success(FieldSelector(terms: terms))
    }

    func matches(_ object: JSONValue) -> Bool {
        terms.allSatisfy { term in
            let actual: String
            switch object[term.path] {
            case .string(let s)?: actual = s
            case .bool(let b)?: actual = b ? "true" : "false"
            case .number(let n)?: actual = n
            default: actual = term.field == "spec.unschedulable" || term.field == "spec.hostNetwork" ? "false" : ""
            }
            return (actual == term.value) != term.negated
        }
    }

    /// The node name when the selector pins `spec.nodeName`, for a fast path.
    var nodeName: String? { terms.first { $0.field == "spec.nodeName" && !$0.negated }?.value }
}

import Foundation
