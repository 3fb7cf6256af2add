import KubeClient
import SkewCore

/// One context of a fleet check: what was read and judged, or why it could not be.
struct FleetCluster: Sendable {
    /// The end of life of the control plane's oldest minor, as the release calendar gives it.
    struct EndOfLife: Sendable {
        let minor: String
        let date: String
        let past: Bool
    }

    let context: String
    /// The kubeconfig's server URL; nil when the context could not be resolved.
    var server: String? = nil
    /// Why the cluster could not be read (connection refused, unauthorized, timed out, …).
    var failure: FleetFailure? = nil
    /// Read, but not judged as asked: no API server version, or a `--target` the cluster cannot reach.
    var problem: String? = nil
    var assessment: ClusterAssessment? = nil
    var endOfLife: EndOfLife? = nil

    var reachable: Bool { failure == nil }

    /// The error for the report: the failure's reason first (what CI greps for), then what to do.
    var error: String? {
        if let failure { return "\(failure.reason): \(failure.detail)" }
        return problem
    }

    /// CVEs fixed in a newer patch that the control plane's own components run with.
    var cves: Int? { assessment.map { $0.controlPlane.risks.filter { $0.kind == .cve }.count } }

    /// `check`'s scale; a cluster that could not be read or judged is 2: unknown must never pass for fine.
    var exitStatus: Int32 {
        guard failure == nil, problem == nil, let assessment else { return 2 }
        return assessment.exitStatus
    }
}

/// Why a cluster of the fleet could not be read: a short reason a script can match, and the client's whole message.
struct FleetFailure: Error, Sendable {
    let reason: String
    let detail: String

    init(reason: String, detail: String) {
        self.reason = reason
        self.detail = detail
    }

    init(_ error: any Error) {
        guard let e = error as? KubeClientError else {
            self.init(reason: "error", detail: String(describing: error))
            return
        }
        self.init(reason: Self.reason(e), detail: e.description)
    }

    static func reason(_ e: KubeClientError) -> String {
        switch e {
        case .connectionRefused: return "connection refused"
        case .dnsFailure: return "DNS lookup failed"
        case .tlsVerificationFailed, .tlsHandshakeFailed: return "TLS failed"
        case .timedOut: return "timed out"
        case .connectionFailed: return "connection failed"
        case .unauthorized: return "unauthorized"
        case .forbidden: return "forbidden"
        case .execPluginNotFound, .execPluginFailed, .execPluginTimedOut, .execPluginInvalidOutput, .execPluginNeedsTerminal:
            return "credential plugin failed"
        case .kubeconfigNotFound, .kubeconfigUnreadable, .kubeconfigInvalid, .noConfiguration, .noCurrentContext, .contextNotFound,
             .clusterNotFound, .userNotFound, .invalidServerURL, .credentialFileUnreadable, .invalidCredentialData,
             .unsupportedProxy, .unsupportedAuthProvider:
            return "kubeconfig"
        default: return "error"
        }
    }
}
