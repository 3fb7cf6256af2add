/// The discovery documents: legacy (`APIVersions`, `APIGroupList`, `APIGroup`, `APIResourceList`) and aggregated
/// (`apidiscovery.k8s.io/v2` `APIGroupDiscoveryList`), generated from the resources the simulator serves.
enum Discovery {
    static let aggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

    /// Whether an Accept header asks for aggregated discovery v2 (v2beta1 alone is no longer served, as in 1.36).
    static func wantsAggregated(_ accept: String) -> Bool {
        accept.split(separator: ",").contains { part in
            part.contains("as=APIGroupDiscoveryList") && part.contains("g=apidiscovery.k8s.io")
                && part.split(separator: ";").contains { $0.trimmingCharacters(in: .whitespaces) == "v=v2" }
        }
    }

    static func apiVersions(serverAddress: String) -> JSONValue {
        .object([("kind", .string("APIVersions")), ("versions", .array([.string("v1")])),
                 ("serverAddressByClientCIDRs", .array([.object([("clientCIDR", .string("0.0.0.0/0")),
                                                                  ("serverAddress", .string(serverAddress))])]))])
    }

    static var groups: [String] { ResourceType.groupVersions.map(\.group).filter { !$0.isEmpty } }

    static func apiGroup(_ group: String) -> JSONValue {
        let gv = JSONValue.object([("groupVersion", .string("\(group)/v1")), ("version", .string("v1"))])
        return .object([("name", .string(group)), ("versions", .array([gv])), ("preferredVersion", gv)])
    }

    static func apiGroupList() -> JSONValue {
        .object([("kind", .string("APIGroupList")), ("apiVersion", .string("v1")),
                 ("groups", .array(groups.map(apiGroup)))])
    }

    static func apiGroupDocument(_ group: String) -> JSONValue {
        var members = apiGroup(group).objectValue ?? []
        members.insert(("kind", .string("APIGroup")), at: 0)
        members.insert(("apiVersion", .string("v1")), at: 1)
        return .object(members)
    }

    static func resourceList(group: String, version: String) -> JSONValue? {
        guard ResourceType.groupVersions.contains(where: { $0.group == group && $0.version == version }) else { return nil }
        var resources: [JSONValue] = []
        for type in ResourceType.all where type.group == group && type.version == version {
            var entry: [(String, JSONValue)] = [("name", .string(type.plural)), ("singularName", .string(type.singular)),
                                                ("namespaced", .bool(type.namespaced)), ("kind", .string(type.kind)),
                                                ("verbs", .array(type.verbs.map { .string($0) }))]
            if !type.shortNames.isEmpty { entry.append(("shortNames", .array(type.shortNames.map { .string($0) }))) }
            resources.append(.object(entry))
            for sub in type.subresources {
                var subEntry: [(String, JSONValue)] = [("name", .string("\(type.plural)/\(sub.name)")), ("singularName", .string("")),
                                                       ("namespaced", .bool(type.namespaced))]
                if !sub.group.isEmpty { subEntry.append(("group", .string(sub.group))) }
                if !sub.version.isEmpty, !sub.group.isEmpty { subEntry.append(("version", .string(sub.version))) }
                subEntry.append(("kind", .string(sub.kind)))
                subEntry.append(("verbs", .array(sub.verbs.map { .string($0) })))
                resources.append(.object(subEntry))
            }
        }
        var members: [(String, JSONValue)] = [("kind", .string("APIResourceList"))]
        if !group.isEmpty { members.append(("apiVersion", .string("v1"))) }
        members.append(("groupVersion", .string(group.isEmpty ? version : "\(group)/\(version)")))
        members.append(("resources", .array(resources)))
        return .object(members)
    }

    static func discoveryResources(group: String, version: String) -> [JSONValue] {
        ResourceType.all.filter { $0.group == group && $0.version == version }.map { type in
            var entry: [(String, JSONValue)] = [
                ("resource", .string(type.plural)),
                ("responseKind", .object([("group", .string("")), ("version", .string("")), ("kind", .string(type.kind))])),
                ("scope", .string(type.namespaced ? "Namespaced" : "Cluster")),
                ("singularResource", .string(type.singular)),
                ("verbs", .array(type.verbs.map { .string($0) })),
            ]
            if !type.shortNames.isEmpty { entry.append(("shortNames", .array(type.shortNames.map { .string($0) }))) }
            if !type.subresources.isEmpty {
                entry.append(("subresources", .array(type.subresources.map { sub in
                    .object([("subresource", .string(sub.name)),
                             ("responseKind", .object([("group", .string(sub.group)), ("version", .string(sub.group.isEmpty ? "" : sub.version)),
                                                       ("kind", .string(sub.kind))])),
                             ("verbs", .array(sub.verbs.map { .string($0) }))])
                })))
            }
            return .object(entry)
        }
    }

    /// `/api` (core) or `/apis` (groups) as an APIGroupDiscoveryList.
    static func aggregated(core: Bool) -> JSONValue {
        let versions = ResourceType.groupVersions.filter { core ? $0.group.isEmpty : !$0.group.isEmpty }
        let items: [JSONValue] = versions.map { gv in
            .object([("metadata", gv.group.isEmpty ? .object([]) : .object([("name", .string(gv.group))])),
                     ("versions", .array([.object([("version", .string(gv.version)),
                                                   ("resources", .array(discoveryResources(group: gv.group, version: gv.version))),
                                                   ("freshness", .string("Current"))])]))])
        }
        return .object([("kind", .string("APIGroupDiscoveryList")), ("apiVersion", .string("apidiscovery.k8s.io/v2")),
                        ("metadata", .object([])), ("items", .array(items))])
    }
}
