import Foundation
import SkewCore

/// `kubeadm certs check-expiration` on a simulated node: kubeadm's two tables (leaf certificates and kubeconfigs,
/// then CAs), with EXPIRES in kubeadm's layout and RESIDUAL TIME as apimachinery's HumanDuration prints it.
struct KubeadmCertificates {
    /// When the node's leaf certificates expire; nil on a node without them (a worker).
    let leafExpiry: Date?
    /// When the CAs expire (kubeadm's ten years from `kubeadm init`).
    let caExpiry: Date
    let hasEtcd: Bool
    /// super-admin.conf is written by `kubeadm init` only: joined control-plane nodes lack it.
    let hasSuperAdmin: Bool
    let kubeadm: KubeVersion
    let now: Date

    func lines() -> [String] {
        var leaves: [(String, String)] = [("admin.conf", "ca"), ("apiserver", "ca")]
        if hasEtcd { leaves.append(("apiserver-etcd-client", "etcd-ca")) }
        leaves.append(("apiserver-kubelet-client", "ca"))
        leaves.append(("controller-manager.conf", "ca"))
        if hasEtcd { leaves += [("etcd-healthcheck-client", "etcd-ca"), ("etcd-peer", "etcd-ca"), ("etcd-server", "etcd-ca")] }
        leaves += [("front-proxy-client", "front-proxy-ca"), ("scheduler.conf", "ca")]
        let superAdmin = KubeadmRelease(version: kubeadm).hasSuperAdmin
        var rows: [[String]] = [["CERTIFICATE", "EXPIRES", "RESIDUAL TIME", "CERTIFICATE AUTHORITY", "EXTERNALLY MANAGED"]]
        for (name, ca) in leaves {
            if let leafExpiry {
                rows.append([name, Self.expires(leafExpiry), Self.humanDuration(leafExpiry.timeIntervalSince(now)), ca, "no"])
            } else {
                rows.append(["!MISSING! \(name)", "", "", "", ""])
            }
        }
        if superAdmin {
            if hasSuperAdmin, let leafExpiry {
                rows.append(["super-admin.conf", Self.expires(leafExpiry), Self.humanDuration(leafExpiry.timeIntervalSince(now)), "ca", "no"])
            } else {
                rows.append(["!MISSING! super-admin.conf", "", "", "", ""])
            }
        }
        var cas: [[String]] = [["CERTIFICATE AUTHORITY", "EXPIRES", "RESIDUAL TIME", "EXTERNALLY MANAGED"]]
        for name in hasEtcd ? ["ca", "etcd-ca", "front-proxy-ca"] : ["ca", "front-proxy-ca"] {
            cas.append(leafExpiry == nil ? ["!MISSING! \(name)", "", "", ""]
                : [name, Self.expires(caExpiry), Self.humanDuration(caExpiry.timeIntervalSince(now)), "no"])
        }
        return ["[check-expiration] Reading configuration from the cluster...",
                "[check-expiration] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'", ""]
            + TabWriter.lines(rows) + [""] + TabWriter.lines(cas)
    }

    /// `Apr 09, 2024 09:17 UTC`.
    static func expires(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "MMM dd, yyyy HH:mm 'UTC'"
        return f.string(from: date)
    }

    /// k8s.io/apimachinery's `duration.HumanDuration`: "348d", "6y362d", "9y", "<invalid>" once expired.
    static func humanDuration(_ interval: TimeInterval) -> String {
        let seconds = Int(interval)
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 120 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 { return seconds % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(seconds % 60)s" }
        if minutes < 180 { return "\(minutes)m" }
        let hours = seconds / 3600
        if hours < 8 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 { return hours % 24 == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(hours % 24)h" }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let days = (hours / 24) % 365
            return days == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(days)d"
        }
        return "\(hours / 24 / 365)y"
    }
}
