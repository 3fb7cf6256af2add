import AsyncHTTPClient
import NIOCore
import NIOSSL

/// One `HTTPClient` per client certificate in use (TLS settings are per client); all of them are shut down
/// together, on every path (pitfall P11).
actor HTTPClientPool {
    private let config: ResolvedKubeconfig
    private let connectTimeout: TimeAmount
    private var clients: [ClientCertificate?: HTTPClient] = [:]
    private var retired: [HTTPClient] = []
    private var isShutDown = false

    init(config: ResolvedKubeconfig, connectTimeout: TimeAmount) {
        self.config = config
        self.connectTimeout = connectTimeout
    }

    /// The client for `certificate`, created on first use. When an exec plugin rotates its client certificate,
    /// the client of the previous one is kept (in-flight requests may still use it) until `shutdown()`.
    func client(for certificate: ClientCertificate?) throws -> HTTPClient {
        guard !isShutDown else { throw KubeClientError.shutDown }
        if let existing = clients[certificate] { return existing }
        let tls = try TLSSetup.configuration(for: config, clientCertificate: certificate)
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: config.usesTLS ? tls : nil,
            redirectConfiguration: .disallow,
            timeout: .init(connect: connectTimeout, read: nil),
            proxy: proxy,
            ignoreUncleanSSLShutdown: false)
        configuration.httpVersion = .automatic
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 8)
        if let serverName = config.tlsServerName {
            configuration.dnsOverride = [serverName: config.serverHost]
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        for (key, old) in clients where key != certificate && certificate != nil && key != nil {
            retired.append(old)
            clients[key] = nil
        }
        clients[certificate] = client
        return client
    }

    func shutdown() async {
        guard !isShutDown else { return }
        isShutDown = true
        let all = Array(clients.values) + retired
        clients = [:]
        retired = []
        for client in all {
            try? await client.shutdown()
        }
    }

    private var proxy: HTTPClient.Configuration.Proxy? {
        switch config.proxy {
        case nil:
            return nil
        case .http(let host, let port, let username, let password):
            let authorization = username.map { HTTPClient.Authorization.basic(username: $0, password: password?.value ?? "") }
            return .server(host: host, port: port, authorization: authorization)
        case .socks5(let host, let port):
            return .socksServer(host: host, port: port)
        }
    }
}

extension ClientCertificate: Hashable {
    public func hash(into hasher: inout Hasher) {
        hasher.combine(certificatePEM)
    }

    public static func == (lhs: ClientCertificate, rhs: ClientCertificate) -> Bool {
        lhs.certificatePEM == rhs.certificatePEM && lhs.keyPEM == rhs.keyPEM
    }
}
