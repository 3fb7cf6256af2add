import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// The Kubernetes API as the simulator serves it: authentication, faults, routing, and the wire format (Status
/// errors, headers, Table, discovery) of a real kube-apiserver.
final class APIServer: Sendable {
    let store: ObjectStore
    let tokens: TokenAuthority
    let faultSettings: Mutex<FaultSettings>
    /// `/version` when no kube-apiserver static pod is found (a scenario without mirror pods).
    let versionDocument: JSONValue
    /// Which kube-apiserver instance answers the next `/version` (round robin, as a load balancer would).
    let versionTurn = Atomic<Int>(0)
    let serverAddress: Mutex<String>
    let flowSchemaUID = UUID().uuidString.lowercased()
    let priorityLevelUID = UUID().uuidString.lowercased()
    let startTime = Date()
    /// The simulated node shells served at `/kubeskew-sim/v1/nodes/NAME/exec` (set once the cluster exists).
    let nodeShells = Mutex<SimulatedNodeShells?>(nil)
    /// Runs the step pods of kubeskew's pod executor on the simulated nodes (set with the node shells).
    let podRunner = Mutex<SimulatedPodRunner?>(nil)
    /// The scenario's deprecated API calls (for `/metrics`) and Warning headers.
    let apiUsage: APIUsage
    /// Which kube-apiserver instance answers the next `/metrics`.
    let metricsTurn = Atomic<Int>(0)
    /// Decides the requests of the users bound to the shipped RBAC roles.
    let rbac: RBACAuthorizer

    init(store: ObjectStore, tokens: TokenAuthority, faults: FaultSettings, apiserverVersion: String, apiUsage: APIUsage = APIUsage(),
         rbac: RBACAuthorizer = RBACAuthorizer(bindings: [:])) {
        self.store = store
        self.rbac = rbac
        self.apiUsage = apiUsage
        self.tokens = tokens
        self.faultSettings = Mutex(faults)
        self.serverAddress = Mutex("127.0.0.1:6443")
        self.versionDocument = APIServer.versionDocument(apiserverVersion)
        tokens.configure(expired: faults.tokenExpired, lifetime: faults.tokenLifetimeSeconds)
    }

    var faults: FaultSettings { faultSettings.withLock { $0 } }

    func setFaults(_ faults: FaultSettings) {
        faultSettings.withLock { $0 = faults }
        tokens.configure(expired: faults.tokenExpired, lifetime: faults.tokenLifetimeSeconds)
    }

    /// `/version` as the instance behind the load balancer answers it. An HA cluster's endpoint is a load balancer
    /// in front of every kube-apiserver, so each request may reach another instance: the simulator rotates over
    /// the running kube-apiserver static pods, one turn per request, and answers with that instance's image
    /// version. Per request rather than per connection: a client cannot count on connection pinning, and a
    /// per-connection turn tied to how many connections kubectl happens to open proved to show one version only.
    /// Mid-upgrade, clients therefore see several versions and must not take one `/version` answer for the whole
    /// control plane.
    func currentVersionDocument() -> JSONValue {
        let versions = store.all(.pods).compactMap { pod -> String? in
            guard pod.namespace == "kube-system", pod.labels["component"] == "kube-apiserver",
                  pod.object[["status", "phase"]]?.stringValue == "Running",
                  let image = pod.object[["spec", "containers"]]?.arrayValue?.first?["image"]?.stringValue,
                  let colon = image.lastIndex(of: ":") else { return nil }
            let tag = String(image[image.index(after: colon)...])
            return Validation.isVersion(tag) ? tag : nil
        }
        guard !versions.isEmpty else { return versionDocument }
        let turn = versionTurn.wrappingAdd(1, ordering: .relaxed).oldValue
        return APIServer.versionDocument(versions[Int(UInt(bitPattern: turn) % UInt(versions.count))])
    }

    static func versionDocument(_ gitVersion: String) -> JSONValue {
        let core = gitVersion.dropFirst().prefix { $0.isNumber || $0 == "." }.split(separator: ".")
        let major = core.first.map(String.init) ?? "1"
        let minor = core.count > 1 ? String(core[1]) : "0"
        let previousMinor = String(max((Int(minor) ?? 1) - 1, 0))
        return .object([
            ("major", .string(major)), ("minor", .string(minor)),
            ("emulationMajor", .string(major)), ("emulationMinor", .string(minor)),
            ("minCompatibilityMajor", .string(major)), ("minCompatibilityMinor", .string(previousMinor)),
            ("gitVersion", .string(gitVersion)), ("gitCommit", .string("5b3b0b4e2f3cf6b4b6b7d9e1b1a2d3c4e5f60718")),
            ("gitTreeState", .string("clean")), ("buildDate", .string("2026-07-15T08:21:43Z")),
            ("goVersion", .string("go1.24.4")), ("compiler", .string("gc")), ("platform", .string("linux/amd64")),
        ])
    }

    // MARK: entry point

    /// Answers `request`; `instance` is the kube-apiserver the listening address stands for (nil: the load balancer).
    func respond(_ request: Request, context: KubeRequestContext, instance: APIServerInstance? = nil) async throws -> Response {
        let method = request.method
        var body: [UInt8] = []
        if method == .post || method == .put || method == .patch || method == .delete {
            let buffer = try await request.body.collect(upTo: 16 << 20)
            body = Array(buffer.readableBytesView)
        }
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        let headers = request.headers
        let identity: Identity
        if let authorization = headers[.authorization] {
            let presented = authorization.hasPrefix("Bearer ") ? String(authorization.dropFirst(7)) : ""
            if presented == tokens.viewerToken {
                identity = Identity(user: TokenAuthority.viewerUser, groups: ["system:authenticated"])
            } else if let user = tokens.roleTokens.first(where: { $0.value == presented })?.key {
                identity = Identity(user: user, groups: ["system:authenticated"])
            } else if tokens.accepts(presented) {
                identity = Identity(user: TokenAuthority.tokenUser, groups: ["system:masters", "system:authenticated"])
            } else {
                return respond(status: 401, json: StatusError.unauthorized.json, pretty: false, flowControl: false)
            }
        } else if let certificateIdentity = await context.clientCertificateIdentity() {
            identity = certificateIdentity
        } else {
            identity = .anonymous
        }
        let channel = context.channel
        let api = APIRequest(method: method, path: request.uri.path, query: query, accept: headers[.accept] ?? "*/*",
                             contentType: headers[.contentType] ?? "", userAgent: headers[.userAgent] ?? "",
                             ifNoneMatch: headers[.ifNoneMatch], body: body, identity: identity,
                             isConnected: { channel.isActive }, instance: instance)

        let publicPaths: Set<String> = ["/healthz", "/readyz", "/livez", "/version"]
        let isPublic = publicPaths.contains(api.path)
        let faults = self.faults
        if !isPublic {
            if faults.latencyMilliseconds > 0 { try? await Task.sleep(for: .milliseconds(faults.latencyMilliseconds)) }
            if throttles() {
                return tooManyRequests(retryAfter: faults.throttleRetryAfterSeconds)
            }
            if faults.errorRate > 0, Double.random(in: 0..<1) < faults.errorRate {
                return respond(status: 500, error: .internalError("injected fault: the simulator was told to fail \(Int(faults.errorRate * 100))% of requests"), api)
            }
            if let broken = brokenBody(faults, api) { return broken }
        }
        if identity == .anonymous, !isPublic {
            return respond(status: 403, error: anonymousForbidden(api), api)
        }
        // As kube-apiserver, authorization comes before routing: a refused user learns nothing of what is served.
        // The node shells' endpoint is not the Kubernetes API (it stands in for ssh), so RBAC does not govern it.
        if rbac.governs(identity.user), !api.path.hasPrefix("/kubeskew-sim/") {
            let attributes = RequestAttributesParser.attributes(method: method.rawValue, path: api.path, query: query)
            if !rbac.allows(user: identity.user, attributes) {
                return respond(status: 403, error: .forbidden(user: identity.user, attributes), api)
            }
        }
        let acceptable = ["json", "*/*", "protobuf", "yaml"]
        if !isPublic, !api.accept.isEmpty, !acceptable.contains(where: { api.accept.contains($0) }) {
            let error = StatusError(code: 406, reason: "NotAcceptable",
                                    message: "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf")
            return respond(status: 406, json: error.json, pretty: true)
        }
        var response = await route(api)
        // Warnings come from the handlers, which refused requests never reach.
        if response.status.code != 401, response.status.code != 403 {
            for text in apiUsage.warnings(for: api.path) {
                response.headers.append(HTTPField(name: APIUsage.warningHeader, value: APIUsage.headerValue(text)))
            }
        }
        return response
    }

    func anonymousForbidden(_ api: APIRequest) -> StatusError {
        let components = api.path.split(separator: "/")
        if let path = ResourcePath.parse(components) {
            return .forbidden(user: "system:anonymous", verb: APIServer.verb(path, api), resource: path.type,
                              subresource: path.subresource, name: path.name, namespace: path.namespace)
        }
        return StatusError(code: 403, reason: "Forbidden",
                           message: "forbidden: User \"system:anonymous\" cannot get path \"\(api.path)\"", details: .object([]))
    }

    // MARK: routing

    func route(_ api: APIRequest) async -> Response {
        let components = api.path.split(separator: "/")
        switch api.path {
        case "/version", "/version/":
            return versionResponse(api)
        case "/healthz", "/readyz", "/livez":
            return healthResponse(api)
        case "/metrics":
            return metrics(api)
        case "/api", "/api/":
            if Discovery.wantsAggregated(api.accept) { return aggregatedDiscovery(core: true, api) }
            return respond(status: 200, json: Discovery.apiVersions(serverAddress: api.instance?.address ?? serverAddress.withLock { $0 }), pretty: api.wantsPretty)
        case "/apis", "/apis/":
            if Discovery.wantsAggregated(api.accept) { return aggregatedDiscovery(core: false, api) }
            return respond(status: 200, json: Discovery.apiGroupList(), pretty: api.wantsPretty)
        default: break
        }
        if components.count == 2, components[0] == "api", let list = Discovery.resourceList(group: "", version: String(components[1])) {
            return respond(status: 200, json: list, pretty: api.wantsPretty)
        }
        if components.count == 2, components[0] == "apis", Discovery.groups.contains(String(components[1])) {
            return respond(status: 200, json: Discovery.apiGroupDocument(String(components[1])), pretty: api.wantsPretty)
        }
        if components.count == 3, components[0] == "apis",
           let list = Discovery.resourceList(group: String(components[1]), version: String(components[2])) {
            return respond(status: 200, json: list, pretty: api.wantsPretty)
        }
        if components.first == "kubeskew-sim" { return await nodeExec(api, components) }
        guard components.first == "api" || components.first == "apis" else {
            return respondBytes(status: 404, Array("404 page not found\n".utf8), contentType: "text/plain; charset=utf-8", nosniff: true)
        }
        guard let path = ResourcePath.parse(components) else {
            return respond(status: 404, error: .unknownResource, api)
        }
        do {
            return try await handle(path, api)
        } catch let error as StatusError {
            return respond(status: error.code, error: error, api)
        } catch {
            return respond(status: 500, error: .internalError("\(error)"), api)
        }
    }

    /// The RBAC verb of a request, as the authorizer names it.
    static func verb(_ path: ResourcePath, _ api: APIRequest) -> String {
        switch api.method {
        case .get: return path.name == nil ? (api.flag("watch") ? "watch" : "list") : "get"
        case .post: return "create"
        case .put: return "update"
        case .patch: return "patch"
        case .delete: return "delete"
        default: return api.method.rawValue.lowercased()
        }
    }

    func handle(_ path: ResourcePath, _ api: APIRequest) async throws -> Response {
        let verb = APIServer.verb(path, api)
        // The view ClusterRole reads most things but neither writes nor reads Secrets.
        if api.identity.user == TokenAuthority.viewerUser, !["get", "list", "watch"].contains(verb) || path.type == .secrets {
            throw StatusError.forbidden(user: api.identity.user, verb: verb, resource: path.type, subresource: path.subresource,
                                        name: path.name, namespace: path.namespace)
        }
        let isWatch = api.flag("watch")
        switch (api.method, path.name, path.subresource) {
        case (.get, nil, nil):
            return isWatch ? try await watch(path, api) : try await list(path, api)
        case (.get, let name?, nil), (.get, let name?, "status"):
            return try get(path, name: name, api)
        case (.patch, let name?, nil), (.patch, let name?, "status"):
            return try patch(path, name: name, api)
        case (.put, let name?, nil), (.put, let name?, "status"):
            return try replace(path, name: name, api)
        case (.post, nil, nil):
            return try create(path, api)
        case (.post, let name?, "eviction") where path.type == .pods:
            return try evict(path, name: name, api)
        case (.get, let name?, "log") where path.type == .pods:
            return try podLog(path, name: name, api)
        case (.delete, let name?, nil):
            return try delete(path, name: name, api)
        case (_, _, let sub?) where !path.type.subresources.contains(where: { $0.name == sub }):
            throw StatusError.unknownResource
        default:
            throw StatusError.methodNotAllowed
        }
    }

    // MARK: responses

    func healthResponse(_ api: APIRequest) -> Response {
        let name = String(api.path.dropFirst())
        if api.query["verbose"] != nil {
            let checks = ["ping", "log", "etcd", "informer-sync", "poststarthook/start-apiserver-admission-initializer",
                          "poststarthook/generic-apiserver-start-informers", "poststarthook/start-kube-apiserver-informers"]
            var text = checks.map { "[+]\($0) ok\n" }.joined()
            text += "\(name) check passed\n"
            return respondBytes(status: 200, Array(text.utf8), contentType: "text/plain; charset=utf-8", nosniff: true)
        }
        return respondBytes(status: 200, Array("ok".utf8), contentType: "text/plain; charset=utf-8", nosniff: true)
    }

    func aggregatedDiscovery(core: Bool, _ api: APIRequest) -> Response {
        let document = JSONWriter.bytes(Discovery.aggregated(core: core)) + [0x0A]
        var hasher = Hasher()
        hasher.combine(document)
        let etag = "\"\(String(UInt64(bitPattern: Int64(hasher.finalize())), radix: 16, uppercase: true))\""
        var extra = HTTPFields()
        extra[.eTag] = etag
        extra[.vary] = "Accept"
        extra[HeaderNames.variedAccept] = api.accept
        if api.ifNoneMatch == etag {
            return respondBytes(status: 304, [], contentType: Discovery.aggregatedContentType, cacheControl: "public", extra: extra)
        }
        return respondBytes(status: 200, document, contentType: Discovery.aggregatedContentType, cacheControl: "public", extra: extra)
    }

    /// Whether this request is refused as too many (the throttle faults); counts down `throttleNextRequests`.
    private func throttles() -> Bool {
        faultSettings.withLock { faults in
            if faults.throttleNextRequests > 0 {
                faults.throttleNextRequests -= 1
                return true
            }
            return faults.throttleRate > 0 && Double.random(in: 0..<1) < faults.throttleRate
        }
    }

    /// API Priority and Fairness's refusal, byte for byte: not a Status but Go's `http.Error` text
    /// (`tooManyRequests` in k8s.io/apiserver's filters), with `Retry-After`.
    func tooManyRequests(retryAfter: Int) -> Response {
        var extra = HTTPFields()
        extra[.retryAfter] = String(retryAfter)
        return respondBytes(status: 429, Array("Too many requests, please try again later.\n".utf8),
                            contentType: "text/plain; charset=utf-8", nosniff: true, extra: extra)
    }

    func respond(status: Int, error: StatusError, _ api: APIRequest) -> Response {
        var extra = HTTPFields()
        // The authorizer's refusals carry nosniff (responsewriters.Forbidden), as the captured 403s show.
        if status == 403 { extra[HeaderNames.contentTypeOptions] = "nosniff" }
        if let retry = error.retryAfterSeconds { extra[.retryAfter] = String(retry) }
        return respond(status: status, json: error.json, pretty: api.wantsPretty, extra: extra)
    }

    func respond(status: Int, json: JSONValue, pretty: Bool, flowControl: Bool = true, extra: HTTPFields = HTTPFields()) -> Response {
        let bytes = pretty ? Array((JSONWriter.pretty(json) + "\n").utf8) : JSONWriter.bytes(json) + [0x0A]
        return respondBytes(status: status, bytes, contentType: "application/json", flowControl: flowControl, extra: extra)
    }

    func respondBytes(status: Int, _ bytes: [UInt8], contentType: String, cacheControl: String = "no-cache, private",
                      nosniff: Bool = false, flowControl: Bool = true, extra: HTTPFields = HTTPFields()) -> Response {
        var buffer = ByteBufferAllocator().buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        return respondBuffer(status: status, buffer, contentType: contentType, cacheControl: cacheControl, nosniff: nosniff,
                             flowControl: flowControl, extra: extra)
    }

    func respondBuffer(status: Int, _ buffer: ByteBuffer, contentType: String, cacheControl: String = "no-cache, private",
                       nosniff: Bool = false, flowControl: Bool = true, extra: HTTPFields = HTTPFields()) -> Response {
        // Go's net/http sends bodies up to 2 KiB with Content-Length and larger ones chunked; clients must handle both.
        let body = buffer.readableBytes <= 2048 ? ResponseBody(byteBuffer: buffer) : ResponseBody { writer in
            try await writer.write(buffer)
            try await writer.finish(nil)
        }
        return Response(status: HTTPResponse.Status(code: status),
                        headers: headers(contentType: contentType, cacheControl: cacheControl, nosniff: nosniff,
                                         flowControl: flowControl, extra: extra),
                        body: body)
    }

    func headers(contentType: String, cacheControl: String = "no-cache, private", nosniff: Bool = false, flowControl: Bool = true,
                 extra: HTTPFields = HTTPFields()) -> HTTPFields {
        var fields = HTTPFields()
        fields[HeaderNames.auditID] = UUID().uuidString.lowercased()
        fields[.cacheControl] = cacheControl
        fields[.contentType] = contentType
        fields.append(contentsOf: extra)
        if nosniff { fields[HeaderNames.contentTypeOptions] = "nosniff" }
        if flowControl {
            fields[HeaderNames.flowSchema] = flowSchemaUID
            fields[HeaderNames.priorityLevel] = priorityLevelUID
        }
        return fields
    }
}

/// Header names of the real server's responses.
enum HeaderNames {
    static let auditID = HTTPField.Name("Audit-Id")!
    static let flowSchema = HTTPField.Name("X-Kubernetes-Pf-Flowschema-Uid")!
    static let priorityLevel = HTTPField.Name("X-Kubernetes-Pf-Prioritylevel-Uid")!
    static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let variedAccept = HTTPField.Name("X-Varied-Accept")!
}
