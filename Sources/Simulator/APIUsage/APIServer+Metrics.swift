import Foundation
import HTTPTypes
import Hummingbird

/// `/metrics`, the nonResourceURL only cluster-admin-like users may get, answered by each kube-apiserver instance
/// in turn, as through the load balancer in front of them, or by one instance at its node's own address.
extension APIServer {
    /// The running kube-apiserver static pods: their node, image version and process start time.
    func apiserverInstances() -> [MetricsText.Instance] {
        let base = (startTime.timeIntervalSince1970 - 2 * 86_400).rounded(.down)
        var instances: [MetricsText.Instance] = []
        for pod in store.all(.pods) {
            guard pod.namespace == "kube-system", pod.labels["component"] == "kube-apiserver",
                  pod.object[["status", "phase"]]?.stringValue == "Running",
                  let node = pod.object[["spec", "nodeName"]]?.stringValue,
                  let image = pod.object[["spec", "containers"]]?.arrayValue?.first?["image"]?.stringValue,
                  let colon = image.lastIndex(of: ":") else { continue }
            let tag = String(image[image.index(after: colon)...])
            // Each instance is its own process, started at its own time: the one label-free way to tell them apart.
            let started = base + Double(instances.count) * 613 + 0.29 + Double(instances.count) * 0.17
            instances.append(.init(node: node, gitVersion: Validation.isVersion(tag) ? tag : "v0.0.0", startTime: started))
        }
        return instances
    }

    /// Whether the default RBAC roles grant `get` on nonResourceURL `/metrics`: cluster-admin (system:masters,
    /// kubeadm:cluster-admins) only; the view, edit and discovery roles do not.
    static func mayGetMetrics(_ identity: Identity) -> Bool {
        identity.groups.contains("system:masters") || identity.groups.contains("kubeadm:cluster-admins")
    }

    func metrics(_ api: APIRequest) -> Response {
        guard api.method == .get || api.method == .head else {
            return respond(status: 405, error: .methodNotAllowed, api)
        }
        // The users of the shipped RBAC roles got here only if their rules allow /metrics (checked before routing).
        guard APIServer.mayGetMetrics(api.identity) || rbac.governs(api.identity.user) else {
            return respond(status: 403, error: .forbiddenPath(user: api.identity.user, verb: "get", path: api.path), api)
        }
        let instance: MetricsText.Instance
        if let own = api.instance {
            // A node's own address: that process's gauge, never another instance's turn.
            guard let running = runningInstance(own) else { return respond(status: 503, error: .instanceDown(own), api) }
            instance = running
        } else {
            let instances = apiserverInstances()
            instance = instances.isEmpty
                ? MetricsText.Instance(node: "", gitVersion: versionDocument["gitVersion"]?.stringValue ?? "v0.0.0",
                                       startTime: startTime.timeIntervalSince1970.rounded(.down))
                : instances[Int(UInt(bitPattern: metricsTurn.wrappingAdd(1, ordering: .relaxed).oldValue) % UInt(instances.count))]
        }
        let counts = [ResourceType.configMaps, .namespaces, .nodes, .pods, .secrets].map { ($0.plural, store.all($0).count) }
        let text = MetricsText.render(instance, calls: apiUsage.deprecatedAPICalls, objectCounts: counts)
        return respondBytes(status: 200, Array(text.utf8), contentType: MetricsText.contentType)
    }
}

extension StatusError {
    /// The authorizer's refusal of a nonResourceURL: no group or resource, so `details` is empty.
    static func forbiddenPath(user: String, verb: String, path: String) -> StatusError {
        StatusError(code: 403, reason: "Forbidden", message: "forbidden: User \"\(user)\" cannot \(verb) path \"\(path)\"",
                    details: .object([]))
    }
}
