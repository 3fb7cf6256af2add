/// Capped exponential backoff for reconnecting: initial, ×2 per failure, at most `maximum`, with up to
/// `jitter` (a fraction) added so many clients do not reconnect in step.
public struct Backoff: Sendable, Equatable {
    public let initial: Duration
    public let maximum: Duration
    public let jitter: Double
    public private(set) var failures = 0

    public init(initial: Duration = .milliseconds(500), maximum: Duration = .seconds(30), jitter: Double = 0.2) {
        self.initial = initial
        self.maximum = maximum
        self.jitter = jitter
    }

    /// The delay before the next attempt; `random` in 0..<1 picks the jitter.
    public mutating func next(random: Double = Double.random(in: 0..<1)) -> Duration {
        let exponent = min(failures, 30)
        failures += 1
        var delay = initial * (1 << exponent)
        if delay > maximum { delay = maximum }
        let extra = delay * (jitter * min(max(random, 0), 1))
        return min(delay + extra, maximum * (1 + jitter))
    }

    /// Called after a success: the next failure starts again from `initial`.
    public mutating func reset() { failures = 0 }
}
