import KubeClient
import KubeModel

/// Confirms through the API that a node came back Ready with the new kubelet version (polling `GET /nodes/NAME`).
public struct APINodeGate: NodeGate {
    let client: KubeAPIClient
    let interval: Duration

    public init(client: KubeAPIClient, interval: Duration = .seconds(1)) {
        self.client = client
        self.interval = interval
    }

    public func waitForNode(_ node: String, kubelet version: String, timeout: Duration) async throws -> String? {
        let deadline = ContinuousClock.now + timeout
        var lastSeen = "not read yet"
        while true {
            do {
                let n = try await client.getNode(node)
                let ready = n.readyStatus == "True"
                let reported = n.nodeInfo?.kubeletVersion ?? "?"
                if ready && reported == version { return nil }
                lastSeen = "\(ready ? "Ready" : "NotReady"), kubelet \(reported)"
            } catch {
                lastSeen = "API error: \(error)"
            }
            if ContinuousClock.now >= deadline { return lastSeen }
            try await Task.sleep(for: interval)
        }
    }

    public func waitForControlPlane(_ node: String, version: String, timeout: Duration) async throws -> String? {
        let deadline = ContinuousClock.now + timeout
        var lastSeen = "not read yet"
        while true {
            do {
                let pods = try await client.listPods(nodeName: node).filter { $0.metadata.namespace == "kube-system" }
                lastSeen = Self.controlPlaneProblem(pods, version: version) ?? ""
                if lastSeen.isEmpty { return nil }
            } catch {
                lastSeen = "API error: \(error)"
            }
            if ContinuousClock.now >= deadline { return lastSeen }
            try await Task.sleep(for: interval)
        }
    }

    /// What keeps the node's static control-plane pods from counting as at `version` (their `component` label,
    /// as kubeadm sets it); nil when all three run it and are Ready.
    static func controlPlaneProblem(_ pods: [Pod], version: String) -> String? {
        var problems: [String] = []
        for component in ["kube-apiserver", "kube-controller-manager", "kube-scheduler"] {
            guard let pod = pods.first(where: { $0.metadata.labels?["component"] == component }) else {
                problems.append("no \(component) pod")
                continue
            }
            let image = pod.spec?.containers.first?.image ?? ""
            let tag = image.split(separator: ":").last.map(String.init) ?? "?"
            let ready = pod.status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false
            if tag != version || !ready { problems.append("\(component) \(tag)\(ready ? "" : " not Ready")") }
        }
        return problems.isEmpty ? nil : problems.joined(separator: ", ")
    }
}
