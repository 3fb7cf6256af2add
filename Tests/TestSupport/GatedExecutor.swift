import Foundation
import NodeExec
import Synchronization
import Testing

/// A door commands wait at until the test opens it; counts who arrived, and lets the test wait for an arrival
/// instead of sleeping. A waiter whose task is cancelled leaves at once (as a killed process would).
public final class Gate: Sendable {
    private struct Inside {
        var isOpen = false
        var arrivals = 0
        var waiters: [Int: CheckedContinuation<Bool, Never>] = [:]
        var nextID = 0
    }
    private let inside = Mutex(Inside())

    public init() {}

    /// How many waits began (opened or not).
    public var arrivals: Int { inside.withLock { $0.arrivals } }

    /// Waits until opened (true) or until the task is cancelled (false).
    public func wait() async -> Bool {
        let id = inside.withLock { s -> Int in
            s.nextID += 1
            return s.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
                let resumeNow: Bool? = inside.withLock { s in
                    s.arrivals += 1
                    if s.isOpen { return true }
                    if Task.isCancelled { return false }
                    s.waiters[id] = c
                    return nil
                }
                if let resumeNow { c.resume(returning: resumeNow) }
            }
        } onCancel: {
            inside.withLock { s in s.waiters.removeValue(forKey: id) }?.resume(returning: false)
        }
    }

    /// Lets every waiter, present and future, through.
    public func open() {
        let waiting = inside.withLock { s -> [CheckedContinuation<Bool, Never>] in
            s.isOpen = true
            defer { s.waiters.removeAll() }
            return Array(s.waiters.values)
        }
        for c in waiting { c.resume(returning: true) }
    }

    /// Returns once `count` waits have begun. Polled through ``waitFor(within:sourceLocation:_:)``: a count never
    /// reached is a recorded failure after its hang guard, and a cancelled test stops waiting.
    public func arrived(_ count: Int = 1, sourceLocation: SourceLocation = #_sourceLocation) async {
        await waitFor(sourceLocation: sourceLocation) { self.arrivals >= count }
    }
}

/// A scripted executor for engine tests: per argv (joined by spaces) an exit code, a number of first calls that
/// fail, or a gate to wait at; every call is recorded with whether its task was already cancelled when it began.
public final class GatedExecutor: NodeExecutor, Sendable {
    public let name = "gated"
    public struct Call: Sendable {
        public let node: String
        public let argv: [String]
        public let cancelledAtStart: Bool
        public var line: String { argv.joined(separator: " ") }
    }
    private struct Script {
        var output: [String: [String]] = [:]
        var failFirst: [String: Int] = [:]
        var gates: [String: Gate] = [:]
        public var calls: [Call] = []
    }
    private let script = Mutex(Script())

    public init(output: [String: [String]] = [:], failFirst: [String: Int] = [:], gates: [String: Gate] = [:]) {
        script.withLock { $0.output = output; $0.failFirst = failFirst; $0.gates = gates }
    }

    public var calls: [Call] { script.withLock { $0.calls } }
    public func calls(containing word: String) -> [Call] { calls.filter { $0.argv.contains(word) } }

    public func run(_ command: CommandSpec, on node: NodeTarget, onOutput: @escaping OutputHandler) async throws(ExecutorError) -> ExecutionResult {
        let key = command.argv.joined(separator: " ")
        let (lines, fails, gate) = script.withLock { s -> ([String], Bool, Gate?) in
            s.calls.append(Call(node: node.name, argv: command.argv, cancelledAtStart: Task.isCancelled))
            let fails = (s.failFirst[key] ?? 0) > 0
            if fails { s.failFirst[key]! -= 1 }
            return (s.output[key] ?? [], fails, s.gates[key])
        }
        if let gate, await !gate.wait() {
            return ExecutionResult(status: .cancelled, duration: .zero)
        }
        for line in lines { await onOutput(OutputLine(source: .stdout, content: OutputSanitizer().sanitize(line))) }
        let code: Int32 = fails ? 1 : 0
        return ExecutionResult(status: .exited(code), duration: .milliseconds(1), stderrTail: fails ? ["error: scripted failure"] : [])
    }
}

/// Waits for a condition the engine reaches on its own. No deadline decides the outcome: `limit` only guards a
/// hang, and a condition never reached is a recorded failure, never a suite that runs until CI's own limit (one
/// did, for an hour). Cancellation ends the wait too.
public func waitFor(within limit: Duration = .seconds(300), sourceLocation: SourceLocation = #_sourceLocation,
                    _ condition: () async -> Bool) async {
    let deadline = ContinuousClock.now + limit
    while await !condition() {
        if Task.isCancelled { return }
        if ContinuousClock.now >= deadline {
            Issue.record("the condition was not reached within \(limit)", sourceLocation: sourceLocation)
            return
        }
        try? await Task.sleep(for: .milliseconds(5))
    }
}
