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

    /// The ConfigMaps of a ConfigMapList (or a List, or one ConfigMap): `kubectl get cm kubeadm-config -o json`.
    public static func decodeConfigMaps(_ data: Data) throws -> [ConfigMap] {
        let doc: Envelope<ConfigMap>
        do { doc = try JSONDecoder().decode(Envelope<ConfigMap>.self, from: data) } catch {
            throw DocumentError(problem: DataFileError.describe(error))
        }
        return try doc.objects(expectedKind: "ConfigMap")
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

/// Decodes the nodes of a NodeList or List one item at a time as its bytes arrive (see `ListItemScanner`).
public struct StreamingNodeDecoder {
    private var scanner = ListItemScanner()
    public private(set) var nodes: [Node] = []

    public init() {}

    /// Feeds the next bytes of the document.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws {
        let copy = Array(bytes)
        try copy.withUnsafeBytes { try feed($0) }
    }

    /// Feeds the next bytes of the document, read in place.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) throws {
        var decoded: [Node] = []
        do {
            try scanner.feed(bytes) { item, index in
                do {
                    // The selective decoder skips images and managedFields unparsed (the bulk of a Node). When it
                    // refuses an item, JSONDecoder reads that one item again to name the field at fault.
                    if let node = try? FastNodeDecoding.listItem(item) {
                        decoded.append(node)
                        return
                    }
                    let entry = try JSONDecoder().decode(NodesDocument.Envelope<Node>.Item.self, from: Data(item))
                    if entry.kind == nil || entry.kind == "Node" { decoded.append(entry.object) }
                } catch {
                    let problem = DataFileError.describe(error)
                    throw DocumentError(problem: problem.hasPrefix("the top level") || problem.hasPrefix("not valid JSON")
                        ? "items[\(index)]: \(problem)" : "items[\(index)].\(problem)")
                }
            }
        } catch let e as ListItemScanner.ScanError {
            nodes += decoded
            throw Self.document(e)
        }
        nodes += decoded
    }

    /// Ends the document. Returns nil when it is not a list (a single Node, say): decode it whole instead.
    public func finish() throws -> [Node]? {
        let summary: ListItemScanner.Summary
        do { summary = try scanner.finish() } catch let e as ListItemScanner.ScanError { throw Self.document(e) }
        guard summary.sawItems else { return nil }
        if let kind = summary.kind, kind != "NodeList", kind != "List" {
            throw DocumentError(problem: "kind is \(kind), expected NodeList, List or Node")
        }
        return nodes
    }

    static func document(_ e: ListItemScanner.ScanError) -> DocumentError {
        switch e {
        case .notAnObject: return DocumentError(problem: "not valid JSON for nodes (expected a NodeList, List or Node object)")
        case .truncated: return DocumentError(problem: "not valid JSON (the document ends early: truncated?)")
        case .itemNotAnObject(let i): return DocumentError(problem: "items[\(i)] is not an object")
        }
    }
}
