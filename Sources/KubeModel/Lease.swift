import Foundation

/// A `coordination.k8s.io/v1` Lease: who holds something, since when, renewed when, for how long.
public struct Lease: Sendable, Codable, Equatable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: Spec

    public struct Spec: Sendable, Codable, Equatable {
        public var holderIdentity: String?
        public var leaseDurationSeconds: Int?
        /// MicroTime (RFC 3339 with microseconds, `2026-11-25T13:24:05.123456Z`).
        public var acquireTime: String?
        public var renewTime: String?
        public var leaseTransitions: Int?

        public init(holderIdentity: String? = nil, leaseDurationSeconds: Int? = nil, acquireTime: String? = nil,
                    renewTime: String? = nil, leaseTransitions: Int? = nil) {
            self.holderIdentity = holderIdentity
            self.leaseDurationSeconds = leaseDurationSeconds
            self.acquireTime = acquireTime
            self.renewTime = renewTime
            self.leaseTransitions = leaseTransitions
        }
    }

    public init(metadata: ObjectMeta, spec: Spec) {
        self.apiVersion = "coordination.k8s.io/v1"
        self.kind = "Lease"
        self.metadata = metadata
        self.spec = spec
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, spec }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try c.decodeIfPresent(String.self, forKey: .kind)
        metadata = try c.decode(ObjectMeta.self, forKey: .metadata)
        spec = try c.decodeIfPresent(Spec.self, forKey: .spec) ?? Spec()
    }

    /// The holder, nil when none (a released lease has an empty or absent holderIdentity).
    public var holder: String? {
        guard let h = spec.holderIdentity, !h.isEmpty else { return nil }
        return h
    }

    /// When the lease runs out: renewTime (else acquireTime) plus its duration; nil when either is missing.
    public var expiresAt: Date? {
        guard let seconds = spec.leaseDurationSeconds, seconds > 0,
              let renewed = (spec.renewTime ?? spec.acquireTime).flatMap(MicroTime.parse) else { return nil }
        return renewed.addingTimeInterval(TimeInterval(seconds))
    }
}

/// Kubernetes MicroTime: RFC 3339 in UTC with exactly six fractional digits, as the API server writes it.
public enum MicroTime {
    public static func format(_ date: Date) -> String {
        let seconds = floor(date.timeIntervalSince1970)
        var micros = Int(((date.timeIntervalSince1970 - seconds) * 1_000_000).rounded(.down))
        micros = min(max(micros, 0), 999_999)
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        let whole = f.string(from: Date(timeIntervalSince1970: seconds))
        let fraction = String(micros)
        return whole.dropLast() + "." + String(repeating: "0", count: 6 - fraction.count) + fraction + "Z"
    }

    /// Reads RFC 3339 with or without fractional seconds (any number of digits); nil when it is not one.
    public static func parse(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = f.date(from: text) { return date }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text)
    }
}
