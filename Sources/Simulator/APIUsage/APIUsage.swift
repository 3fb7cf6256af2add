import HTTPTypes

/// What the API server tells about deprecated API use: the calls its `/metrics` counts and its Warning headers.
struct APIUsage: Sendable {
    var deprecatedAPICalls: [DeprecatedAPICallSpec] = []
    var warnings: [WarningSpec] = []

    init(deprecatedAPICalls: [DeprecatedAPICallSpec] = [], warnings: [WarningSpec] = []) {
        self.deprecatedAPICalls = deprecatedAPICalls
        self.warnings = warnings
    }

    init(_ scenario: Scenario) { self.init(deprecatedAPICalls: scenario.deprecatedAPICalls, warnings: scenario.warnings) }

    /// The warnings for a request path, in the scenario's order, each once.
    func warnings(for path: String) -> [String] {
        let components = path.split(separator: "/").map(String.init)
        var groupVersion: String?, resource: String?
        if components.first == "api", components.count >= 2 {
            groupVersion = components[1]
            resource = APIUsage.resource(after: components.dropFirst(2))
        } else if components.first == "apis", components.count >= 3 {
            groupVersion = components[1] + "/" + components[2]
            resource = APIUsage.resource(after: components.dropFirst(3))
        }
        var texts: [String] = []
        for warning in warnings {
            var matches = false
            if let prefix = warning.path {
                matches = prefix.hasSuffix("/") ? path.hasPrefix(prefix) : path == prefix
            } else if let wanted = warning.groupVersion, wanted == groupVersion {
                matches = warning.resource == nil || warning.resource == resource
            }
            if matches, !texts.contains(warning.text) { texts.append(warning.text) }
        }
        return texts
    }

    /// `pods` of `[namespaces, ns, pods, …]` or `[pods, …]`; `namespaces` itself when that is the resource.
    static func resource(after rest: ArraySlice<String>) -> String? {
        guard let first = rest.first else { return nil }
        if first == "namespaces", rest.count >= 3 { return rest[rest.startIndex + 2] }
        return first
    }

    /// `299 - "<text>"`: code 299, agent `-`, the text quoted with `"` and `\` escaped (k8s.io/apimachinery
    /// pkg/util/net NewWarningHeader).
    static func headerValue(_ text: String) -> String {
        var quoted = "\""
        for character in text {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return "299 - " + quoted + "\""
    }

    static let warningHeader = HTTPField.Name("Warning")!
}
