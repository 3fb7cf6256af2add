/// SplitMix64: a small deterministic generator so a seed always yields the same cluster.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` lowercase hex digits.
    public mutating func hex(_ count: Int) -> String {
        let digits = Array("0123456789abcdef")
        var out = ""
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(digits[Int(next() & 15)]) }
        return out
    }

    /// A random UUID in canonical form.
    public mutating func uuid() -> String {
        var c = Array(hex(32))
        // Version 4, RFC 4122 variant, as Kubernetes' uids are.
        c[12] = "4"
        c[16] = Array("89ab")[Int(next() & 3)]
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-" + String(c[20..<32])
    }

    /// A pod-name suffix like `x7k2p` (Kubernetes' alphabet without vowels).
    public mutating func podSuffix(_ count: Int = 5) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<count).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] })
    }
}
