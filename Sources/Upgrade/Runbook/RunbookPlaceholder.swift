/// The placeholders a runbook may use; anything else in braces is an error when the runbook loads.
enum RunbookPlaceholder {
    /// Replaced inside an argv element or a name.
    static let scalars: Set<String> = ["node", "version", "package", "minor"]
    /// Must be a whole argv element; it expands to zero or more elements.
    static let lists: Set<String> = ["drainFlags", "kubectlFlags"]

    /// The `{name}` placeholders in a template string, in order.
    static func names(in text: String) -> [String] {
        var names: [String] = []
        var rest = text[...]
        while let open = rest.firstIndex(of: "{") {
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "}") else { break }
            names.append(String(rest[afterOpen..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// The list placeholder an element consists of, if it is exactly one.
    static func listName(of element: String) -> String? {
        guard element.hasPrefix("{"), element.hasSuffix("}"), element.count > 2 else { return nil }
        let name = String(element.dropFirst().dropLast())
        return lists.contains(name) ? name : nil
    }
}
