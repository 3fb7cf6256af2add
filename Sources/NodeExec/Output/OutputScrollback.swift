import DequeModule

/// The last lines of a command's output, bounded by a line count and a byte budget.
///
/// When either bound is exceeded the oldest lines are dropped (and counted), so a step printing 100 MB keeps a
/// fixed amount of memory whatever the consumer does.
public struct OutputScrollback: Sendable {
    /// Most lines kept.
    public let maxLines: Int
    /// Most bytes kept, counted by ``cost(of:)``.
    public let maxBytes: Int
    /// The kept lines, oldest first.
    public private(set) var lines: Deque<OutputLine> = []
    /// The bytes the kept lines account for.
    public private(set) var byteCount = 0
    /// How many lines were dropped to stay within bounds.
    public private(set) var droppedLineCount = 0
    /// How many lines were appended in total.
    public private(set) var totalLineCount = 0

    /// Creates an empty scrollback; both bounds are at least 1.
    public init(maxLines: Int = 10_000, maxBytes: Int = 4 << 20) {
        self.maxLines = max(1, maxLines)
        self.maxBytes = max(1, maxBytes)
    }

    /// Adds a line at the end, dropping the oldest lines as needed.
    public mutating func append(_ line: OutputLine) {
        totalLineCount += 1
        let cost = Self.cost(of: line)
        lines.append(line)
        byteCount += cost
        while lines.count > maxLines || (byteCount > maxBytes && !lines.isEmpty) {
            let dropped = lines.removeFirst()
            byteCount -= Self.cost(of: dropped)
            droppedLineCount += 1
        }
    }

    /// Forgets every line (the counters of dropped and total lines stay).
    public mutating func removeAll() {
        droppedLineCount += lines.count
        lines.removeAll()
        byteCount = 0
    }

    /// Number of kept lines.
    public var count: Int { lines.count }

    /// The last `n` kept lines, oldest first.
    public func suffix(_ n: Int) -> [OutputLine] {
        Array(lines.suffix(max(0, n)))
    }

    /// What a line is charged against the byte budget: its UTF-8 text (twice when styled runs hold their own copy)
    /// plus a fixed overhead per line and per run.
    public static func cost(of line: OutputLine) -> Int {
        let runs = line.content.runs.count
        return line.content.text.utf8.count * (runs > 1 ? 2 : 1) + 64 + 32 * runs
    }
}
