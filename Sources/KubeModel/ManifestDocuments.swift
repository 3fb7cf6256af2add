import Yams

/// The objects named in a YAML stream of `---`-separated manifests (what `helm template` prints and Helm stores).
public enum ManifestDocuments {
    /// A document indented deeper than this, or nesting flow collections deeper than `maxFlowDepth`, is skipped:
    /// no real manifest goes that deep, and the YAML composer recurses once per level.
    static let maxIndent = 400
    static let maxFlowDepth = 100

    /// Each document's `apiVersion`, `kind`, `metadata.name` and `metadata.namespace`. Empty documents, documents
    /// that are not YAML mappings or lack apiVersion/kind are skipped; one broken document does not hide the others.
    public static func objects(in manifest: String) -> [ManifestObject] {
        documents(of: manifest).compactMap(object(in:))
    }

    static func documents(of manifest: String) -> [Substring] {
        var docs: [Substring] = []
        var start = manifest.startIndex
        var lineStart = manifest.startIndex
        while lineStart < manifest.endIndex {
            let lineEnd = manifest[lineStart...].firstIndex(of: "\n") ?? manifest.endIndex
            let line = manifest[lineStart..<lineEnd]
            // A document marker is `---` alone or followed by a blank (`--- # Source: …`).
            if line.hasPrefix("---") && (line.count == 3 || line.dropFirst(3).first == " " || line.dropFirst(3).first == "\t") {
                docs.append(manifest[start..<lineStart])
                start = lineEnd < manifest.endIndex ? manifest.index(after: lineEnd) : lineEnd
            }
            lineStart = lineEnd < manifest.endIndex ? manifest.index(after: lineEnd) : lineEnd
        }
        docs.append(manifest[start...])
        return docs
    }

    static func object(in document: Substring) -> ManifestObject? {
        guard isShallow(document), let node = try? Yams.compose(yaml: String(document)), node.mapping != nil,
              let apiVersion = node["apiVersion"]?.string, !apiVersion.isEmpty,
              let kind = node["kind"]?.string, !kind.isEmpty else { return nil }
        let metadata = node["metadata"]
        let namespace = metadata?["namespace"]?.string
        return ManifestObject(apiVersion: apiVersion, kind: kind, name: metadata?["name"]?.string ?? "",
                              namespace: namespace?.isEmpty == false ? namespace : nil)
    }

    private static func isShallow(_ document: Substring) -> Bool {
        var indent = 0, atLineStart = true, depth = 0
        for b in document.utf8 {
            switch b {
            case UInt8(ascii: "\n"): atLineStart = true; indent = 0
            case UInt8(ascii: " ") where atLineStart:
                indent += 1
                if indent > maxIndent { return false }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                // Counted even inside quoted strings: an overcount only skips a very odd document.
                atLineStart = false
                depth += 1
                if depth > maxFlowDepth { return false }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                atLineStart = false
                depth = max(0, depth - 1)
            default: atLineStart = false
            }
        }
        return true
    }
}
