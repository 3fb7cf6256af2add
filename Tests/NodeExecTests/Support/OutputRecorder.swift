import Synchronization
@testable import NodeExec

/// Collects output lines with the time each arrived, for streaming assertions.
final class OutputRecorder: Sendable {
    struct Entry: Sendable {
        let line: OutputLine
        let at: ContinuousClock.Instant
    }

    private let entries = Mutex<[Entry]>([])

    var handler: OutputHandler {
        { [self] line in self.record(line) }
    }

    func record(_ line: OutputLine) {
        entries.withLock { $0.append(Entry(line: line, at: .now)) }
    }

    var all: [Entry] { entries.withLock { $0 } }
    var texts: [String] { all.map(\.line.text) }
    func texts(from source: OutputSource) -> [String] { all.filter { $0.line.source == source }.map(\.line.text) }

    /// Waits until a line containing `needle` arrived, or the deadline passed; returns the line.
    func waitForLine(containing needle: String, within limit: Duration = .seconds(10)) async -> OutputLine? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let found = all.first(where: { $0.line.text.contains(needle) }) { return found.line }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }
}
