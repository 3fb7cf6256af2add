import Foundation

/// One kubeconfig file as written on disk (the subset of `clientcmd/api/v1` that kubeskew uses).
public struct Kubeconfig: Codable, Sendable, Equatable {
    public var clusters: [NamedCluster]
    public var users: [NamedUser]
    public var contexts: [NamedContext]
    public var currentContext: String?

    public init(
        clusters: [NamedCluster] = [], users: [NamedUser] = [], contexts: [NamedContext] = [],
        currentContext: String? = nil
    ) {
        self.clusters = clusters
        self.users = users
        self.contexts = contexts
        self.currentContext = currentContext
    }

    enum CodingKeys: String, CodingKey {
        case clusters, users, contexts
        case currentContext = "current-context"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // kubectl treats a missing or `null` list as empty, so do we.
        clusters = try c.decodeIfPresent([NamedCluster].self, forKey: .clusters) ?? []
        users = try c.decodeIfPresent([NamedUser].self, forKey: .users) ?? []
        contexts = try c.decodeIfPresent([NamedContext].self, forKey: .contexts) ?? []
        currentContext = try c.decodeIfPresent(String.self, forKey: .currentContext)
    }
}

/// A `clusters[]` entry of a kubeconfig.
public struct NamedCluster: Codable, Sendable, Equatable {
    public var name: String
    public var cluster: ClusterEntry
    public init(name: String, cluster: ClusterEntry) {
        self.name = name
        self.cluster = cluster
    }
}

/// How to reach and trust one API server.
public struct ClusterEntry: Codable, Sendable, Equatable {
    public var server: String?
    public var certificateAuthority: String?
    public var certificateAuthorityData: String?
    public var insecureSkipTLSVerify: Bool?
    public var tlsServerName: String?
    public var proxyURL: String?

    public init(
        server: String? = nil, certificateAuthority: String? = nil, certificateAuthorityData: String? = nil,
        insecureSkipTLSVerify: Bool? = nil, tlsServerName: String? = nil, proxyURL: String? = nil
    ) {
        self.server = server
        self.certificateAuthority = certificateAuthority
        self.certificateAuthorityData = certificateAuthorityData
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.tlsServerName = tlsServerName
        self.proxyURL = proxyURL
    }

    enum CodingKeys: String, CodingKey {
        case server
        case certificateAuthority = "certificate-authority"
        case certificateAuthorityData = "certificate-authority-data"
        case insecureSkipTLSVerify = "insecure-skip-tls-verify"
        case tlsServerName = "tls-server-name"
        case proxyURL = "proxy-url"
    }
}

/// A `users[]` entry of a kubeconfig.
public struct NamedUser: Codable, Sendable, Equatable {
    public var name: String
    public var user: UserEntry
    public init(name: String, user: UserEntry) {
        self.name = name
        self.user = user
    }
}

/// The credentials of one kubeconfig user.
public struct UserEntry: Codable, Sendable, Equatable {
    public var clientCertificate: String?
    public var clientCertificateData: String?
    public var clientKey: String?
    public var clientKeyData: String?
    public var token: String?
    public var tokenFile: String?
    public var username: String?
    public var password: String?
    public var exec: ExecConfig?
    public var authProvider: AuthProviderEntry?

    public init(
        clientCertificate: String? = nil, clientCertificateData: String? = nil, clientKey: String? = nil,
        clientKeyData: String? = nil, token: String? = nil, tokenFile: String? = nil, username: String? = nil,
        password: String? = nil, exec: ExecConfig? = nil, authProvider: AuthProviderEntry? = nil
    ) {
        self.clientCertificate = clientCertificate
        self.clientCertificateData = clientCertificateData
        self.clientKey = clientKey
        self.clientKeyData = clientKeyData
        self.token = token
        self.tokenFile = tokenFile
        self.username = username
        self.password = password
        self.exec = exec
        self.authProvider = authProvider
    }

    enum CodingKeys: String, CodingKey {
        case clientCertificate = "client-certificate"
        case clientCertificateData = "client-certificate-data"
        case clientKey = "client-key"
        case clientKeyData = "client-key-data"
        case token, tokenFile, username, password, exec
        case authProvider = "auth-provider"
    }
}

/// The legacy `auth-provider` block; kubeskew only reads its name to explain that it is unsupported.
public struct AuthProviderEntry: Codable, Sendable, Equatable {
    public var name: String
    public init(name: String) { self.name = name }
}

/// The `exec` block of a kubeconfig user: a credential plugin (client.authentication.k8s.io).
public struct ExecConfig: Codable, Sendable, Equatable {
    public var apiVersion: String?
    public var command: String
    public var args: [String]?
    public var env: [ExecEnvVar]?
    public var installHint: String?
    public var provideClusterInfo: Bool?
    public var interactiveMode: String?

    public init(
        apiVersion: String? = nil, command: String, args: [String]? = nil, env: [ExecEnvVar]? = nil,
        installHint: String? = nil, provideClusterInfo: Bool? = nil, interactiveMode: String? = nil
    ) {
        self.apiVersion = apiVersion
        self.command = command
        self.args = args
        self.env = env
        self.installHint = installHint
        self.provideClusterInfo = provideClusterInfo
        self.interactiveMode = interactiveMode
    }
}

/// One `env` entry of an exec plugin.
public struct ExecEnvVar: Codable, Sendable, Equatable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A `contexts[]` entry of a kubeconfig.
public struct NamedContext: Codable, Sendable, Equatable {
    public var name: String
    public var context: ContextEntry
    public init(name: String, context: ContextEntry) {
        self.name = name
        self.context = context
    }
}

/// A context: which cluster, which user, which default namespace.
public struct ContextEntry: Codable, Sendable, Equatable {
    public var cluster: String
    public var user: String
    public var namespace: String?
    public init(cluster: String, user: String, namespace: String? = nil) {
        self.cluster = cluster
        self.user = user
        self.namespace = namespace
    }

    enum CodingKeys: String, CodingKey { case cluster, user, namespace }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // kubectl accepts a context without a user (anonymous) or cluster (reported when resolved).
        cluster = try c.decodeIfPresent(String.self, forKey: .cluster) ?? ""
        user = try c.decodeIfPresent(String.self, forKey: .user) ?? ""
        namespace = try c.decodeIfPresent(String.self, forKey: .namespace)
    }
}
