import Logging
import Synchronization

/// Where API requests are logged: nowhere until a command installs a logger (`--log-file`). Process-wide because the
/// log file is: every client a command makes (completion, the removed-API scan's per-instance clients) logs to it.
public enum APILog {
    private static let installed = Mutex<Logger?>(nil)

    /// Sends every later request's line to `logger`.
    public static func install(_ logger: Logger) { installed.withLock { $0 = logger } }

    static var current: Logger? { installed.withLock { $0 } }

    /// One request: verb, path (no query: continue tokens and selectors are not the log's business), status or
    /// error, duration. Headers are never logged: they carry the credential.
    static func request(_ request: APIRequest, status: Int?, error: (any Error)?, elapsed: Duration) {
        guard let logger = current else { return }
        let ms = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        let outcome = status.map(String.init) ?? "failed: \(error.map { "\($0)" } ?? "no answer")"
        // A success is routine (-v); an error status or a failure shows at the default level too.
        let level: Logger.Level = status.map { $0 < 400 ? .info : .notice } ?? .warning
        logger.log(level: level, "\(request.method.rawValue) \(request.path) \(outcome) \(ms)ms")
    }
}
