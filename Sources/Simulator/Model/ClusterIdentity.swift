import Crypto
import Foundation

/// The uids of a simulated cluster's namespaces, as a real cluster has them: made when the cluster is created,
/// different for every cluster, the same for as long as it lives. kubeskew names a cluster by its kube-system uid,
/// so two simulators of one scenario must differ, and a simulator restarted with its `--pki-file` (the same CA,
/// "the same server") or from a saved image must keep them.
enum ClusterIdentity {
    /// A version-4-shaped uid for `namespace`, derived from the cluster's CA certificate.
    static func namespaceUID(_ namespace: String, caCertificatePEM: String) -> String {
        let digest = Array(SHA256.hash(data: Data((caCertificatePEM + "\u{0}namespace/" + namespace).utf8)))
        var hex = Array(digest.prefix(16).map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined())
        hex[12] = "4"
        hex[16] = Array("89ab")[Int(digest[8] & 3)]
        let c = hex
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-" + String(c[20..<32])
    }

    /// The built objects with each namespace's uid made this cluster's own.
    static func stamped(_ objects: [(ResourceType, JSONValue)], caCertificatePEM: String) -> [(ResourceType, JSONValue)] {
        objects.map { type, object in
            guard type == .namespaces, let name = object[["metadata", "name"]]?.stringValue else { return (type, object) }
            var stamped = object
            stamped.set(["metadata", "uid"], .string(namespaceUID(name, caCertificatePEM: caCertificatePEM)))
            return (type, stamped)
        }
    }
}
