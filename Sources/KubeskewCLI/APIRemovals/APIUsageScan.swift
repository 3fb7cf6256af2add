import Foundation
import KubeClient
import KubeModel
import NodeExec
import SkewCore

/// What a minor hop's API removals mean for this cluster: the findings, and what could not be looked at (an
/// operator must know when "none found" only means "not allowed to look").
struct APIRemovalReport: Sendable {
    /// The control plane's minor and the target's.
    let from: MinorLine
    let to: MinorLine
    let findings: [APIFinding]
    /// What was read, for the report's footer ("/metrics of 2 API servers", "4 Helm releases", ...).
    let read: [String]
    /// What could not be read, and what would let kubeskew read it.
    let gaps: [String]

    var removed: [APIFinding] { findings.filter { $0.severity == .removed } }
    var deprecated: [APIFinding] { findings.filter { $0.severity == .deprecated } }
}

/// Collects the uses of API versions a hop removes: each kube-apiserver's `apiserver_requested_deprecated_apis`
/// series, the `last-applied-configuration` of objects of the kinds concerned, Helm v3 releases, and the Warning
/// headers kubeskew's own requests received. Each source is read on its own; one that fails becomes a gap.
struct APIUsageScan: Sendable {
    let client: KubeAPIClient
    let table: RemovedAPIs
    let current: KubeVersion
    let target: KubeVersion
    /// The kube-apiserver static pods (their advertise endpoints reach each instance of an HA control plane).
    let apiserverPods: [Pod]

    /// Nil when there is no hop: the target's minor is not newer than the control plane's, so no API goes away.
    func run() async -> APIRemovalReport? {
        guard MinorLine(target) > MinorLine(current) else { return nil }
        async let metrics = metricsUses()
        async let helm = helmUses()
        async let stored = lastAppliedUses()
        let parts = await [metrics, helm, stored]
        var uses = parts.flatMap(\.uses)
        uses += warningUses()
        return APIRemovalReport(
            from: MinorLine(current), to: MinorLine(target),
            findings: APIRemovals.assess(uses, table: table, from: current, to: target),
            read: parts.compactMap(\.read), gaps: parts.flatMap(\.gaps))
    }

    /// Uses found by one source, what was read, and what could not be.
    struct Part: Sendable {
        var uses: [APIUse] = []
        var read: String?
        var gaps: [String] = []
    }

    // MARK: - /metrics

    /// The deprecated-API gauge of the API server the kubeconfig reaches and, in HA, of every other instance
    /// reachable at its advertise endpoint: the gauge is per process, so one instance does not see the clients of
    /// another.
    private func metricsUses() async -> Part {
        var part = Part()
        var readFrom: [String] = []
        let own = client.config.serverHost
        let forbidden = "/metrics is forbidden for \(client.config.userName.isEmpty ? "this user" : client.config.userName): "
            + "clients calling deprecated APIs were not looked for; grant get on the non-resource URL /metrics "
            + "(kubectl create clusterrole metrics-reader --verb=get --non-resource-url=/metrics)"
        // The other instances first, at once: one that cannot be reached costs its connect timeout, not the sum.
        let others = otherInstances(than: own)
        let client = client
        let results = await withTaskGroup(of: (Int, Result<String, any Error>).self) { group in
            for (index, instance) in others.enumerated() {
                group.addTask {
                    do { return (index, .success(try await Self.metrics(at: instance.endpoint, like: client))) }
                    catch { return (index, .failure(error)) }
                }
            }
            var out: [(Int, Result<String, any Error>)] = []
            for await result in group { out.append(result) }
            return out.sorted { $0.0 < $1.0 }
        }
        var unread = 0
        for (index, result) in results {
            let (node, endpoint) = others[index]
            switch result {
            case .success(let text):
                readFrom.append(endpoint)
                part.uses += uses(inMetrics: text, apiserver: node)
            case .failure(let error as KubeClientError):
                if case .forbidden = error { part.gaps = [forbidden]; return part }
                unread += 1
                part.gaps.append("the API server on \(node) (\(endpoint)) could not be read: "
                    + "\(DisplayText.sanitize(error.description, limit: 300)); clients that only it served were not looked for")
            case .failure(let error):
                unread += 1
                part.gaps.append("the API server on \(node) (\(endpoint)) could not be read: "
                    + "\(DisplayText.sanitize(String(describing: error), limit: 300)); clients that only it served were not looked for")
            }
        }
        // The kubeconfig's address: the one instance there is, the instance it names, or (a load balancer) any of them;
        // not read when every instance answered at its own address, which would count one of them twice.
        let everyInstanceRead = !others.isEmpty && unread == 0 && others.count == apiserverPods.count
        if !everyInstanceRead {
            do {
                let text = try await client.metricsText()
                readFrom.append(own)
                part.uses += uses(inMetrics: text, apiserver: instanceName(host: own))
            } catch let error as KubeClientError {
                if case .forbidden = error { part.gaps = [forbidden]; return part }
                part.gaps.append("/metrics could not be read at \(own): \(error.description)")
            } catch {
                part.gaps.append("/metrics could not be read at \(own): \(error)")
            }
        }
        if !readFrom.isEmpty { part.read = "/metrics of \(readFrom.count) API server\(readFrom.count == 1 ? "" : "s")" }
        return part
    }

    private func uses(inMetrics text: String, apiserver: String) -> [APIUse] {
        DeprecatedAPIMetric.parse(text).map { series in
            APIUse(group: series.group, version: series.version, resource: series.resource, kind: nil,
                   removedRelease: series.removedRelease.flatMap(MinorLine.init), evidence: .requested(apiserver: apiserver))
        }
    }

    /// The node whose apiserver answers at `host`; the only instance's node when there is one (the kubeconfig may
    /// name a load balancer or a tunnel); else the host, with the instances it may be.
    private func instanceName(host: String) -> String {
        for pod in apiserverPods {
            if let endpoint = pod.metadata.annotations?[Self.advertiseAnnotation], Self.endpoint(endpoint, isOn: host),
               let node = pod.nodeName { return node }
        }
        let nodes = apiserverPods.compactMap(\.nodeName)
        if nodes.count == 1 { return nodes[0] }
        return nodes.isEmpty ? host : "\(host) (one of \(nodes.joined(separator: ", ")))"
    }

    static let advertiseAnnotation = "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint"

    /// The host and port of an advertise endpoint as kubeadm writes it (`10.0.0.2:6443`, `[fd00::2]:6443`: Go's
    /// JoinHostPort); nil unless the host is an IP address or a host name and the port a port: it goes into a URL.
    static func hostAndPort(ofEndpoint endpoint: String) -> (host: String, port: Int)? {
        guard let colon = endpoint.lastIndex(of: ":"), let port = Int(endpoint[endpoint.index(after: colon)...]),
              (1...65535).contains(port) else { return nil }
        var host = String(endpoint[..<colon])
        // An IPv6 address comes in brackets; without them "fd00::2:6443" could be an address of its own.
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
            guard HostValidation.isIPv6(host) else { return nil }
        } else if host.contains(":") || !(HostValidation.isIPAddress(host) || HostValidation.isHostName(host)) {
            return nil
        }
        return (host, port)
    }

    /// Whether the endpoint's host is `host` (the kubeconfig's, with or without an IPv6 address's brackets).
    static func endpoint(_ endpoint: String, isOn host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return hostAndPort(ofEndpoint: endpoint)?.host.lowercased() == bare.lowercased()
    }

    /// (node, host:port) of every apiserver instance but the one at `host`, when there is more than one.
    private func otherInstances(than host: String) -> [(node: String, endpoint: String)] {
        guard apiserverPods.count > 1 else { return [] }
        return apiserverPods.compactMap { pod in
            guard let endpoint = pod.metadata.annotations?[Self.advertiseAnnotation], !Self.endpoint(endpoint, isOn: host),
                  let node = pod.nodeName else { return nil }
            return (node, endpoint)
        }
    }

    /// `/metrics` of the instance at `endpoint` with the same credentials and trust; its certificate is checked for
    /// the name the kubeconfig uses (kubeadm puts the control-plane endpoint in every instance's certificate).
    private static func metrics(at endpoint: String, like client: KubeAPIClient) async throws -> String {
        guard let (host, port) = hostAndPort(ofEndpoint: endpoint) else {
            throw OperatorError(message: "its advertise endpoint \(DisplaySafe.quote(endpoint)) is not host:port")
        }
        var config = client.config
        // A kubeconfig naming the control plane by DNS (kubeadm's controlPlaneEndpoint) has that name in every
        // instance's certificate; one naming an IP has only its own instance's, and each instance's certificate has
        // its advertise address: then the address connected to is the one to verify.
        let namedByIP = HostValidation.isIPAddress(config.serverHost)
        config.tlsServerName = config.tlsServerName ?? (namedByIP ? nil : config.serverHost)
        config.server = "https://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        config.serverHost = host
        config.serverPort = port
        var settings = client.settings
        settings.connectTimeout = .seconds(3)
        settings.requestTimeout = .seconds(15)
        let instance = KubeAPIClient(config: config, settings: settings)
        do {
            let text = try await instance.metricsText()
            await instance.shutdown()
            return text
        } catch {
            await instance.shutdown()
            throw error
        }
    }

    // MARK: - Helm

    /// The newest revision of every Helm v3 release, and the API versions of the objects its manifest holds.
    private func helmUses() async -> Part {
        var part = Part()
        let secrets: [SecretObject]
        do {
            secrets = try await client.listHelmReleaseSecrets()
        } catch let error as KubeClientError {
            if case .forbidden = error {
                part.gaps.append("Secrets cannot be listed by \(client.config.userName.isEmpty ? "this user" : client.config.userName): "
                    + "Helm releases were not checked (they are Secrets labelled owner=helm; grant list on secrets)")
            } else {
                part.gaps.append("Helm releases could not be listed: \(error.description)")
            }
            return part
        } catch {
            part.gaps.append("Helm releases could not be listed: \(error)")
            return part
        }
        var newest: [String: (revision: Int, secret: SecretObject)] = [:]
        for secret in secrets {
            let labels = secret.metadata.labels ?? [:]
            guard let name = labels["name"], let revision = labels["version"].flatMap(Int.init) else { continue }
            let key = "\(secret.metadata.namespace ?? "")/\(name)"
            if revision > newest[key]?.revision ?? Int.min { newest[key] = (revision, secret) }
        }
        for key in newest.keys.sorted() {
            guard let secret = newest[key]?.secret, let data = secret.data?["release"] else { continue }
            do {
                let release = try HelmRelease.decode(secretData: data)
                for object in release.objects {
                    let (group, version) = RemovedAPIs.split(apiVersion: object.apiVersion)
                    part.uses.append(APIUse(
                        group: group, version: version, resource: nil, kind: object.kind, removedRelease: nil,
                        evidence: .helmRelease(namespace: release.namespace, release: release.name, revision: release.revision,
                                               kind: object.kind, name: object.name)))
                }
            } catch {
                part.gaps.append("Helm release \(DisplayText.sanitize(key, limit: 300)) could not be read: \(DisplayText.sanitize(String(describing: error), limit: 300))")
            }
        }
        part.read = "\(newest.count) Helm release\(newest.count == 1 ? "" : "s")"
        return part
    }

    // MARK: - last-applied-configuration

    /// Objects of every kind the hop concerns, read at the version the server serves them in now, whose
    /// last-applied-configuration names the old version: the manifests that will not apply on the target.
    private func lastAppliedUses() async -> Part {
        var part = Part()
        let resources = Self.resourcesToList(table: table, target: MinorLine(target))
        var listed = 0
        var forbidden: [String] = []
        await withTaskGroup(of: (String, Result<[ObjectMeta], any Error>).self) { group in
            var pending = resources.makeIterator()
            func startNext() {
                guard let r = pending.next() else { return }
                group.addTask { (r.display, await Self.list(r, client: client)) }
            }
            for _ in 0..<4 { startNext() }
            while let (display, result) = await group.next() {
                startNext()
                switch result {
                case .success(let objects):
                    listed += 1
                    for meta in objects {
                        guard let annotation = meta.annotations?[LastAppliedConfiguration.annotation],
                              let (apiVersion, kind) = LastAppliedConfiguration.apiVersionAndKind(annotation) else { continue }
                        let (group, version) = RemovedAPIs.split(apiVersion: apiVersion)
                        part.uses.append(APIUse(group: group, version: version, resource: nil, kind: kind, removedRelease: nil,
                                                evidence: .lastApplied(kind: kind, namespace: meta.namespace, name: meta.name)))
                    }
                case .failure(let error as KubeClientError):
                    switch error {
                    case .forbidden: forbidden.append(display)
                    case .notFound: break  // the server serves none of its versions: nothing of it is stored there
                    default: part.gaps.append("\(display) could not be listed: \(error.description)")
                    }
                case .failure(let error):
                    part.gaps.append("\(display) could not be listed: \(error)")
                }
            }
        }
        if !forbidden.isEmpty {
            part.gaps.append("listing \(forbidden.sorted().joined(separator: ", ")) is forbidden: their last-applied manifests were not checked")
        }
        part.read = "last-applied manifests of \(listed) kind\(listed == 1 ? "" : "s")"
        return part
    }

    /// A resource to list, with the versions it may be served in now (newest replacement first), and its name for
    /// messages.
    struct ListedResource: Sendable, Hashable {
        let group: String
        let resource: String
        var versions: [String]
        var display: String { group.isEmpty ? resource : "\(resource).\(group)" }
    }

    /// The objects of `resource` at the first of its versions the server serves (a 1.28 server has FlowSchemas at
    /// v1beta3, a 1.29 one at v1 too): every version serves the same stored objects, so one is enough.
    private static func list(_ resource: ListedResource, client: KubeAPIClient) async -> Result<[ObjectMeta], any Error> {
        var last: any Error = KubeClientError.notFound(kind: resource.display, name: "")
        for version in resource.versions {
            do {
                return .success(try await client.listObjectMetadata(group: resource.group, version: version, resource: resource.resource))
            } catch let error as KubeClientError {
                guard case .notFound = error else { return .failure(error) }
                last = error
            } catch {
                return .failure(error)
            }
        }
        return .failure(last)
    }

    /// The resources whose old versions the target no longer serves, each once, to be read at their replacements'
    /// versions. Kinds that are never stored (reviews) are left out, and so are events: nobody applies them, and a
    /// cluster's events are the largest list it has.
    static func resourcesToList(table: RemovedAPIs, target: MinorLine) -> [ListedResource] {
        var out: [ListedResource] = []
        // Newest removals first: their replacements are the versions a current server serves.
        let entries = table.apis.filter { $0.removedIn.map { $0 <= target } ?? false && $0.replacement != nil }
            .sorted { ($0.removedIn ?? target) > ($1.removedIn ?? target) }
        for entry in entries {
            guard let replacement = entry.replacement else { continue }
            let (group, version) = RemovedAPIs.split(apiVersion: replacement.split(separator: " ").first.map(String.init) ?? replacement)
            guard !version.isEmpty else { continue }
            for resource in entry.resources where !resource.hasSuffix("reviews") && resource != "events" {
                if let i = out.firstIndex(where: { $0.group == group && $0.resource == resource }) {
                    if !out[i].versions.contains(version) { out[i].versions.append(version) }
                } else {
                    out.append(ListedResource(group: group, resource: resource, versions: [version]))
                }
            }
        }
        return out.sorted { ($0.group, $0.resource) < ($1.group, $1.resource) }
    }

    // MARK: - Warning headers

    /// Deprecations the API server announced on kubeskew's own requests.
    private func warningUses() -> [APIUse] {
        client.receivedWarnings.compactMap(WarningHeader.apiUse(fromWarning:))
    }
}
