/// kubeadm's structured printers: JSON indented by four spaces in field order (Go's MarshalIndent), YAML with
/// sorted keys (sigs.k8s.io/yaml).
enum KubeadmOutput {
    static func json(_ value: JSONValue, indent: String = "") -> String {
        let inner = indent + "    "
        switch value {
        case .object(let members) where !members.isEmpty:
            return "{\n" + members.map { inner + JSONWriter.string(.string($0.0)) + ": " + json($0.1, indent: inner) }
                .joined(separator: ",\n") + "\n\(indent)}"
        case .array(let items) where !items.isEmpty:
            return "[\n" + items.map { inner + json($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        default:
            return JSONWriter.string(value)
        }
    }

    static func yaml(_ value: JSONValue, indent: String = "") -> String {
        switch value {
        case .object(let members):
            return members.sorted { $0.0 < $1.0 }.map { key, v in
                switch v {
                case .object(let m) where !m.isEmpty: return indent + key + ":\n" + yaml(v, indent: indent + "  ")
                case .array(let a) where !a.isEmpty: return indent + key + ":\n" + yaml(v, indent: indent)
                default: return indent + key + ": " + scalar(v)
                }
            }.joined(separator: "\n")
        case .array(let items):
            return items.map { item in
                let body = yaml(item, indent: indent + "  ")
                return indent + "- " + body.dropFirst(indent.count + 2)
            }.joined(separator: "\n")
        default:
            return indent + scalar(value)
        }
    }

    private static func scalar(_ v: JSONValue) -> String {
        if case .string(let s) = v { return s }
        return JSONWriter.string(v)
    }
}
