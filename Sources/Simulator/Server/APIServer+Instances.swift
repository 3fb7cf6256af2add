import Foundation
import Hummingbird

/// The kube-apiserver one listener stands for: in an HA scenario each control-plane node's address answers as that
/// node's instance alone, as a client connecting to an instance's advertise endpoint (not the load balancer) sees.
struct APIServerInstance: Sendable, Equatable {
    /// The control-plane node whose kube-apiserver static pod this is.
    let node: String
    /// `ip:port` it is reached at (what its `/api` names as its server address).
    let address: String
}

extension APIServer {
    /// The running instance on `instance`'s node, with the version and start time `/metrics` gives it; nil when its
    /// static pod is not running (deleted, or not Running).
    func runningInstance(_ instance: APIServerInstance) -> MetricsText.Instance? {
        apiserverInstances().first { $0.node == instance.node }
    }

    /// `/version`: through the load balancer (no instance) whichever instance's turn it is; at a node's address,
    /// that node's instance.
    func versionResponse(_ api: APIRequest) -> Response {
        let document: JSONValue
        if let instance = api.instance {
            guard let running = runningInstance(instance) else { return respond(status: 503, error: .instanceDown(instance), api) }
            document = APIServer.versionDocument(running.gitVersion)
        } else {
            document = currentVersionDocument()
        }
        return respondBytes(status: 200, Array(JSONWriter.pretty(document).utf8), contentType: "application/json")
    }
}

extension StatusError {
    /// A node's address reached while its kube-apiserver pod is not running. A real node would refuse the
    /// connection; a listener shared with the other instances' state cannot, so it says so with a 503.
    static func instanceDown(_ instance: APIServerInstance) -> StatusError {
        StatusError(code: 503, reason: "ServiceUnavailable",
                    message: "the kube-apiserver on \(instance.node) (\(instance.address)) is not running", details: .object([]))
    }
}
