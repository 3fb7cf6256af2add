import Foundation

/// The credential material attached to one request.
struct RequestCredential: Sendable, Equatable {
    var authorization: Secret?
    var clientCertificate: ClientCertificate?
}

/// Hands out the current credential of the user: static ones as they are, token files re-read after a 401,
/// and exec plugin credentials cached until they expire or the server rejects them.
actor CredentialProvider {
    private let config: ResolvedKubeconfig
    private let runner: ExecPluginRunner
    private let now: @Sendable () -> Date
    private var issued: IssuedCredential?
    private var pending: Task<IssuedCredential, any Error>?
    private var fileToken: Secret?
    /// How many times the exec plugin ran (for tests and diagnostics).
    private(set) var pluginRuns = 0

    init(config: ResolvedKubeconfig, runner: ExecPluginRunner, now: @escaping @Sendable () -> Date = Date.init) {
        self.config = config
        self.runner = runner
        self.now = now
    }

    /// True when a 401 can be cured by fetching the credential again.
    nonisolated var canRefresh: Bool {
        switch config.credentials.bearerToken {
        case .exec, .file: return true
        default: return false
        }
    }

    func current() async throws -> RequestCredential {
        let credentials = config.credentials
        var result = RequestCredential(authorization: nil, clientCertificate: credentials.clientCertificate)
        switch credentials.bearerToken {
        case .literal(let token):
            result.authorization = Secret("Bearer " + token.value)
        case .file(let path):
            if fileToken == nil {
                fileToken = try FileReading.token(path, owner: "user \"\(config.userName)\"")
            }
            result.authorization = fileToken.map { Secret("Bearer " + $0.value) }
        case .exec(let exec):
            let credential = try await execCredential(exec)
            if let token = credential.token { result.authorization = Secret("Bearer " + token.value) }
            if let certificate = credential.clientCertificate { result.clientCertificate = certificate }
        case nil:
            if let basic = credentials.basicAuth {
                let pair = Data((basic.username + ":" + basic.password.value).utf8).base64EncodedString()
                result.authorization = Secret("Basic " + pair)
            }
        }
        return result
    }

    /// Forgets `used` after the server answered 401 to it, so the next `current()` fetches a fresh one.
    /// A credential that was already replaced by a concurrent refresh is left alone.
    func invalidate(_ used: RequestCredential) {
        switch config.credentials.bearerToken {
        case .file:
            if fileToken.map({ Secret("Bearer " + $0.value) }) == used.authorization { fileToken = nil }
        case .exec:
            guard let issued else { return }
            let issuedAuth = issued.token.map { Secret("Bearer " + $0.value) }
            if issuedAuth == used.authorization
                && (issued.clientCertificate == nil || issued.clientCertificate == used.clientCertificate)
            {
                self.issued = nil
            }
        default:
            break
        }
    }

    private func execCredential(_ exec: ExecConfig) async throws -> IssuedCredential {
        if let issued, !issued.isExpired(at: now()) { return issued }
        if let pending { return try await pending.value }
        let runner = self.runner
        let config = self.config
        let task = Task { try await runner.run(exec, cluster: config) }
        pending = task
        defer { pending = nil }
        pluginRuns += 1
        let credential = try await task.value
        issued = credential
        return credential
    }
}
