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

    /// The apiserver's endpoint reconciler keeps `default/kubernetes` listing every API server's address and secure
    /// port; instances on different ports (some bound by the simulator, some not) make one subset per port.
    static func kubernetesEndpoints(_ scenario: Scenario, nodeIP: [String: String], ports: [String: Int] = [:], uid: String,
                                    created: String) -> JSONValue {
        var subsets: [(port: Int, ips: [String])] = []
        for node in scenario.nodes where node.role == .controlPlane {
            guard let ip = nodeIP[node.name] else { continue }
            let port = ports[node.name] ?? 6443
            if let i = subsets.firstIndex(where: { $0.port == port }) { subsets[i].ips.append(ip) } else { subsets.append((port, [ip])) }
        }
        if subsets.isEmpty { subsets = [(6443, [])] }
        return .object([
            ("metadata", .object([("name", .string("kubernetes")), ("namespace", .string("default")), ("uid", .string(uid)),
                                  ("creationTimestamp", .string(created)),
                                  ("labels", .sortedMap(["endpointslice.kubernetes.io/skip-mirror": "true"]))])),
            ("subsets", .array(subsets.map { subset in
                .object([("addresses", .array(subset.ips.map { .object([("ip", .string($0))]) })),
                         ("ports", .array([.object([("name", .string("https")), ("port", .int(subset.port)), ("protocol", .string("TCP"))])]))])
            })),
        ])
    }
}
