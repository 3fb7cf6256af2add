import Foundation

/// The on-disk record of runs: `<state>/kubeskew/runs/<id>/{plan.json,state.json,logs/<node>/<step>.log}`.
/// Files are 0600 and folders 0700; state is replaced atomically so a crash never leaves half a file.
public struct Journal: Sendable {
    public let root: URL

    /// Errors reading or writing the journal, naming the file.
    public struct JournalError: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// `$XDG_STATE_HOME/kubeskew/runs`, else `~/.local/state/kubeskew/runs`.
    public static func defaultRoot(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg).appendingPathComponent("kubeskew/runs")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/state/kubeskew/runs")
    }

    /// The demo's runs, kept apart from live ones: `$XDG_STATE_HOME/kubeskew/demo/runs`, else
    /// `~/.local/state/kubeskew/demo/runs`. A demo run acts on the demo's simulated cluster only.
    public static func demoRoot(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        defaultRoot(environment: environment).deletingLastPathComponent().appendingPathComponent("demo/runs")
    }

    public init(root: URL = Journal.defaultRoot()) {
        self.root = root
    }

    public func runDirectory(_ id: String) -> URL { root.appendingPathComponent(id) }

    /// Creates the run's folder and writes its plan; refuses an id already used.
    public func create(_ plan: RunPlan) throws {
        let dir = runDirectory(plan.id)
        guard !FileManager.default.fileExists(atPath: dir.path) else {
            throw JournalError(message: "\(dir.path): a run with this id exists already")
        }
        try makeDirectory(dir)
        try writeJSON(plan, to: dir.appendingPathComponent("plan.json"))
    }

    /// Rewrites the plan of an existing run (a resume that changed its options): the journal keeps saying what runs.
    public func replacePlan(_ plan: RunPlan) throws {
        let file = runDirectory(plan.id).appendingPathComponent("plan.json")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw JournalError(message: "\(file.path): no such run to update")
        }
        try writeJSON(plan, to: file)
    }

    public func save(_ state: RunState) throws {
        try writeJSON(state, to: runDirectory(state.runID).appendingPathComponent("state.json"))
    }

    public func loadPlan(_ id: String) throws -> RunPlan {
        try readJSON(RunPlan.self, from: runDirectory(id).appendingPathComponent("plan.json"))
    }

    /// The run's state: `state.json`, and the lines of `state.log` newer than it (a large run, see `StateWriter`).
    /// A line that cannot be read ends the replay: only the last one can be cut short (a crash while appending).
    public func loadState(_ id: String) throws -> RunState {
        var state = try readJSON(RunState.self, from: runDirectory(id).appendingPathComponent("state.json"))
        guard let log = try? Data(contentsOf: stateLog(id)) else { return state }
        let decoder = JSONDecoder()
        for line in log.split(separator: 0x0A) {
            guard let entry = try? decoder.decode(StateLogLine.self, from: line) else { break }
            guard entry.sequence > state.journalSequence ?? 0 else { continue }
            guard entry.apply(to: &state) else { break }
        }
        return state
    }

    private func stateLog(_ id: String) -> URL { runDirectory(id).appendingPathComponent("state.log") }

    /// Appends one line to the run's `state.log` (0600), in one write.
    func appendStateLog(_ line: StateLogLine, runID: String) throws {
        let url = stateLog(runID)
        var data: Data
        do { data = try JSONEncoder().encode(line) } catch { throw JournalError(message: "\(url.path): \(error)") }
        data.append(0x0A)
        let fd = open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw JournalError(message: "\(url.path): cannot be opened (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == data.count else {
            throw JournalError(message: "\(url.path): cannot be appended to (\(written < 0 ? String(cString: strerror(errno)) : "short write"))")
        }
    }

    /// Removes the run's `state.log` once a snapshot includes it.
    func removeStateLog(runID: String) {
        unlink(stateLog(runID).path)
    }

    /// The log of one step; created 0600 on first use.
    public func logFile(run id: String, node: String, step: String) throws -> URL {
        let dir = runDirectory(id).appendingPathComponent("logs").appendingPathComponent(node)
        try makeDirectory(dir)
        let file = dir.appendingPathComponent("\(step).log")
        if !FileManager.default.fileExists(atPath: file.path) {
            guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw JournalError(message: "\(file.path): cannot be created")
            }
        }
        return file
    }

    /// Every run id in the journal, newest first (ids start with a sortable timestamp).
    public func runIDs() -> [String] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return ids.filter { FileManager.default.fileExists(atPath: runDirectory($0).appendingPathComponent("plan.json").path) }
            .sorted(by: >)
    }

    /// Runs that did not finish and whose process is gone: a crash, a lost terminal, `kill -9`.
    public func interruptedRuns(isAlive: (Int32) -> Bool = Journal.processIsAlive) -> [RunState] {
        runIDs().compactMap { try? loadState($0) }.filter { !$0.isFinished && !isDriven($0, isAlive: isAlive) }
    }

    /// The run to offer for resume at start: the newest resumable run (see `RunState.isResumable`) whose process
    /// is gone, unless the operator declined it. Older resumable runs are not offered: the newest one is what the
    /// operator last did, and declining it means "start over".
    public func resumableRun(isAlive: (Int32) -> Bool = Journal.processIsAlive) -> RunState? {
        guard let newest = resumableRuns(isAlive: isAlive).first, newest.resumeDeclinedAt == nil else { return nil }
        return newest
    }

    /// The run to offer for resume at start on the cluster `current` names: the newest resumable run of that
    /// cluster, reached through the same kubeconfig and context (see ``RunIdentity/sameCluster(as:)``), whose process
    /// is gone, unless the operator declined it. Runs of other clusters, and runs that recorded no cluster, are never
    /// offered.
    public func resumableRun(of current: RunIdentity, isAlive: (Int32) -> Bool = Journal.processIsAlive) -> RunState? {
        let ours = resumableRuns(isAlive: isAlive).first { state in
            (try? loadPlan(state.runID))?.identity.map { $0.sameCluster(as: current) } ?? false
        }
        guard let ours, ours.resumeDeclinedAt == nil else { return nil }
        return ours
    }

    /// Every resumable run whose process is gone, newest first, declined ones included (`history` lists them).
    public func resumableRuns(isAlive: (Int32) -> Bool = Journal.processIsAlive) -> [RunState] {
        runIDs().compactMap { try? loadState($0) }.filter { $0.isResumable && !isDriven($0, isAlive: isAlive) }
    }

    /// Remembers that the operator declined to resume `runID`, so the dashboard does not ask again.
    public func declineResume(_ runID: String, at time: String) throws {
        var state = try loadState(runID)
        state.resumeDeclinedAt = time
        try save(state)
    }

    /// Whether the process that owns a run still exists. A zombie does not count: it has exited and only waits for
    /// its parent (a terminal multiplexer, a supervisor) to collect it, so it drives nothing.
    public static func processIsAlive(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let end = stat.lastIndex(of: ")") {
            let state = stat[stat.index(after: end)...].drop { $0 == " " }.first
            if state == "Z" || state == "X" { return false }
        }
        return true
    }

    // MARK: files

    private func makeDirectory(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw JournalError(message: "\(url.path): cannot create the journal folder (\(error.localizedDescription))")
        }
    }

    private func writeJSON(_ value: some Encodable, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do { data = try encoder.encode(value) } catch { throw JournalError(message: "\(url.path): \(error)") }
        do { try AtomicFile.replace(url, with: data) } catch { throw JournalError(message: error.message) }
    }

    private func readJSON<T: Decodable>(_ type: T.Type, from url: URL) throws -> T {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw JournalError(message: "\(url.path): cannot be read") }
        do { return try JSONDecoder().decode(type, from: data) } catch {
            throw JournalError(message: "\(url.path): not a kubeskew journal file (\(error))")
        }
    }
}

/// Appends a step's output to its log as it comes.
public final class StepLog: @unchecked Sendable {
    private let handle: FileHandle?
    private let lock = NSLock()
    /// The newest lines, kept in memory so a failure can say why (kubectl drain's cause is in its output).
    private var recent: [String] = []
    private static let recentLimit = 200

    public init(_ url: URL) {
        handle = try? FileHandle(forWritingTo: url)
        _ = try? handle?.seekToEnd()
    }

    public func append(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        try? handle?.write(contentsOf: Data((line + "\n").utf8))
        recent.append(line)
        if recent.count > Self.recentLimit { recent.removeFirst(recent.count - Self.recentLimit) }
    }

    /// The newest lines written (at most 200).
    public var recentLines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return recent
    }

    deinit { try? handle?.close() }
}
