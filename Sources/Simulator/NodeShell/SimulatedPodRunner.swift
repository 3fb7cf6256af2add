import Foundation
import Synchronization

/// Runs the pods that kubeskew's pod executor creates: a pod pinned to a node whose container runs
/// `nsenter … -- ARGV` gets ARGV run in that node's simulated shell. Its status moves Pending → Running →
/// Succeeded/Failed with the exit code, and its log is served (followed) at `pods/NAME/log`, as a kubelet would.
final class SimulatedPodRunner: Sendable {
    /// One pod's log: lines so far, whether the container ended, and the followers waiting for more.
    private struct PodLog {
        var lines: [String] = []
        var finished = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let logs = Mutex<[String: PodLog]>([:])
    let store: ObjectStore
    let shells: SimulatedNodeShells

    init(store: ObjectStore, shells: SimulatedNodeShells) {
        self.store = store
        self.shells = shells
    }

    /// The argv after `nsenter … --`, when the pod is one kubeskew would create to run a step on a node.
    static func hostCommand(_ pod: JSONValue) -> (node: String, argv: [String])? {
        guard let node = pod[["spec", "nodeName"]]?.stringValue,
              case .array(let containers)? = pod[["spec", "containers"]], let first = containers.first,
              case .array(let command)? = first["command"] else { return nil }
        let words = command.compactMap(\.stringValue)
        guard words.first == "nsenter", let separator = words.firstIndex(of: "--") else { return nil }
        let argv = Array(words[(separator + 1)...])
        return argv.isEmpty ? nil : (node, argv)
    }

    /// Starts running a freshly created pod in the background.
    func start(namespace: String, name: String, node: String, argv: [String]) {
        let key = "\(namespace)/\(name)"
        logs.withLock { $0[key] = PodLog() }
        Task {
            // A node whose kubelet stopped posting status runs nothing: the pod stays Pending, with no container
            // status, until that kubelet is back (or the pod is deleted), as on a real cluster.
            while !self.kubeletIsUp(node) {
                guard self.store.get(.pods, namespace: namespace, name: name) != nil else { self.finish(key); return }
                try? await Task.sleep(for: .milliseconds(200))
            }
            self.setStatus(namespace, name, phase: "Running", state: .object([("running", .object([("startedAt", .string(Self.now()))]))]))
            let code = await shells.run(node: node, argv: argv) { line, _ in self.append(key, line) }
            self.setStatus(namespace, name, phase: code == 0 ? "Succeeded" : "Failed", state: .object([("terminated", .object([
                ("exitCode", .number(String(code))), ("reason", .string(code == 0 ? "Completed" : "Error")),
                ("finishedAt", .string(Self.now())),
            ]))]))
            self.finish(key)
        }
    }

    /// Whether `node`'s kubelet posts status: its Ready condition is True.
    private func kubeletIsUp(_ node: String) -> Bool {
        guard case .array(let conditions)? = store.get(.nodes, name: node)?.object[["status", "conditions"]] else { return false }
        return conditions.contains { $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True" }
    }

    private func setStatus(_ namespace: String, _ name: String, phase: String, state: JSONValue) {
        _ = try? store.update(.pods, namespace: namespace, name: name) { (pod: inout JSONValue) throws(StoreError) in
            pod.set(["status", "phase"], .string(phase))
            pod.set(["status", "containerStatuses"], .array([.object([
                ("name", .string(pod[["spec", "containers"]].flatMap { if case .array(let c) = $0 { c.first?["name"]?.stringValue } else { nil } } ?? "step")),
                ("state", state), ("ready", .bool(phase == "Running")), ("restartCount", .number("0")),
            ])]))
        }
    }

    private func append(_ key: String, _ line: String) {
        let waiters = logs.withLock { all -> [CheckedContinuation<Void, Never>] in
            all[key]?.lines.append(line)
            let w = all[key]?.waiters ?? []
            all[key]?.waiters = []
            return w
        }
        for w in waiters { w.resume() }
    }

    private func finish(_ key: String) {
        let waiters = logs.withLock { all -> [CheckedContinuation<Void, Never>] in
            all[key]?.finished = true
            let w = all[key]?.waiters ?? []
            all[key]?.waiters = []
            return w
        }
        for w in waiters { w.resume() }
    }

    /// Whether the runner knows this pod (pods created otherwise have no log here).
    func knows(namespace: String, name: String) -> Bool { logs.withLock { $0["\(namespace)/\(name)"] != nil } }

    /// Lines from `index` on, and whether the container ended; waits for more when `follow` and there is none yet.
    func lines(namespace: String, name: String, from index: Int, follow: Bool) async -> (lines: [String], finished: Bool) {
        let key = "\(namespace)/\(name)"
        while true {
            let now = logs.withLock { all -> ([String], Bool)? in
                guard let log = all[key] else { return nil }
                return (Array(log.lines.dropFirst(index)), log.finished)
            }
            guard let (lines, finished) = now else { return ([], true) }
            if !lines.isEmpty || finished || !follow { return (lines, finished) }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = logs.withLock { all -> Bool in
                    guard let log = all[key], log.lines.count <= index, !log.finished else { return true }
                    all[key]?.waiters.append(c)
                    return false
                }
                if resumeNow { c.resume() }
            }
        }
    }

    static func now() -> String {
        let f = ISO8601DateFormatter()
        return f.string(from: Date())
    }
}
