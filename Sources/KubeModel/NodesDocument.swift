import Foundation
import SkewCore

/// What `kubectl get nodes -o json` writes: a NodeList, a single Node, or a `List` of Nodes — decoded in one pass.
public enum NodesDocument {
    /// The nodes in `data`; throws `DocumentError` naming the field and the problem.
    public static func decodeNodes(_ data: Data) throws -> [Node] {
        let doc: Envelope<Node>
        do { doc = try JSONDecoder().decode(Envelope<Node>.self, from: data) } catch {
            throw DocumentError(problem: DataFileError.describe(error))
        }
        return try doc.objects(expectedKind: "Node")
    }

    /// The pods of a PodList (or a List of Pods, or one Pod).
    public static func decodePods(_ data: Data) throws -> [Pod] {
        let doc: Envelope<Pod>
        do { doc = try JSONDecoder().decode(Envelope<Pod>.self, from: data) } catch {
            throw DocumentError(problem: DataFileError.describe(error))
        }
        return try doc.objects(expectedKind: "Pod")
    }

    /// The DaemonSets of a DaemonSetList.
    public static func decodeDaemonSets(_ data: Data) throws -> [DaemonSet] {
        let doc: Envelope<DaemonSet>
        do { doc = try JSONDecoder().decode(Envelope<DaemonSet>.self, from: data) } catch {
            throw DocumentError(problem: DataFileError.describe(error))
        }
        return try doc.objects(expectedKind: "DaemonSet")
    }

    /// A list or a single object, told apart by `kind`; an item of another kind in a `List` is skipped.
    struct Envelope<Object: Decodable & Sendable>: Decodable {
        let kind: String?
        let items: [Item]?
        let single: Object?

        struct Item: Decodable {
            let kind: String?
            let object: Object
            init(from decoder: any Decoder) throws {
                kind = try decoder.container(keyedBy: KindKey.self).decodeIfPresent(String.self, forKey: .kind)
                object = try Object(from: decoder)
            }
        }

        enum KindKey: String, CodingKey { case kind }
        enum Keys: String, CodingKey { case kind, items, metadata }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            kind = try c.decodeIfPresent(String.self, forKey: .kind)
            if kind?.hasSuffix("List") == true || (kind == nil && c.contains(.items)) {
                items = try c.decode([Item].self, forKey: .items)
                single = nil
            } else {
                items = nil
                single = try Object(from: decoder)
            }
        }

        func objects(expectedKind: String) throws -> [Object] {
            if let items {
                if kind == "List" { return items.filter { $0.kind == nil || $0.kind == expectedKind }.map(\.object) }
                if let kind, kind != expectedKind + "List" {
                    throw DocumentError(problem: "kind is \(kind), expected \(expectedKind)List, List or \(expectedKind)")
                }
                return items.map(\.object)
            }
            if let kind, kind != expectedKind {
                throw DocumentError(problem: "kind is \(kind), expected \(expectedKind)List, List or \(expectedKind)")
            }
            guard let single else { throw DocumentError(problem: "no \(expectedKind) in the document") }
            return [single]
        }
    }
}

/// A document that is not what it should be; the caller adds the file name.
public struct DocumentError: Error, Sendable, CustomStringConvertible {
    public let problem: String
    public var description: String { problem }
}
