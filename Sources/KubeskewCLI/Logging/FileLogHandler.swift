import Foundation
import Logging
import Synchronization

/// A swift-log handler that appends one line per message to a file, and nothing else: the dashboard owns the
/// terminal, so the log never goes to stdout or stderr.
struct FileLogHandler: LogHandler {
    /// The open file, shared by every logger of the process; lines are written whole, one writer at a time.
    final class Sink: Sendable {
        private let handle: Mutex<FileHandle>

        /// Opens `path` for appending, creating it 0600 (a log names nodes and servers; it is nobody else's).
        init(path: String) throws(OperatorError) {
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                throw OperatorError(message: "--log-file \(path): cannot be opened for writing (\(String(cString: strerror(errno))))")
            }
            handle = Mutex(FileHandle(fileDescriptor: fd, closeOnDealloc: true))
        }

        func write(_ line: String) {
            handle.withLock { try? $0.write(contentsOf: Data(line.utf8)) }
        }
    }

    let label: String
    let sink: Sink
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let fields = merged.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        let time = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
        sink.write("\(time) \(event.level) \(label): \(event.message)\(fields)\n")
    }
}
