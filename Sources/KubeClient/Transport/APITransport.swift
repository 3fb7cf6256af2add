import AsyncHTTPClient
import Foundation
import KubeModel
import NIOCore
import NIOHTTP1
import Synchronization

/// The answer to a request whose body was read in full.
struct APIResponse: Sendable {
    var status: Int
    var body: ByteBuffer
    /// The server's `Date` header, when it sent one (the API server's clock, to one second).
    var date: String? = nil
}

/// Sends requests to one API server with the kubeconfig's credentials, retrying once after a 401 when the
/// credential can be refreshed, and turning every failure into a `KubeClientError`.
final class APITransport: Sendable {
    let config: ResolvedKubeconfig
    let pool: HTTPClientPool
    let credentials: CredentialProvider
    let settings: KubeAPIClient.Settings
    private let baseURL: String
    /// Requests sent so far (tests check paging with it).
    let requestsSent = Mutex(0)
    /// Every `Warning` header the server sent (deprecations it announces), kept for the operator.
    let warnings = Mutex(ReceivedWarnings())

    init(config: ResolvedKubeconfig, settings: KubeAPIClient.Settings) {
        self.config = config
        self.settings = settings
        self.pool = HTTPClientPool(config: config, connectTimeout: .nanoseconds(settings.connectTimeout.nanoseconds))
        self.credentials = CredentialProvider(config: config, runner: ExecPluginRunner(timeout: settings.execTimeout))
        // With tls-server-name the URL names the certificate's host; the pool's DNS override sends it to the
        // real address.
        if let serverName = config.tlsServerName, let components = URLComponents(string: config.server) {
            var rewritten = components
            rewritten.host = serverName
            rewritten.port = config.serverPort
            self.baseURL = rewritten.string ?? config.server
        } else {
            self.baseURL = config.server
        }
    }

    /// Sends `request` and reads the whole body (at most `limit` bytes); non-2xx answers throw.
    func send(_ request: APIRequest, limit: Int = 64 << 20) async throws -> APIResponse {
        let timedOut = KubeClientError.timedOut(server: config.server, operation: request.operation.description)
        return try await withDeadline(settings.requestTimeout, error: timedOut) {
            try await self.receive(request, limit: limit)
        }
    }

    private func receive(_ request: APIRequest, limit: Int) async throws -> APIResponse {
        try await withMappedErrors(request.operation) {
            let response = try await self.execute(request, timeout: self.settings.requestTimeout)
            let body: ByteBuffer
            do {
                body = try await response.body.collect(upTo: limit)
            } catch is NIOTooManyBytesError {
                throw KubeClientError.invalidResponse(
                    operation: request.operation.description, reason: "the body is larger than \(limit >> 20) MiB")
            }
            let code = Int(response.status.code)
            guard (200..<300).contains(code) else {
                throw self.statusError(code: code, body: body, operation: request.operation)
            }
            return APIResponse(status: code, body: body, date: response.headers.first(name: "Date"))
        }
    }

    /// Opens a streaming response (a watch). Non-2xx answers throw; the caller reads `body` until it ends.
    func open(_ request: APIRequest) async throws -> HTTPClientResponse {
        try await withMappedErrors(request.operation) {
            let response = try await self.execute(request, timeout: self.settings.requestTimeout)
            let code = Int(response.status.code)
            guard (200..<300).contains(code) else {
                let body = (try? await response.body.collect(upTo: 1 << 20)) ?? ByteBuffer()
                throw self.statusError(code: code, body: body, operation: request.operation)
            }
            return response
        }
    }

    func shutdown() async {
        await pool.shutdown()
    }

    /// Maps any failure of the network stack to a `KubeClientError`, diagnosing TLS verification failures.
    func withMappedErrors<T: Sendable>(
        _ operation: APIOperation, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        do {
            return try await body()
        } catch let error as KubeClientError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            var classified = TransportErrorClassifier.classify(
                error, server: config.server, host: config.serverHost, operation: operation.description)
            if case .tlsVerificationFailed = classified, config.proxy == nil {
                classified = await TLSDiagnoser.diagnose(config: config, fallback: classified)
            }
            throw classified
        }
    }

    /// How many times a request refused with 429 and a `Retry-After` is sent in all, as client-go does (its
    /// `maxRetries` is 10). A 429 is a refusal before the request was processed, so every verb may be sent again;
    /// an eviction's 429 is a budget's answer, not throttling, and is the drain's to handle.
    static let throttleAttempts = 10
    /// The longest wait kubeskew accepts from one `Retry-After`.
    static let longestRetryAfter: Duration = .seconds(10)

    private func execute(_ request: APIRequest, timeout: Duration) async throws -> HTTPClientResponse {
        var attempt = 1
        while true {
            let response = try await executeAuthenticated(request, timeout: timeout)
            guard response.status == .tooManyRequests, request.operation.verb != "evict" else { return response }
            let body = (try? await response.body.collect(upTo: 1 << 20)) ?? ByteBuffer()
            guard attempt < Self.throttleAttempts, let wait = Self.retryAfter(response.headers.first(name: "Retry-After")) else {
                // kube-apiserver's throttling answer is plain text; a Status body is read too.
                let text = (try? JSONDecoder().decode(APIStatus.self, from: Data(body.readableBytesView)))?.message
                    ?? String(decoding: body.readableBytesView.prefix(300), as: UTF8.self)
                throw KubeClientError.throttled(operation: request.operation.description, attempts: attempt,
                                                serverMessage: DisplayText.sanitize(text, limit: 300)
                                                    .trimmingCharacters(in: .whitespacesAndNewlines))
            }
            try await Task.sleep(for: wait)
            attempt += 1
        }
    }

    /// `Retry-After` in seconds (the form kube-apiserver sends), at most ``longestRetryAfter``; nil when absent or
    /// not a number of seconds.
    static func retryAfter(_ header: String?) -> Duration? {
        guard let header, let seconds = Int(header.trimmingCharacters(in: .whitespaces)), seconds >= 0 else { return nil }
        return min(.seconds(seconds), longestRetryAfter)
    }

    private func executeAuthenticated(_ request: APIRequest, timeout: Duration) async throws -> HTTPClientResponse {
        let credential = try await credentials.current()
        let response = try await executeOnce(request, credential: credential, timeout: timeout)
        guard response.status == .unauthorized, credentials.canRefresh else { return response }
        // The credential was rejected: drop it, fetch a new one (re-run the plugin, re-read the file), retry once.
        _ = try? await response.body.collect(upTo: 1 << 20)
        await credentials.invalidate(credential)
        let fresh = try await credentials.current()
        return try await executeOnce(request, credential: fresh, timeout: timeout)
    }

    private func executeOnce(
        _ request: APIRequest, credential: RequestCredential, timeout: Duration
    ) async throws -> HTTPClientResponse {
        let client = try await pool.client(for: credential.clientCertificate)
        requestsSent.withLock { $0 += 1 }
        var http = HTTPClientRequest(url: baseURL + request.pathAndQuery)
        http.method = request.method
        http.headers.add(name: "User-Agent", value: settings.userAgent)
        http.headers.add(name: "Accept", value: request.accept)
        if let authorization = credential.authorization {
            http.headers.add(name: "Authorization", value: authorization.value)
        }
        if let body = request.body {
            http.headers.add(name: "Content-Type", value: request.contentType ?? "application/json")
            http.body = .bytes(body)
        }
        let started = ContinuousClock.now
        let response: HTTPClientResponse
        do { response = try await client.execute(http, timeout: .nanoseconds(timeout.nanoseconds)) } catch {
            APILog.request(request, status: nil, error: error, elapsed: ContinuousClock.now - started)
            throw error
        }
        APILog.request(request, status: Int(response.status.code), error: nil, elapsed: ContinuousClock.now - started)
        let received = response.headers["Warning"]
        if !received.isEmpty { warnings.withLock { for value in received { $0.add(value) } } }
        return response
    }

    private func statusError(code: Int, body: ByteBuffer, operation: APIOperation) -> KubeClientError {
        StatusErrorMapping.error(
            code: code, body: Array(body.readableBytesView), operation: operation,
            context: .init(
                server: config.server, userName: config.userName.isEmpty ? "(none)" : config.userName,
                authMethod: config.credentials.methodDescription))
    }
}

extension Duration {
    /// Whole nanoseconds, saturating, for NIO's `TimeAmount`.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max : scaled &+ attoseconds / 1_000_000_000
    }
}
