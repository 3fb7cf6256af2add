import Foundation

/// What the server's leaf certificate says about itself, for explaining a TLS verification failure.
struct CertificateFacts: Sendable, Equatable {
    var commonName: String?
    var dnsNames: [String]
    var ipAddresses: [String]
    var notBefore: Date
    var notAfter: Date

    /// "CN=kube-apiserver" or "the server certificate" when it has no common name.
    var label: String {
        commonName.map { "the server certificate (CN=\($0))" } ?? "the server certificate"
    }
}

/// Explains, from the certificate's facts, why verification failed: expired, not yet valid, issued for other
/// names, or signed by an authority the kubeconfig does not trust.
enum CertificateDiagnosis {
    static func explain(
        _ facts: CertificateFacts, host: String, now: Date, chainTrusted: Bool, trustSource: String
    ) -> String {
        if now > facts.notAfter {
            return "\(facts.label) expired on \(format(facts.notAfter)); renew the API server certificate"
        }
        if now < facts.notBefore {
            return "\(facts.label) is not valid before \(format(facts.notBefore)); check the clocks of this machine "
                + "and the server"
        }
        if !chainTrusted {
            return "\(facts.label) is signed by an unknown authority: it does not chain to \(trustSource); "
                + "fix certificate-authority(-data) in the kubeconfig"
        }
        if !matches(host: host, facts: facts) {
            let names = facts.dnsNames + facts.ipAddresses
            let list = names.isEmpty ? "no names at all" : names.joined(separator: ", ")
            return "\(facts.label) is valid for \(list), not for \(host); use a matching server URL or set "
                + "tls-server-name in the kubeconfig"
        }
        return "\(facts.label) was rejected"
    }

    /// RFC 6125 matching as BoringSSL does it: IP literals against IP SANs, names against DNS SANs with a
    /// single leftmost wildcard label.
    static func matches(host: String, facts: CertificateFacts) -> Bool {
        let host = host.lowercased()
        if host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) {
            return facts.ipAddresses.contains { $0.lowercased() == host }
        }
        for name in facts.dnsNames.map({ $0.lowercased() }) {
            if name == host { return true }
            if name.hasPrefix("*."), let dot = host.firstIndex(of: "."), host[dot...] == name.dropFirst() {
                return true
            }
        }
        return false
    }

    static func format(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }

    /// An IP SAN's raw bytes as text (4 bytes dotted, 16 bytes as IPv6 groups).
    static func ipText(_ bytes: [UInt8]) -> String? {
        switch bytes.count {
        case 4:
            return bytes.map(String.init).joined(separator: ".")
        case 16:
            let groups = stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            return compressIPv6(groups)
        default:
            return nil
        }
    }

    private static func compressIPv6(_ groups: [String]) -> String {
        // Replace the longest run of zero groups with "::".
        var bestStart = -1, bestLength = 0, index = 0
        while index < groups.count {
            if groups[index] == "0" {
                var end = index
                while end < groups.count && groups[end] == "0" { end += 1 }
                if end - index > bestLength { bestStart = index; bestLength = end - index }
                index = end
            } else {
                index += 1
            }
        }
        guard bestLength > 1 else { return groups.joined(separator: ":") }
        let head = groups[..<bestStart].joined(separator: ":")
        let tail = groups[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }
}
