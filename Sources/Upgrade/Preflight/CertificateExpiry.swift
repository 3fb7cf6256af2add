import Foundation

/// What `kubeadm certs check-expiration` says of a control-plane node's certificates: its two tables (leaf
/// certificates and kubeconfigs, then CAs), read back (EXPIRES like `Apr 09, 2024 09:17 UTC`; `!MISSING! name`).
public struct CertificateExpiry: Sendable, Equatable {
    /// One row of either table.
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var isAuthority: Bool
        /// Nil when the file is missing.
        public var expires: Date?
    }

    public var entries: [Entry]

    /// Reads kubeadm's output; rows it cannot read are left out (the output is shown in full elsewhere).
    public static func parse(_ lines: [String]) -> CertificateExpiry {
        var entries: [Entry] = []
        var authority: Bool?
        for raw in lines {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("CERTIFICATE AUTHORITY") { authority = true; continue }
            if line.hasPrefix("CERTIFICATE ") { authority = false; continue }
            guard let isAuthority = authority, !line.isEmpty, !line.hasPrefix("[") else { continue }
            if line.hasPrefix("!MISSING!") {
                entries.append(Entry(name: line.dropFirst("!MISSING!".count).trimmingCharacters(in: .whitespaces), isAuthority: isAuthority, expires: nil))
                continue
            }
            // Columns are separated by two or more spaces; EXPIRES itself has single spaces.
            let columns = line.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard columns.count >= 2, let date = expiresFormat.date(from: columns[1]) else { continue }
            entries.append(Entry(name: columns[0], isAuthority: isAuthority, expires: date))
        }
        return CertificateExpiry(entries: entries)
    }

    private static let expiresFormat: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "MMM dd, yyyy HH:mm 'UTC'"
        return f
    }()

    /// What must stop an upgrade: an expired certificate or CA (kubeadm cannot reach the API server with an expired
    /// admin.conf, and renews leaves only on a successful upgrade). Nil when nothing has.
    public func blocking(on node: String, now: Date) -> String? {
        blockingReason(now: now).map { "\(node): \($0)" }
    }

    /// The same, without the node's name.
    public func blockingReason(now: Date) -> String? {
        let expired = entries.filter { ($0.expires ?? .distantFuture) <= now }
        guard !expired.isEmpty else { return nil }
        let names = expired.map(\.name).joined(separator: ", ")
        if expired.contains(where: \.isAuthority) {
            return "certificate authority expired (\(names)): kubeadm does not renew CAs; rotate them (kubernetes.io, \"Manual rotation of CA certificates\") before any upgrade"
        }
        return "certificates expired (\(names)): run `sudo kubeadm certs renew all` there and restart the control-plane static pods, then plan again"
    }

    /// What the operator should know before anything runs: leaves or CAs that expire within `within`. kubeadm
    /// renews the leaves on `upgrade apply|node`; CAs it does not.
    public func warnings(on node: String, now: Date, within: TimeInterval = 30 * 86_400) -> [String] {
        var out: [String] = []
        let soon = entries.filter { entry in entry.expires.map { $0 > now && $0.timeIntervalSince(now) < within } ?? false }
        let leaves = soon.filter { !$0.isAuthority }
        if let first = leaves.compactMap(\.expires).min() {
            out.append("\(node): certificates expire in \(Self.days(first.timeIntervalSince(now))) (\(leaves.map(\.name).joined(separator: ", "))); kubeadm upgrade renews them")
        }
        let authorities = soon.filter(\.isAuthority)
        if let first = authorities.compactMap(\.expires).min() {
            out.append("\(node): certificate authority expires in \(Self.days(first.timeIntervalSince(now))) (\(authorities.map(\.name).joined(separator: ", "))); kubeadm does not renew CAs")
        }
        let missing = entries.filter { $0.expires == nil }.map(\.name)
        if !missing.isEmpty { out.append("\(node): kubeadm reports missing: \(missing.joined(separator: ", "))") }
        return out
    }

    static func days(_ interval: TimeInterval) -> String {
        let days = Int(interval / 86_400)
        return days >= 1 ? "\(days) day\(days == 1 ? "" : "s")" : "\(max(1, Int(interval / 3600))) h"
    }
}
