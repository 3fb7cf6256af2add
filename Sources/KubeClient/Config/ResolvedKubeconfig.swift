import Foundation

/// A string that must never be printed: `description` is redacted so it cannot leak through logs or errors.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}

/// How the API server's certificate is trusted.
public enum ServerTrust: Sendable, Equatable {
    /// The operating system's roots (no CA in the kubeconfig).
    case systemRoots
    /// The PEM bundle from the kubeconfig; `source` names where it came from, for error messages.
    case certificateAuthority(pem: [UInt8], source: String)
    /// `insecure-skip-tls-verify: true`.
    case insecureSkipVerify
}

/// A PEM client certificate and key for mutual TLS.
public struct ClientCertificate: Sendable, Equatable {
    public let certificatePEM: [UInt8]
    public let keyPEM: Secret
    public init(certificatePEM: [UInt8], keyPEM: Secret) {
        self.certificatePEM = certificatePEM
        self.keyPEM = keyPEM
    }
}

/// Where the bearer token of a user comes from.
public enum BearerTokenSource: Sendable, Equatable {
    case literal(Secret)
    /// Re-read when the server answers 401, as a rotated service-account token would be.
    case file(path: String)
    case exec(ExecConfig)
}

/// An HTTP(S) proxy the client goes through, from `proxy-url` or the `HTTPS_PROXY` environment.
public enum ProxySetting: Sendable, Equatable {
    case http(host: String, port: Int, username: String?, password: Secret?)
    case socks5(host: String, port: Int)
}

/// A username and password (`username` / `password` in a kubeconfig user).
public struct BasicAuth: Sendable, Equatable {
    public let username: String
    public let password: Secret
    public init(username: String, password: Secret) {
        self.username = username
        self.password = password
    }
}

/// The credentials of the selected user.
public struct UserCredentials: Sendable, Equatable {
    public var clientCertificate: ClientCertificate?
    public var bearerToken: BearerTokenSource?
    public var basicAuth: BasicAuth?

    public init(
        clientCertificate: ClientCertificate? = nil, bearerToken: BearerTokenSource? = nil, basicAuth: BasicAuth? = nil
    ) {
        self.clientCertificate = clientCertificate
        self.bearerToken = bearerToken
        self.basicAuth = basicAuth
    }

    /// What an operator would call this way of logging in, for messages ("client certificate", "token", ...).
    public var methodDescription: String {
        var parts: [String] = []
        if clientCertificate != nil { parts.append("client certificate") }
        switch bearerToken {
        case .literal: parts.append("token")
        case .file(let path): parts.append("token file \(path)")
        case .exec(let exec): parts.append("exec plugin \(exec.command)")
        case nil: break
        }
        if basicAuth != nil { parts.append("basic auth") }
        return parts.isEmpty ? "no credentials (anonymous)" : parts.joined(separator: " + ")
    }
}

/// The cluster, user and namespace a kubeconfig context selects, with every file already read.
public struct ResolvedKubeconfig: Sendable, Equatable {
    public var contextName: String
    public var clusterName: String
    public var userName: String
    public var namespace: String
    /// The server URL without a trailing slash (it may carry a path prefix, as behind Rancher).
    public var server: String
    public var serverHost: String
    public var serverPort: Int
    public var usesTLS: Bool
    public var trust: ServerTrust
    public var tlsServerName: String?
    public var proxy: ProxySetting?
    public var credentials: UserCredentials
    /// The kubeconfig files that were read, in precedence order.
    public var sourceFiles: [String]
    /// The cluster's CA as base64, handed to exec plugins that ask for `provideClusterInfo`.
    public var certificateAuthorityData: String?

    public init(
        contextName: String, clusterName: String, userName: String, namespace: String, server: String,
        serverHost: String, serverPort: Int, usesTLS: Bool, trust: ServerTrust, tlsServerName: String?,
        proxy: ProxySetting?, credentials: UserCredentials, sourceFiles: [String],
        certificateAuthorityData: String? = nil
    ) {
        self.contextName = contextName
        self.clusterName = clusterName
        self.userName = userName
        self.namespace = namespace
        self.server = server
        self.serverHost = serverHost
        self.serverPort = serverPort
        self.usesTLS = usesTLS
        self.trust = trust
        self.tlsServerName = tlsServerName
        self.proxy = proxy
        self.credentials = credentials
        self.sourceFiles = sourceFiles
        self.certificateAuthorityData = certificateAuthorityData
    }
}
