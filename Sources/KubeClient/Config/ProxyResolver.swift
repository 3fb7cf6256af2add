import Foundation

/// Picks the proxy for the API server as kubectl does: the cluster's `proxy-url`, else `HTTPS_PROXY` /
/// `HTTP_PROXY` unless `NO_PROXY` excludes the host; loopback addresses are never proxied.
enum ProxyResolver {
    static func resolve(
        proxyURL: String?, cluster: String, serverHost: String, usesTLS: Bool, environment: [String: String]
    ) throws(KubeClientError) -> ProxySetting? {
        if let proxyURL, !proxyURL.isEmpty {
            return try parse(proxyURL, cluster: cluster)
        }
        let names = usesTLS ? ["HTTPS_PROXY", "https_proxy"] : ["HTTP_PROXY", "http_proxy"]
        guard let fromEnvironment = names.lazy.compactMap({ environment[$0] }).first(where: { !$0.isEmpty }) else {
            return nil
        }
        if isLoopback(serverHost) { return nil }
        let noProxy = environment["NO_PROXY"] ?? environment["no_proxy"] ?? ""
        if excluded(host: serverHost, noProxy: noProxy) { return nil }
        // Go accepts a bare "host:port" in the environment and assumes http.
        let withScheme = fromEnvironment.contains("://") ? fromEnvironment : "http://" + fromEnvironment
        return try parse(withScheme, cluster: cluster)
    }

    static func parse(_ text: String, cluster: String) throws(KubeClientError) -> ProxySetting {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw .unsupportedProxy(cluster: cluster, proxy: redacted(text), reason: "it does not parse as a URL")
        }
        switch scheme {
        case "http":
            return .http(
                host: host, port: components.port ?? 80, username: components.user,
                password: components.password.map(Secret.init))
        case "socks5":
            if components.user != nil {
                throw .unsupportedProxy(
                    cluster: cluster, proxy: redacted(text), reason: "SOCKS5 with a username is not supported")
            }
            return .socks5(host: host, port: components.port ?? 1080)
        case "https":
            throw .unsupportedProxy(
                cluster: cluster, proxy: redacted(text),
                reason: "TLS to the proxy itself (https://) is not supported; use an http:// or socks5:// proxy")
        default:
            throw .unsupportedProxy(
                cluster: cluster, proxy: redacted(text), reason: "the scheme \(scheme) is not http or socks5")
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "::1"
    }

    /// Go's `NO_PROXY` matching: `*`, exact hosts, domain suffixes (`.example.com` or `example.com`).
    static func excluded(host: String, noProxy: String) -> Bool {
        let host = host.lowercased()
        for raw in noProxy.split(separator: ",") {
            var entry = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if entry.isEmpty { continue }
            if entry == "*" { return true }
            if let colon = entry.lastIndex(of: ":"), !entry.contains("]"), entry.filter({ $0 == ":" }).count == 1 {
                entry = String(entry[..<colon])
            }
            if entry.hasPrefix("*.") { entry.removeFirst() }
            if host == entry { return true }
            let suffix = entry.hasPrefix(".") ? entry : "." + entry
            if host.hasSuffix(suffix) { return true }
        }
        return false
    }

    /// The proxy URL without its password, for messages.
    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "redacted"
        return components.string ?? "<proxy>"
    }
}
