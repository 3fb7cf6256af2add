import Foundation

/// What an exec credential plugin prints on stdout (client.authentication.k8s.io v1 / v1beta1 ExecCredential).
public struct ExecCredential: Decodable, Sendable, Equatable {
    public var apiVersion: String?
    public var kind: String?
    public var status: Status?

    /// The credential part of an ExecCredential.
    public struct Status: Decodable, Sendable, Equatable {
        public var token: String?
        public var clientCertificateData: String?
        public var clientKeyData: String?
        public var expirationTimestamp: String?
    }
}

/// A credential obtained from an exec plugin, ready to use.
public struct IssuedCredential: Sendable, Equatable {
    public var token: Secret?
    public var clientCertificate: ClientCertificate?
    /// When the plugin must run again; `nil` means "until the server answers 401".
    public var expiresAt: Date?

    public init(token: Secret?, clientCertificate: ClientCertificate?, expiresAt: Date?) {
        self.token = token
        self.clientCertificate = clientCertificate
        self.expiresAt = expiresAt
    }

    /// True once `now` is past the expiration timestamp.
    public func isExpired(at now: Date) -> Bool {
        guard let expiresAt else { return false }
        return now >= expiresAt
    }
}

/// The rules of the exec credential protocol, as pure functions.
public enum ExecPluginPolicy {
    static let supportedVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]

    /// Checks an `exec` block the way kubectl validates a kubeconfig.
    public static func validate(_ exec: ExecConfig, userName: String) throws(KubeClientError) {
        let owner = "user \"\(userName)\""
        guard !exec.command.isEmpty else {
            throw .invalidCredentialData(owner: owner, field: "exec.command", reason: "it is empty")
        }
        guard let version = exec.apiVersion, supportedVersions.contains(version) else {
            throw .invalidCredentialData(
                owner: owner, field: "exec.apiVersion",
                reason: "\"\(exec.apiVersion ?? "")\" is not one of \(supportedVersions.joined(separator: ", "))")
        }
        switch exec.interactiveMode {
        case nil, "":
            if version.hasSuffix("/v1") {
                throw .invalidCredentialData(
                    owner: owner, field: "exec.interactiveMode",
                    reason: "it must be set for \(version) (Never, IfAvailable or Always)")
            }
        case "Never", "IfAvailable", "Always":
            break
        case let other?:
            throw .invalidCredentialData(
                owner: owner, field: "exec.interactiveMode",
                reason: "\"\(other)\" is not Never, IfAvailable or Always")
        }
    }

    /// The `KUBERNETES_EXEC_INFO` value: kubeskew never hands the plugin a terminal, so `interactive` is false;
    /// cluster details are included only when the user asks for `provideClusterInfo`.
    public static func execInfo(for exec: ExecConfig, cluster: ResolvedKubeconfig) -> String {
        var spec: [String: Any] = ["interactive": false]
        if exec.provideClusterInfo == true {
            var info: [String: Any] = ["server": cluster.server]
            if let name = cluster.tlsServerName { info["tls-server-name"] = name }
            if cluster.trust == .insecureSkipVerify { info["insecure-skip-tls-verify"] = true }
            if let data = cluster.certificateAuthorityData { info["certificate-authority-data"] = data }
            spec["cluster"] = info
        }
        let object: [String: Any] = [
            "apiVersion": exec.apiVersion ?? supportedVersions[0], "kind": "ExecCredential", "spec": spec,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads a plugin's stdout into a credential, checking what client-go checks.
    public static func parseOutput(
        _ output: [UInt8], exec: ExecConfig, userName: String
    ) throws(KubeClientError) -> IssuedCredential {
        func invalid(_ reason: String) -> KubeClientError {
            .execPluginInvalidOutput(user: userName, command: exec.command, reason: reason)
        }
        let credential: ExecCredential
        do {
            credential = try JSONDecoder().decode(ExecCredential.self, from: Data(output))
        } catch {
            throw invalid("stdout is not an ExecCredential JSON object")
        }
        guard credential.kind == "ExecCredential" else {
            throw invalid("kind is \"\(credential.kind ?? "")\", expected ExecCredential")
        }
        guard credential.apiVersion == exec.apiVersion else {
            throw invalid(
                "apiVersion is \"\(credential.apiVersion ?? "")\" but the kubeconfig asks for \(exec.apiVersion ?? "")")
        }
        guard let status = credential.status else { throw invalid("it has no status") }
        var expiresAt: Date?
        if let stamp = status.expirationTimestamp, !stamp.isEmpty {
            guard let date = parseTimestamp(stamp) else {
                throw invalid("expirationTimestamp \"\(DisplayText.sanitize(stamp, limit: 40))\" is not RFC 3339")
            }
            expiresAt = date
        }
        var certificate: ClientCertificate?
        switch (status.clientCertificateData, status.clientKeyData) {
        case (let cert?, let key?) where !cert.isEmpty && !key.isEmpty:
            certificate = ClientCertificate(certificatePEM: Array(cert.utf8), keyPEM: Secret(key))
        case (let cert?, _) where !cert.isEmpty:
            throw invalid("it has clientCertificateData without clientKeyData")
        case (_, let key?) where !key.isEmpty:
            throw invalid("it has clientKeyData without clientCertificateData")
        default:
            break
        }
        let token = status.token.flatMap { $0.isEmpty ? nil : Secret($0) }
        guard token != nil || certificate != nil else {
            throw invalid("it has neither a token nor a client certificate and key")
        }
        return IssuedCredential(token: token, clientCertificate: certificate, expiresAt: expiresAt)
    }

    /// RFC 3339 with or without fractional seconds.
    static func parseTimestamp(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
