import Synchronization

/// A thread-safe bag of the first lines of output, for ``NodeExecutor/collect(_:on:maxLines:)``.
final class LineCollector: Sendable {
    private let state: Mutex<[OutputLine]>
    private let maxLines: Int

    init(maxLines: Int) {
        self.state = Mutex([])
        self.maxLines = maxLines
    }

    func add(_ line: OutputLine) {
        state.withLock { lines in
            if lines.count < maxLines { lines.append(line) }
        }
    }

    var lines: [OutputLine] { state.withLock { $0 } }
}
