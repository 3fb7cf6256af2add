import Foundation

/// The API server URL of a cluster entry, checked and split into what the HTTP client needs.
struct ServerEndpoint: Equatable {
    let url: String
    let host: String
    let port: Int
    let usesTLS: Bool

    static func parse(_ server: String, cluster: String) throws(KubeClientError) -> ServerEndpoint {
        let trimmed = server.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw .invalidServerURL(cluster: cluster, server: server, reason: "the cluster has no server")
        }
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased() else {
            throw .invalidServerURL(cluster: cluster, server: server, reason: "it does not parse as a URL")
        }
        guard scheme == "https" || scheme == "http" else {
            throw .invalidServerURL(
                cluster: cluster, server: server, reason: "the scheme must be https (or http), not \(scheme)")
        }
        var host = components.host ?? ""
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else {
            throw .invalidServerURL(cluster: cluster, server: server, reason: "it has no host")
        }
        if components.user != nil || components.password != nil {
            throw .invalidServerURL(
                cluster: cluster, server: "<redacted>", reason: "credentials in the URL are not allowed")
        }
        if components.query != nil || components.fragment != nil {
            throw .invalidServerURL(cluster: cluster, server: server, reason: "it must not have a query or fragment")
        }
        let usesTLS = scheme == "https"
        let port = components.port ?? (usesTLS ? 443 : 80)
        guard (1...65535).contains(port) else {
            throw .invalidServerURL(cluster: cluster, server: server, reason: "port \(port) is out of range")
        }
        var url = trimmed
        while url.hasSuffix("/") { url.removeLast() }
        return ServerEndpoint(url: url, host: host, port: port, usesTLS: usesTLS)
    }
}
