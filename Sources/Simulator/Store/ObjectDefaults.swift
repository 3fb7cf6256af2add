import Foundation

/// Server-side metadata the real API server fills in, in the order Go writes ObjectMeta fields.
enum ObjectDefaults {
    static let metadataOrder = ["name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
                                "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels",
                                "annotations", "ownerReferences", "finalizers", "managedFields"]

    /// Sets uid, resourceVersion and creationTimestamp (when absent) and orders metadata like the server.
    static func stampMetadata(_ object: inout JSONValue, resourceVersion: Int, now: Date = Date()) {
        var metadata = object["metadata"] ?? .object([])
        if metadata["uid"] == nil { metadata["uid"] = .string(UUID().uuidString.lowercased()) }
        metadata["resourceVersion"] = .string(String(resourceVersion))
        if metadata["creationTimestamp"] == nil || metadata["creationTimestamp"]?.isNull == true {
            metadata["creationTimestamp"] = .string(Timestamps.rfc3339(now))
        }
        object["metadata"] = ordered(metadata)
    }

    static func ordered(_ metadata: JSONValue) -> JSONValue {
        guard let members = metadata.objectValue else { return metadata }
        let known = metadataOrder.compactMap { key in members.first(where: { $0.0 == key }) }
        let rest = members.filter { !metadataOrder.contains($0.0) }
        return .object(known + rest)
    }
}

/// Time formats of the API: RFC 3339 with whole seconds, and the "age" column's human duration.
public enum Timestamps {
    /// `2026-11-25T13:17:19Z`.
    public static func rfc3339(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }

    /// Parses `rfc3339` output (and fractional-second forms).
    public static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// k8s.io/apimachinery/pkg/util/duration.HumanDuration, which the AGE column uses.
    public static func humanDuration(_ interval: TimeInterval) -> String {
        let seconds = Int(interval)
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 120 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 {
            let s = seconds % 60
            return s == 0 ? "\(minutes)m" : "\(minutes)m\(s)s"
        }
        if minutes < 180 { return "\(minutes)m" }
        let hours = seconds / 3600
        if hours < 8 {
            let m = minutes % 60
            return m == 0 ? "\(hours)h" : "\(hours)h\(m)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let h = hours % 24
            return h == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(h)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let days = (hours / 24) % 365
            return days == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(days)d"
        }
        return "\(hours / 24 / 365)y"
    }
}
