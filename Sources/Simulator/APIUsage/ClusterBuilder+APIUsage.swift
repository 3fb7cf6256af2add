import Foundation

/// The objects of a scenario's removed-API parts, and kubeadm's `default/kubernetes` Endpoints.
extension ClusterBuilder {
    /// Namespaces that applied objects and Helm releases live in.
    static func apiUsageNamespaces(_ scenario: Scenario) -> [String] {
        let applied = scenario.appliedObjects.compactMap { try? AppliedObjects.manifest($0).1[["metadata", "namespace"]]?.stringValue }
        return applied + scenario.helmReleases.map(\.namespace)
    }

    static func apiUsageObjects(_ scenario: Scenario, now: Date, random: inout SeededRandom) -> [(ResourceType, JSONValue)] {
        var out: [(ResourceType, JSONValue)] = []
        let created = Timestamps.rfc3339(now.addingTimeInterval(-20 * 86_400))
        for spec in scenario.appliedObjects {
            let uid = random.uuid()
            if let object = AppliedObjects.object(spec, uid: uid, created: created) { out.append(object) }
        }
        for release in scenario.helmReleases {
            // The first revision went in 30 days ago, the last one a day per revision later (at most 10 kept).
            let firstDeployed = now.addingTimeInterval(-30 * 86_400 + 0.254_817_331)
            for secret in HelmReleaseSecrets.secrets(release, firstDeployed: firstDeployed, uid: { random.uuid() }) {
                out.append((.secrets, secret))
            }
        }
        return out
    }

    /// The apiserver's endpoint reconciler keeps `default/kubernetes` listing every API server's address.
    static func kubernetesEndpoints(_ scenario: Scenario, nodeIP: [String: String], uid: String, created: String) -> JSONValue {
        let addresses = scenario.nodes.filter { $0.role == .controlPlane }.compactMap { nodeIP[$0.name] }
            .map { JSONValue.object([("ip", .string($0))]) }
        return .object([
            ("metadata", .object([("name", .string("kubernetes")), ("namespace", .string("default")), ("uid", .string(uid)),
                                  ("creationTimestamp", .string(created)),
                                  ("labels", .sortedMap(["endpointslice.kubernetes.io/skip-mirror": "true"]))])),
            ("subsets", .array([.object([("addresses", .array(addresses)),
                                         ("ports", .array([.object([("name", .string("https")), ("port", .int(6443)),
                                                                    ("protocol", .string("TCP"))])]))])])),
        ])
    }
}
