import Subprocess
import Synchronization
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Runs one local child process the way every executor needs it: in its own process group, with no stdin,
/// streaming sanitized lines from stdout and stderr while it runs, and stopping the whole group on timeout or
/// cancellation (SIGTERM, then SIGKILL after the grace period).
struct ProcessRunner: Sendable {
    /// Longest raw line kept before it is cut; see ``LineAssembler``.
    var maxLineBytes = 64 << 10
    /// How stdout/stderr lines are made safe.
    var sanitizer = OutputSanitizer()
    /// Time between SIGTERM and SIGKILL to the group.
    var terminationGrace: Duration = .seconds(1)
    /// How many stderr lines are kept for error classification.
    var stderrTailLength = 20

    /// What the caller sees after the child ended: the result plus the stderr tail used to explain failures.
    func run(executable: String, arguments: [String], environment: [String: String], timeout: Duration?,
             onOutput: @escaping OutputHandler) async throws(ExecutorError) -> ExecutionResult {
        let clock = ContinuousClock()
        let start = clock.now
        let timer = TimeoutFlag()
        let counters = OutputCounters(tailLength: stderrTailLength)
        let pump = OutputPump(maxLineBytes: maxLineBytes, sanitizer: sanitizer, counters: counters, onOutput: onOutput)
        let grace = terminationGrace
        let leader = LeaderPID()

        let termination: TerminationStatus?
        var launchError: (any Error)?
        do {
            termination = try await withThrowingTaskGroup(of: TerminationStatus?.self) { group in
                group.addTask {
                    try await Self.launch(executable: executable, arguments: arguments, environment: environment,
                                          grace: grace, pump: pump, leader: leader)
                }
                if let timeout {
                    group.addTask {
                        // A cancelled timer (the child finished first) is not a timeout.
                        guard (try? await Task.sleep(for: timeout)) != nil else { return nil }
                        timer.fire()
                        return nil
                    }
                }
                while let next = try await group.next() {
                    if let status = next {
                        group.cancelAll()
                        return status
                    }
                    // The timer fired: cancelling the child task makes Subprocess tear the group down.
                    if timer.hasFired { group.cancelAll() }
                }
                return nil
            }
        } catch {
            termination = nil
            launchError = error
        }

        // Subprocess's teardown stops once the leader is gone: a member that ignored SIGTERM would be left behind.
        if timer.hasFired || Task.isCancelled, let pgid = leader.pid {
            await ProcessGroupEnder.end(pgid, grace: grace)
        }
        let duration = clock.now - start
        let status: ExitStatus
        if timer.hasFired {
            status = .timedOut
        } else if Task.isCancelled {
            status = .cancelled
        } else if let termination {
            switch termination {
            case .exited(let code): status = .exited(code)
            case .signaled(let signal): status = .signaled(signal)
            }
        } else {
            throw ExecutorError(.launchFailed, node: nil,
                                "could not start \(ShellQuoting.displayQuote(executable)): \(launchError.map { "\($0)" } ?? "unknown error")")
        }
        let snapshot = counters.snapshot()
        return ExecutionResult(status: status, duration: duration, stdoutLineCount: snapshot.stdout,
                               stderrLineCount: snapshot.stderr, stderrTail: snapshot.tail)
    }
}

extension ProcessRunner {
    /// Starts the child in a new process group and pumps both of its streams until it exits.
    fileprivate static func launch(executable: String, arguments: [String], environment: [String: String],
                                   grace: Duration, pump: OutputPump, leader: LeaderPID) async throws -> TerminationStatus {
        var options = PlatformOptions()
        options.processGroupID = 0
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: grace)]
        let program: Executable = executable.contains("/") ? .path(FilePath(executable)) : .name(executable)
        var overrides: [Environment.Key: String?] = [:]
        for (name, value) in environment {
            overrides[Environment.Key(stringLiteral: name)] = value
        }
        let outcome = try await Subprocess.run(
            program, arguments: Arguments(arguments), environment: .inherit.updating(overrides),
            platformOptions: options, input: .none, output: .sequence, error: .sequence
        ) { execution in
            leader.record(execution.processIdentifier.value)
            try await withThrowingTaskGroup(of: Void.self) { streams in
                streams.addTask { try await pump.drain(execution.standardOutput, source: .stdout) }
                streams.addTask { try await pump.drain(execution.standardError, source: .stderr) }
                try await streams.waitForAll()
            }
        }
        return outcome.terminationStatus
    }
}

/// The child's pid, which is also its process group's id (it leads a group of its own).
private final class LeaderPID: Sendable {
    private let value = Mutex<Int32?>(nil)

    func record(_ pid: Int32) { value.withLock { $0 = pid } }

    var pid: Int32? { value.withLock { $0 } }
}

/// Set once when a command's timeout expires.
private final class TimeoutFlag: Sendable {
    private let fired = Mutex(false)

    func fire() { fired.withLock { $0 = true } }

    var hasFired: Bool { fired.withLock { $0 } }
}

/// Reads one output stream, cuts it into lines, sanitizes them and hands them on.
private struct OutputPump: Sendable {
    let maxLineBytes: Int
    let sanitizer: OutputSanitizer
    let counters: OutputCounters
    let onOutput: OutputHandler

    func drain(_ sequence: SubprocessOutputSequence, source: OutputSource) async throws {
        var assembler = LineAssembler(maxLineBytes: maxLineBytes)
        var style = TextStyle.plain
        for try await buffer in sequence {
            let raw = buffer.withUnsafeBytes { assembler.append($0) }
            for line in raw {
                await deliver(line, source: source, style: &style)
            }
        }
        if let last = assembler.finish() {
            await deliver(last, source: source, style: &style)
        }
    }

    private func deliver(_ raw: LineAssembler.Line, source: OutputSource, style: inout TextStyle) async {
        var content = sanitizer.sanitize(raw.bytes, style: &style)
        if raw.isTruncated && !content.isTruncated {
            content = SanitizedLine(runs: content.runs, isTruncated: true)
        }
        let line = OutputLine(source: source, content: content)
        counters.count(line)
        await onOutput(line)
    }
}

/// Line counts and the stderr tail, shared by the two stream pumps.
private final class OutputCounters: Sendable {
    private struct State {
        var stdout = 0
        var stderr = 0
        var tail: [String] = []
    }

    private let state = Mutex(State())
    private let tailLength: Int

    init(tailLength: Int) {
        self.tailLength = tailLength
    }

    func count(_ line: OutputLine) {
        state.withLock { state in
            switch line.source {
            case .stdout:
                state.stdout += 1
            case .stderr:
                state.stderr += 1
                state.tail.append(line.text)
                if state.tail.count > tailLength { state.tail.removeFirst(state.tail.count - tailLength) }
            }
        }
    }

    func snapshot() -> (stdout: Int, stderr: Int, tail: [String]) {
        state.withLock { ($0.stdout, $0.stderr, $0.tail) }
    }
}
