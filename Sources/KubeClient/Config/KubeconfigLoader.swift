import Foundation
import Yams

/// Finds, reads, merges and resolves kubeconfig files exactly as kubectl does.
public enum KubeconfigLoader {
    /// Loads the kubeconfig selected by `--kubeconfig` / `KUBECONFIG` / `~/.kube/config` and resolves the
    /// context (`--context`, else current-context), reading every referenced certificate, key and token file.
    public static func load(
        explicitPath: String? = nil, context: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(KubeClientError) -> ResolvedKubeconfig {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let (paths, mustExist) = KubeconfigMerger.kubeconfigPaths(
            explicitPath: explicitPath, environment: environment, homeDirectory: home)
        var files: [Kubeconfig] = []
        var used: [String] = []
        for path in paths {
            let absolute = KubeconfigMerger.makeAbsolute(path, baseDirectory: FileManager.default.currentDirectoryPath)
            guard FileManager.default.fileExists(atPath: absolute) else {
                if mustExist { throw .kubeconfigNotFound(path: path) }
                continue
            }
            let config = try parseFile(at: absolute)
            let folder = (absolute as NSString).deletingLastPathComponent
            files.append(KubeconfigMerger.resolvingRelativePaths(config, baseDirectory: folder))
            used.append(absolute)
        }
        guard !files.isEmpty else { throw .noConfiguration(searched: paths) }
        let merged = KubeconfigMerger.merge(files)
        return try resolve(merged, context: context, environment: environment, sourceFiles: used)
    }

    /// Reads and decodes one kubeconfig file.
    public static func parseFile(at path: String) throws(KubeClientError) -> Kubeconfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .kubeconfigUnreadable(path: path, reason: FileReading.reason(error))
        }
        return try parse(text, path: path)
    }

    /// Decodes kubeconfig YAML; `path` is only used in error messages.
    public static func parse(_ text: String, path: String) throws(KubeClientError) -> Kubeconfig {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return Kubeconfig() }
        do {
            // A decoder per call: YAMLDecoder is not Sendable (pitfall P3).
            return try YAMLDecoder().decode(Kubeconfig.self, from: text)
        } catch {
            throw .kubeconfigInvalid(path: path, reason: DisplayText.sanitize(String(describing: error), limit: 300))
        }
    }

    /// Selects a context of a merged kubeconfig and reads what it references.
    public static func resolve(
        _ config: Kubeconfig, context requested: String?, environment: [String: String] = [:],
        sourceFiles: [String] = []
    ) throws(KubeClientError) -> ResolvedKubeconfig {
        let contextNames = config.contexts.map(\.name)
        let contextName: String
        if let requested, !requested.isEmpty {
            contextName = requested
        } else if let current = config.currentContext, !current.isEmpty {
            contextName = current
        } else {
            throw .noCurrentContext(available: contextNames)
        }
        guard let context = config.contexts.first(where: { $0.name == contextName })?.context else {
            throw .contextNotFound(name: contextName, available: contextNames)
        }
        guard let cluster = config.clusters.first(where: { $0.name == context.cluster })?.cluster else {
            throw .clusterNotFound(context: contextName, cluster: context.cluster)
        }
        let user: UserEntry
        if context.user.isEmpty {
            user = UserEntry()
        } else if let found = config.users.first(where: { $0.name == context.user })?.user {
            user = found
        } else {
            throw .userNotFound(context: contextName, user: context.user)
        }

        let endpoint = try ServerEndpoint.parse(cluster.server ?? "", cluster: context.cluster)
        let trust = try resolveTrust(cluster, clusterName: context.cluster, usesTLS: endpoint.usesTLS)
        let credentials = try resolveCredentials(user, userName: context.user)
        let proxy = try ProxyResolver.resolve(
            proxyURL: cluster.proxyURL, cluster: context.cluster, serverHost: endpoint.host,
            usesTLS: endpoint.usesTLS, environment: environment)
        var caData = cluster.certificateAuthorityData
        if caData == nil, case .certificateAuthority(let pem, _) = trust {
            caData = Data(pem).base64EncodedString()
        }
        return ResolvedKubeconfig(
            contextName: contextName, clusterName: context.cluster, userName: context.user,
            namespace: context.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default",
            server: endpoint.url, serverHost: endpoint.host, serverPort: endpoint.port, usesTLS: endpoint.usesTLS,
            trust: trust, tlsServerName: cluster.tlsServerName.flatMap { $0.isEmpty ? nil : $0 }, proxy: proxy,
            credentials: credentials, sourceFiles: sourceFiles, certificateAuthorityData: caData)
    }

    static func resolveTrust(
        _ cluster: ClusterEntry, clusterName: String, usesTLS: Bool
    ) throws(KubeClientError) -> ServerTrust {
        let owner = "cluster \"\(clusterName)\""
        let hasCA = !(cluster.certificateAuthorityData ?? "").isEmpty || !(cluster.certificateAuthority ?? "").isEmpty
        if cluster.insecureSkipTLSVerify == true {
            if hasCA {
                // kubectl refuses this combination too: it is ambiguous which one the operator meant.
                throw .invalidCredentialData(
                    owner: owner, field: "insecure-skip-tls-verify",
                    reason: "it cannot be combined with a certificate-authority; remove one of them")
            }
            return .insecureSkipVerify
        }
        if let data = cluster.certificateAuthorityData, !data.isEmpty {
            let pem = try FileReading.base64(data, owner: owner, field: "certificate-authority-data")
            return .certificateAuthority(pem: pem, source: "certificate-authority-data of \(owner)")
        }
        if let path = cluster.certificateAuthority, !path.isEmpty {
            let pem = try FileReading.bytes(path, owner: owner, field: "certificate-authority")
            return .certificateAuthority(pem: pem, source: "certificate-authority \(path)")
        }
        return .systemRoots
    }

    static func resolveCredentials(_ user: UserEntry, userName: String) throws(KubeClientError) -> UserCredentials {
        let owner = "user \"\(userName)\""
        if let provider = user.authProvider {
            throw .unsupportedAuthProvider(user: userName, provider: provider.name)
        }
        var credentials = UserCredentials()

        let certPEM: [UInt8]?
        if let data = user.clientCertificateData, !data.isEmpty {
            certPEM = try FileReading.base64(data, owner: owner, field: "client-certificate-data")
        } else if let path = user.clientCertificate, !path.isEmpty {
            certPEM = try FileReading.bytes(path, owner: owner, field: "client-certificate")
        } else {
            certPEM = nil
        }
        let keyPEM: [UInt8]?
        if let data = user.clientKeyData, !data.isEmpty {
            keyPEM = try FileReading.base64(data, owner: owner, field: "client-key-data")
        } else if let path = user.clientKey, !path.isEmpty {
            keyPEM = try FileReading.bytes(path, owner: owner, field: "client-key")
        } else {
            keyPEM = nil
        }
        switch (certPEM, keyPEM) {
        case (let cert?, let key?):
            credentials.clientCertificate = ClientCertificate(
                certificatePEM: cert, keyPEM: Secret(String(decoding: key, as: UTF8.self)))
        case (.some, nil):
            throw .invalidCredentialData(
                owner: owner, field: "client-certificate", reason: "it is set but client-key is missing")
        case (nil, .some):
            throw .invalidCredentialData(
                owner: owner, field: "client-key", reason: "it is set but client-certificate is missing")
        case (nil, nil):
            break
        }

        if let token = user.token, !token.isEmpty {
            credentials.bearerToken = .literal(Secret(token))
        } else if let path = user.tokenFile, !path.isEmpty {
            // Read it now so a missing file is reported before any request.
            _ = try FileReading.token(path, owner: owner)
            credentials.bearerToken = .file(path: path)
        } else if let exec = user.exec {
            try ExecPluginPolicy.validate(exec, userName: userName)
            credentials.bearerToken = .exec(exec)
        }
        if let username = user.username, !username.isEmpty {
            if credentials.bearerToken != nil {
                throw .invalidCredentialData(
                    owner: owner, field: "username",
                    reason: "more than one authentication method (token and basic auth); keep only one")
            }
            credentials.basicAuth = BasicAuth(username: username, password: Secret(user.password ?? ""))
        }
        return credentials
    }
}
