/// Faults the simulator injects, settable at start and at run time, so clients can be tested against a server
/// that is slow, failing, dropping watches, expiring them or rejecting an expired token.
public struct FaultSettings: Sendable, Equatable {
    /// Added before every API response.
    public var latencyMilliseconds: Int
    /// Fraction (0…1) of API requests answered with a 500 InternalError Status (health and version endpoints exempt).
    public var errorRate: Double
    /// Each watch connection ends cleanly after delivering this many events.
    public var dropWatchAfterEvents: Int?
    /// Each watch connection ends cleanly after this many seconds.
    public var dropWatchEverySeconds: Double?
    /// After this many events a watch receives an ERROR event with 410 Expired, and the history is compacted, so a
    /// resume from the last seen resourceVersion is refused and the client must relist.
    public var goneAfterWatchEvents: Int?
    /// The bearer token is expired: the token user gets 401 until `rotateToken()` issues a new one.
    public var tokenExpired: Bool
    /// Tokens expire this many seconds after being issued (nil: never).
    public var tokenLifetimeSeconds: Double?
    /// Fraction (0…1) of API requests refused with 429 Too Many Requests, as API Priority and Fairness refuses them.
    public var throttleRate: Double
    /// The next this-many API requests are refused with 429 (then none): deterministic, for tests.
    public var throttleNextRequests: Int
    /// The `Retry-After` seconds of those 429s (kube-apiserver says 1).
    public var throttleRetryAfterSeconds: Int
    /// How often an open watch with `allowWatchBookmarks` gets a BOOKMARK when the resourceVersion moved.
    public var bookmarkIntervalSeconds: Double
    /// API responses (watches aside) whose body never ends: a list begins, then one byte every 100 ms, for ever.
    public var endlessBodies: Bool
    /// API responses (watches aside) of this many MiB: a list padded with whitespace, valid JSON if read to the end.
    public var oversizedBodyMiB: Int

    public init(latencyMilliseconds: Int = 0, errorRate: Double = 0, dropWatchAfterEvents: Int? = nil,
                dropWatchEverySeconds: Double? = nil, goneAfterWatchEvents: Int? = nil, tokenExpired: Bool = false,
                tokenLifetimeSeconds: Double? = nil, bookmarkIntervalSeconds: Double = 10, throttleRate: Double = 0,
                throttleNextRequests: Int = 0, throttleRetryAfterSeconds: Int = 1, endlessBodies: Bool = false,
                oversizedBodyMiB: Int = 0) {
        self.latencyMilliseconds = latencyMilliseconds
        self.errorRate = errorRate
        self.dropWatchAfterEvents = dropWatchAfterEvents
        self.dropWatchEverySeconds = dropWatchEverySeconds
        self.goneAfterWatchEvents = goneAfterWatchEvents
        self.tokenExpired = tokenExpired
        self.tokenLifetimeSeconds = tokenLifetimeSeconds
        self.bookmarkIntervalSeconds = bookmarkIntervalSeconds
        self.throttleRate = throttleRate
        self.throttleNextRequests = throttleNextRequests
        self.throttleRetryAfterSeconds = throttleRetryAfterSeconds
        self.endlessBodies = endlessBodies
        self.oversizedBodyMiB = oversizedBodyMiB
    }

    /// No faults.
    public static let none = FaultSettings()
}
