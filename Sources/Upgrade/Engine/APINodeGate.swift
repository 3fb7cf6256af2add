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
}
