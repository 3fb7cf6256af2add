import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Names what went wrong below HTTP (TCP, DNS, TLS, timeouts) in the terms an operator can act on.
enum TransportErrorClassifier {
    static func classify(_ error: any Error, server: String, host: String, operation: String) -> KubeClientError {
        switch error {
        case let error as NIOConnectionError:
            if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
                return .dnsFailure(server: server, host: host)
            }
            let errnos = error.connectionErrors.compactMap { ($0.error as? IOError)?.errnoCode }
            if errnos.contains(ECONNREFUSED) { return .connectionRefused(server: server) }
            if let code = errnos.first { return .connectionFailed(server: server, reason: errnoText(code)) }
            return .connectionFailed(server: server, reason: DisplayText.sanitize(String(describing: error), limit: 200))
        case let error as IOError:
            if error.errnoCode == ECONNREFUSED { return .connectionRefused(server: server) }
            return .connectionFailed(server: server, reason: errnoText(error.errnoCode))
        case is SocketAddressError:
            return .dnsFailure(server: server, host: host)
        case let error as HTTPClientError:
            return classify(httpClientError: error, server: server, operation: operation)
        case let error as NIOSSLExtraError where error == .failedToValidateHostname:
            return .tlsVerificationFailed(
                server: server, diagnosis: "the server certificate is not valid for the name \(host)")
        case let error as NIOSSLError:
            return classify(sslError: error, server: server)
        default:
            return classifyByDescription(String(describing: error), server: server, host: host, operation: operation)
        }
    }

    private static func classify(httpClientError error: HTTPClientError, server: String, operation: String)
        -> KubeClientError
    {
        switch error {
        case .connectTimeout, .tlsHandshakeTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout,
            .getConnectionFromPoolTimeout:
            return .timedOut(server: server, operation: "connecting for \(operation)")
        case .readTimeout, .writeTimeout, .deadlineExceeded:
            return .timedOut(server: server, operation: operation)
        case .remoteConnectionClosed:
            return .connectionFailed(server: server, reason: "the server closed the connection")
        case .proxyAuthenticationRequired:
            return .connectionFailed(server: server, reason: "the proxy asks for credentials (407)")
        case .invalidProxyResponse:
            return .connectionFailed(server: server, reason: "the proxy refused the CONNECT request")
        case .cancelled:
            return .connectionFailed(server: server, reason: "the request was cancelled")
        default:
            return .connectionFailed(server: server, reason: DisplayText.sanitize(String(describing: error), limit: 200))
        }
    }

    private static func classify(sslError error: NIOSSLError, server: String) -> KubeClientError {
        let text: String
        switch error {
        case .handshakeFailed(let inner): text = String(describing: inner)
        default: text = String(describing: error)
        }
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return .tlsVerificationFailed(server: server, diagnosis: "the server certificate could not be verified")
        }
        return .tlsHandshakeFailed(server: server, reason: handshakeReason(text))
    }

    /// Alerts the server sends back when it dislikes our side of the handshake.
    static func handshakeReason(_ text: String) -> String {
        if text.contains("TLSV1_ALERT_UNKNOWN_CA") || text.contains("SSLV3_ALERT_BAD_CERTIFICATE") {
            return "the server rejected our client certificate (it does not trust the authority that signed it)"
        }
        if text.contains("CERTIFICATE_REQUIRED") {
            return "the server requires a client certificate, and this user has none"
        }
        if text.contains("CERTIFICATE_EXPIRED") {
            return "the server says our client certificate has expired; renew it"
        }
        if text.contains("WRONG_VERSION_NUMBER") {
            return "the server does not speak TLS on this port (is the URL http:// or the port wrong?)"
        }
        return DisplayText.sanitize(text, limit: 200)
    }

    private static func classifyByDescription(
        _ text: String, server: String, host: String, operation: String
    ) -> KubeClientError {
        if text.contains("Connection refused") { return .connectionRefused(server: server) }
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return .tlsVerificationFailed(server: server, diagnosis: "the server certificate could not be verified")
        }
        if text.contains("failedToValidateHostname") {
            return .tlsVerificationFailed(
                server: server, diagnosis: "the server certificate is not valid for the name \(host)")
        }
        return .connectionFailed(server: server, reason: DisplayText.sanitize(text, limit: 200))
    }

    private static func errnoText(_ code: CInt) -> String {
        switch code {
        case ETIMEDOUT: return "the connection timed out (is the host reachable?)"
        case EHOSTUNREACH, ENETUNREACH: return "no route to the host (network unreachable)"
        case ECONNRESET: return "the connection was reset by the server"
        default: return String(cString: strerror(code)).lowercased()
        }
    }
}
