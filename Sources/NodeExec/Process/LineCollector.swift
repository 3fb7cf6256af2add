import Synchronization

/// A thread-safe bag of the first lines of output, for ``NodeExecutor/collect(_:on:maxLines:)`` and the engine's reads.
public final class LineCollector: Sendable {
    private let state: Mutex<[OutputLine]>
    private let maxLines: Int

    public init(maxLines: Int) {
        self.state = Mutex([])
        self.maxLines = maxLines
    }

    public func add(_ line: OutputLine) {
        state.withLock { lines in
            if lines.count < maxLines { lines.append(line) }
        }
    }

    public var lines: [OutputLine] { state.withLock { $0 } }
}
