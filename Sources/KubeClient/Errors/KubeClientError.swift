import Foundation

/// Everything that can go wrong between kubeskew and an API server, each with a message an operator can act on.
/// Messages never contain a token, a password or a private key.
public enum KubeClientError: Error, Sendable, Equatable {
    // Kubeconfig
    case kubeconfigNotFound(path: String)
    case kubeconfigUnreadable(path: String, reason: String)
    case kubeconfigInvalid(path: String, reason: String)
    case noConfiguration(searched: [String])
    case noCurrentContext(available: [String])
    case contextNotFound(name: String, available: [String])
    case clusterNotFound(context: String, cluster: String)
    case userNotFound(context: String, user: String)
    case invalidServerURL(cluster: String, server: String, reason: String)
    case credentialFileUnreadable(owner: String, field: String, path: String, reason: String)
    case invalidCredentialData(owner: String, field: String, reason: String)
    case unsupportedProxy(cluster: String, proxy: String, reason: String)
    case unsupportedAuthProvider(user: String, provider: String)

    // Exec credential plugins
    case execPluginNotFound(user: String, command: String, installHint: String?)
    case execPluginFailed(user: String, command: String, status: String, stderr: String)
    case execPluginTimedOut(user: String, command: String, seconds: Int)
    case execPluginInvalidOutput(user: String, command: String, reason: String)
    case execPluginNeedsTerminal(user: String, command: String)

    // Reaching the server
    case connectionRefused(server: String)
    case dnsFailure(server: String, host: String)
    case tlsVerificationFailed(server: String, diagnosis: String)
    case tlsHandshakeFailed(server: String, reason: String)
    case timedOut(server: String, operation: String)
    case connectionFailed(server: String, reason: String)

    // Answers from the server
    case unauthorized(server: String, user: String, authMethod: String)
    case forbidden(user: String?, verb: String, resource: String, serverMessage: String)
    case notFound(kind: String, name: String)
    case evictionBlocked(pod: String, namespace: String, budget: String?, serverMessage: String)
    case expired(serverMessage: String)
    case conflict(serverMessage: String)
    case serverError(code: Int, operation: String, serverMessage: String)
    /// 429 Too Many Requests still, after the retries the server's `Retry-After` asked for.
    case throttled(operation: String, attempts: Int, serverMessage: String)
    case requestRejected(code: Int, operation: String, reason: String, serverMessage: String)
    case invalidResponse(operation: String, reason: String)
    case invalidArgument(what: String, value: String, reason: String)
    case shutDown
}

extension KubeClientError: CustomStringConvertible, LocalizedError {
    public var errorDescription: String? { description }

    public var description: String {
        switch self {
        case .kubeconfigNotFound(let path):
            return "kubeconfig \(path) does not exist; check --kubeconfig"
        case .kubeconfigUnreadable(let path, let reason):
            return "kubeconfig \(path) cannot be read: \(reason)"
        case .kubeconfigInvalid(let path, let reason):
            return "kubeconfig \(path) is not a valid kubeconfig: \(reason)"
        case .noConfiguration(let searched):
            return "no kubeconfig found (looked in \(searched.joined(separator: ", "))); "
                + "pass --kubeconfig PATH or set KUBECONFIG"
        case .noCurrentContext(let available):
            return "the kubeconfig sets no current-context; pass --context NAME"
                + Self.choices(available)
        case .contextNotFound(let name, let available):
            return "context \"\(name)\" is not in the kubeconfig" + Self.choices(available)
        case .clusterNotFound(let context, let cluster):
            return cluster.isEmpty
                ? "context \"\(context)\" names no cluster; fix the kubeconfig"
                : "context \"\(context)\" refers to cluster \"\(cluster)\", which is not in the kubeconfig"
        case .userNotFound(let context, let user):
            return "context \"\(context)\" refers to user \"\(user)\", which is not in the kubeconfig"
        case .invalidServerURL(let cluster, let server, let reason):
            return "cluster \"\(cluster)\": server \"\(server)\" is not a usable URL: \(reason)"
        case .credentialFileUnreadable(let owner, let field, let path, let reason):
            return "\(owner): \(field) \(path) cannot be read: \(reason)"
        case .invalidCredentialData(let owner, let field, let reason):
            return "\(owner): \(field) is invalid: \(reason)"
        case .unsupportedProxy(let cluster, let proxy, let reason):
            return "cluster \"\(cluster)\": proxy \(proxy) is not supported: \(reason)"
        case .unsupportedAuthProvider(let user, let provider):
            return "user \"\(user)\": the auth-provider \"\(provider)\" is not supported (kubectl removed it too); "
                + "use an exec credential plugin (e.g. kubelogin or the cloud CLI's get-token) instead"
        case .execPluginNotFound(let user, let command, let hint):
            var text = "user \"\(user)\": exec credential plugin \"\(command)\" was not found"
            if let hint, !hint.isEmpty { text += "; \(hint)" } else { text += "; install it or fix its path" }
            return text
        case .execPluginFailed(let user, let command, let status, let stderr):
            var text = "user \"\(user)\": exec credential plugin \"\(command)\" failed (\(status))"
            if !stderr.isEmpty { text += ": \(stderr)" }
            return text
        case .execPluginTimedOut(let user, let command, let seconds):
            return "user \"\(user)\": exec credential plugin \"\(command)\" gave no credential within \(seconds) s"
        case .execPluginInvalidOutput(let user, let command, let reason):
            return "user \"\(user)\": exec credential plugin \"\(command)\" printed no valid ExecCredential: \(reason)"
        case .execPluginNeedsTerminal(let user, let command):
            return "user \"\(user)\": exec credential plugin \"\(command)\" needs an interactive terminal "
                + "(interactiveMode: Always); run it once in a shell (e.g. `kubectl get nodes`) to log in, "
                + "or use a user whose credential needs no prompt"
        case .connectionRefused(let server):
            return "connection to \(server) was refused: is the API server running, and is the server URL in the "
                + "kubeconfig right?"
        case .dnsFailure(let server, let host):
            return "cannot resolve \(host) (server \(server)): check the server URL in the kubeconfig and DNS"
        case .tlsVerificationFailed(let server, let diagnosis):
            return "TLS verification of \(server) failed: \(diagnosis)"
        case .tlsHandshakeFailed(let server, let reason):
            return "TLS handshake with \(server) failed: \(reason)"
        case .timedOut(let server, let operation):
            return "\(operation) on \(server) timed out: the API server is slow or unreachable"
        case .connectionFailed(let server, let reason):
            return "cannot talk to \(server): \(reason)"
        case .unauthorized(let server, let user, let method):
            return "\(server) rejected the credentials of user \"\(user)\" (\(method)) as Unauthorized (401): "
                + "the credential is wrong or expired; renew it in the kubeconfig"
        case .forbidden(let user, let verb, let resource, _):
            let who = user.map { "user \"\($0)\"" } ?? "this user"
            return "forbidden: \(who) may not \(verb) \(resource); ask a cluster admin for RBAC permission "
                + "to \(verb) \(resource)"
        case .notFound(let kind, let name):
            return "\(kind) \"\(name)\" not found"
        case .evictionBlocked(let pod, let namespace, let budget, let message):
            if let budget {
                return "eviction of pod \(namespace)/\(pod) blocked by PodDisruptionBudget \(budget): \(message)"
            }
            return "eviction of pod \(namespace)/\(pod) refused for now (429): \(message)"
        case .expired(let message):
            return "resource version expired (410): \(message)"
        case .conflict(let message):
            return "conflict (409): \(message)"
        case .serverError(let code, let operation, let message):
            return "\(operation) failed with server error \(code)" + (message.isEmpty ? "" : ": \(message)")
                + "; the API server is unhealthy, try again"
        case .throttled(let operation, let attempts, let message):
            return "\(operation) was refused as too many requests (429)"
                + (attempts > 1 ? " \(attempts) times, retried as the server's Retry-After asked" : "")
                + (message.isEmpty ? "" : " (\(message))")
                + "; the API server is overloaded or throttles this user (API Priority and Fairness): try again later, or lower --concurrency"
        case .requestRejected(let code, let operation, let reason, let message):
            return "\(operation) was rejected (\(code) \(reason))" + (message.isEmpty ? "" : ": \(message)")
        case .invalidResponse(let operation, let reason):
            return "\(operation) returned a response kubeskew cannot read: \(reason)"
        case .invalidArgument(let what, let value, let reason):
            return "invalid \(what) \"\(value)\": \(reason)"
        case .shutDown:
            return "the API client was already shut down"
        }
    }

    /// True for failures that may heal by themselves (network, timeouts, 5xx, 429), so a watch should retry.
    public var isTransient: Bool {
        switch self {
        case .connectionRefused, .dnsFailure, .timedOut, .connectionFailed, .serverError, .evictionBlocked, .throttled:
            return true
        default:
            return false
        }
    }

    private static func choices(_ names: [String]) -> String {
        names.isEmpty ? "" : " (available: \(names.joined(separator: ", ")))"
    }
}
