import Foundation
import Synchronization
import NodeExec
import TUI
import Upgrade

/// Runs the dashboard's single node actions (cordon, uncordon, drain) with the real kubectl, one node after the
/// other per request, streaming kubectl's output to the action's pane and ending each with an explicit outcome:
/// "node08 drained", or the reason it was not. A request can be stopped; kubectl is then stopped with its group.
///
/// Each node's action runs under the node's Lease (`NodeLease`), taken before kubectl starts and given up when it
/// ends, by the request's own task (the holder is "<user>@<host> action <session>-<request>"): a node another
/// kubeskew is upgrading is refused with its holder, and nothing runs on it.
actor NodeActionRunner {
    let kubectl: [String]
    let executor: any NodeExecutor
    /// Where the actions' news goes (the dashboard's inbox).
    let report: @Sendable (NodeActionEvent) -> Void
    /// The cluster's leases; nil: actions run without one (tests without an API server).
    let leaseAPI: (any LeaseAPI)?
    private let session = String(UUID().uuidString.prefix(8)).lowercased()
    private var running: [Int: Task<Void, Never>] = [:]

    init(kubectl: [String], executor: any NodeExecutor, leaseAPI: (any LeaseAPI)? = nil,
         report: @escaping @Sendable (NodeActionEvent) -> Void) {
        self.kubectl = kubectl
        self.executor = executor
        self.leaseAPI = leaseAPI
        self.report = report
    }

    /// Starts a confirmed request; returns at once.
    func start(_ request: NodeActionRequest) {
        let task = Task { await self.perform(request) }
        running[request.id] = task
    }

    /// Stops a request in flight: the running kubectl is stopped, queued nodes are not started.
    func stop(_ requestID: Int) {
        running[requestID]?.cancel()
    }

    /// Stops every request in flight and waits (up to `limit`) for them to end; returns the nodes whose action was
    /// interrupted, for the quit summary.
    func stopAll(limit: Duration) async -> [String] {
        let tasks = running
        for task in tasks.values { task.cancel() }
        let deadline = ContinuousClock.now + limit
        while !running.isEmpty && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        return interrupted
    }

    private var interrupted: [String] = []

    private func finished(_ requestID: Int) { running[requestID] = nil }

    private func perform(_ request: NodeActionRequest) async {
        defer { finished(request.id) }
        for node in request.nodes {
            if Task.isCancelled {
                post(.finished(requestID: request.id, node: node, succeeded: false, exitStatus: nil,
                               outcome: "\(node): not started (the \(request.kind.rawValue) was stopped)"))
                continue
            }
            let command: NodeActionCommand
            switch NodeActionCommand.make(kubectl: kubectl, kind: request.kind, node: node, drain: request.drain) {
            case .failure(let refusal):
                post(.finished(requestID: request.id, node: node, succeeded: false, exitStatus: nil, outcome: refusal.message))
                continue
            case .success(let made):
                command = made
            }
            var hold: NodeLeaseHold?
            if let leaseAPI {
                let leases = NodeLeases(api: leaseAPI, holder: .local(action: "\(session)-\(request.id)"))
                switch await leases.acquire(node) {
                case .held(let held): hold = held
                case .refused(let reason):
                    // "node03 not drained: being upgraded by alice@laptop run … since 16:02 UTC; wait for it or ask them"
                    let why = reason.hasPrefix("\(node): ") ? String(reason.dropFirst(node.count + 2)) : reason
                    post(.finished(requestID: request.id, node: node, succeeded: false, exitStatus: nil,
                                   outcome: "\(node) not \(command.doneWords.dropFirst(node.count + 1)): \(why)"))
                    continue
                }
            }
            let outcome = await run(command, node: node, request: request)
            // Given up before the outcome is told (the operator may act on the node again at once), from a task of
            // its own: a stopped request's cancellation must not cancel the delete.
            if let hold, let note = await Task(operation: { await hold.release() }).value { report(.output(requestID: request.id, node: node, line: "note: " + note)) }
            post(outcome)
        }
    }

    /// Runs kubectl for one node; returns its `.finished` event, for the caller to post once the Lease is given up.
    private func run(_ command: NodeActionCommand, node: String, request: NodeActionRequest) async -> NodeActionEvent {
        post(.started(requestID: request.id, node: node, command: ShellQuoting.displayLine(["kubectl"] + command.argv.dropFirst(kubectl.count)), at: Date()))
        let output = OutputTail(limit: 400)
        let report = self.report
        do {
            let result = try await executor.run(CommandSpec(command.argv, timeout: .seconds(command.timeoutSeconds)), on: .localhost) { line in
                output.add(line.text)
                report(.output(requestID: request.id, node: node, line: line.text))
            }
            if result.succeeded {
                return .finished(requestID: request.id, node: node, succeeded: true, exitStatus: nil, outcome: command.doneWords)
            }
            if result.status == .cancelled { interrupted.append("\(node): \(request.kind.rawValue) stopped") }
            return .finished(requestID: request.id, node: node, succeeded: false, exitStatus: result.status.description,
                             outcome: command.failureWords(status: result.status, output: output.lines))
        } catch {
            return .finished(requestID: request.id, node: node, succeeded: false, exitStatus: nil,
                             outcome: "\(node): kubectl \(request.kind.rawValue) could not run: \(error.description)")
        }
    }

    private func post(_ event: NodeActionEvent) {
        report(event)
    }
}

/// The newest lines of a command's output, kept for the failure reason.
private final class OutputTail: Sendable {
    private let storage: Mutex<[String]>
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
        storage = Mutex([])
    }

    func add(_ line: String) {
        storage.withLock { lines in
            lines.append(line)
            if lines.count > limit { lines.removeFirst(lines.count - limit) }
        }
    }

    var lines: [String] { storage.withLock { $0 } }
}
