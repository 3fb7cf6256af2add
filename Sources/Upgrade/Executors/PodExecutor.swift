import Foundation
import KubeClient
import KubeModel
import NodeExec
import Synchronization

/// Runs each command through the cluster itself, no SSH needed: a privileged pod pinned to the node (hostPID,
/// `nsenter` into PID 1's namespaces) runs it, its log is streamed, its exit code read from the pod status, and the pod
/// is deleted after. Restarting the kubelet cuts a pod's stream, so that command is scheduled detached on the node
/// (`systemd-run --on-active=2`) and its effect is confirmed by the engine's gate through the API.
///
/// Concurrency rule: a step pod is created and deleted by tasks of their own that the step's task awaits but does
/// not cancel. An abort cancels the step's task, which stops following the pod at once; the pod's deletion still
/// runs to its end (within ``cleanupDeadline``) before `run` returns, so no step outlives its executor call.
public struct PodExecutor: NodeExecutor {
    public let name = "pod"
    let client: KubeAPIClient
    /// Where the pods run; its Pod Security level must admit privileged pods (`kube-system` does by default).
    public let namespace: String
    /// An image with `nsenter` (busybox has it).
    public let image: String
    /// How long deleting a step pod may take, cancellation or not.
    public var cleanupDeadline: Duration = .seconds(30)

    public init(client: KubeAPIClient, namespace: String = "kube-system", image: String = "docker.io/library/busybox:1.36") {
        self.client = client
        self.namespace = namespace
        self.image = image
    }

    static let container = "step"
    static let namePrefix = "kubeskew-step-"
    /// Every step pod carries these labels; `kubeskew.io/run` and `kubeskew.io/node` say which run and node.
    public static let selector = "app.kubernetes.io/managed-by=kubeskew,app.kubernetes.io/component=step"

    public func run(_ command: CommandSpec, on node: NodeTarget, onOutput: @escaping OutputHandler) async throws(ExecutorError)
        -> ExecutionResult {
        let started = ContinuousClock.now
        let tally = OutputTally()
        let argv = Self.hostArgv(command.argv)
        let manifest: [UInt8]
        do {
            manifest = try Self.manifest(node: node.name, namespace: namespace, image: image, argv: argv, runID: RunContext.runID)
        } catch {
            throw ExecutorError(.invalidCommand, node: node.name, "cannot describe the step's pod: \(error)")
        }
        let (client, namespace) = (self.client, self.namespace)
        // Created outside the step's task: a cancellation must not cut the request after the server made the pod
        // (its name would then be unknown here, and the pod left running).
        let created = await Task { try await client.createPod(namespace: namespace, manifest: manifest) }.result
        let pod: Pod
        switch created {
        case .success(let p): pod = p
        case .failure(let error): throw Self.explain(error, node: node.name, namespace: namespace)
        }
        let podName = pod.name
        let sanitizer = OutputSanitizer()
        let say: @Sendable (String) async -> Void = { text in
            tally.count(.stderr, text)
            await onOutput(OutputLine(source: .stderr, content: sanitizer.sanitize(text)))
        }
        let progress = StartProgress()
        let code: Int32?? = Task.isCancelled ? nil : await ExecutionSupport.race(timeout: command.timeout) {
            // Wait for the container to start (or to be known never to), follow its log, then read how it ended.
            do {
                if let never = try await Self.waitUntilStarted(client, namespace, podName, node: node.name, progress: progress) {
                    await say(never)
                    return Optional<Int32>.none
                }
                try? await client.followPodLog(namespace: namespace, name: podName, container: Self.container) { line in
                    tally.count(.stdout, line)
                    await onOutput(OutputLine(source: .stdout, content: sanitizer.sanitize(line)))
                }
                switch try await Self.waitForExit(client, namespace, podName, node: node.name) {
                case .exited(let code): return code
                case .failed(let why):
                    await say(why)
                    return Optional<Int32>.none
                }
            } catch {
                // The caller's cancellation is said by the status, not as an error of the pod.
                if !Task.isCancelled { await say("the step pod \(namespace)/\(podName) on \(node.name): \(error)") }
                return Optional<Int32>.none
            }
        }
        // Out of time before the container ran: say where the pod was, not only that time ran out.
        if code == nil, !Task.isCancelled, let waiting = progress.stillWaiting {
            await say("\(waiting); gave up after \(command.timeout.map { "\($0)" } ?? "the step's time")")
        }
        if let problem = await Self.remove(client, namespace, podName, within: cleanupDeadline) {
            let message = leftBehind(podName, node: node.name, problem: problem)
            tally.count(.stderr, message)
            await onOutput(OutputLine(source: .stderr, content: sanitizer.sanitize(message)))
        }
        let status: ExitStatus
        switch code {
        case .some(.some(let c)): status = .exited(c)
        case .some(.none): status = Task.isCancelled ? .cancelled : .exited(255)
        case .none: status = Task.isCancelled ? .cancelled : .timedOut
        }
        return tally.result(status, since: started)
    }

    /// Deletes a step pod (grace period 0) in a task the caller's cancellation does not reach, retrying until it is
    /// gone or `limit` passed; nil when it is gone, else why not.
    static func remove(_ client: KubeAPIClient, _ namespace: String, _ name: String, within limit: Duration) async -> String? {
        await Task.detached {
            let deadline = ContinuousClock.now + limit
            var lastProblem = "no answer within \(limit)"
            while ContinuousClock.now < deadline {
                let attempt: String?? = await ExecutionSupport.race(timeout: ContinuousClock.now.duration(to: deadline)) {
                    do {
                        try await client.deletePod(namespace: namespace, name: name)
                        return Optional<String>.none
                    } catch {
                        return "\(error)"
                    }
                }
                switch attempt {
                case .some(.none): return nil
                case .some(.some(let problem)): lastProblem = problem
                case .none: return lastProblem
                }
                try? await Task.sleep(for: .milliseconds(500))
            }
            return lastProblem
        }.value
    }

    /// What the operator reads when a step pod could not be removed: which pod, why, and the command that removes it.
    func leftBehind(_ name: String, node: String, problem: String) -> String {
        "kubeskew: the step pod \(namespace)/\(name) on \(node) could not be removed (\(problem)); it may still run its command "
            + "on the node and it blocks drains of \(node): remove it with \(deleteCommand(name))"
    }

    /// The command that removes step pod `name`, for pasting: it names this cluster's kubeconfig and context.
    func deleteCommand(_ name: String) -> String {
        "`" + ShellQuoting.displayLine(KubectlCommand.argv(for: client.config)
                                        + ["delete", "pod", "-n", namespace, name, "--grace-period=0", "--force"]) + "`"
    }

    /// The argv run in the host's namespaces; a kubelet restart is detached so it cannot cut its own stream.
    static func hostArgv(_ argv: [String]) -> [String] {
        let host = ["nsenter", "--target", "1", "--mount", "--uts", "--ipc", "--net", "--pid", "--"]
        if argv == ["systemctl", "restart", "kubelet"] {
            return host + ["systemd-run", "--on-active=2", "--unit=kubeskew-restart-kubelet", "systemctl", "restart", "kubelet"]
        }
        return host + argv
    }

    static func manifest(node: String, namespace: String, image: String, argv: [String], runID: String? = nil,
                         driver: StepPodDriver = .current) throws -> [UInt8] {
        var labels = ["app.kubernetes.io/managed-by": "kubeskew", "app.kubernetes.io/component": "step", "kubeskew.io/node": node]
        if let runID, isLabelValue(runID) { labels["kubeskew.io/run"] = runID }
        let pod: [String: Any] = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["generateName": namePrefix, "namespace": namespace, "labels": labels, "annotations": driver.annotations],
            "spec": [
                "nodeName": node, "hostPID": true, "hostNetwork": true, "restartPolicy": "Never",
                "terminationGracePeriodSeconds": 0, "tolerations": [["operator": "Exists"]],
                "containers": [["name": container, "image": image, "command": argv, "securityContext": ["privileged": true]]],
            ] as [String: Any],
        ]
        return Array(try JSONSerialization.data(withJSONObject: pod, options: [.sortedKeys]))
    }

    /// A Kubernetes label value: at most 63 characters of `[A-Za-z0-9._-]`, alphanumeric at both ends.
    static func isLabelValue(_ text: String) -> Bool {
        let alphanumeric: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber) }
        guard let first = text.first, let last = text.last, text.count <= 63 else { return false }
        return alphanumeric(first) && alphanumeric(last) && text.allSatisfy { alphanumeric($0) || "._-".contains($0) }
    }

    /// What the wait for a step pod's start saw last, for the message when the step's time runs out first.
    final class StartProgress: Sendable {
        private let last = Mutex<String?>(nil)
        /// Nil once the pod started.
        var stillWaiting: String? { last.withLock { $0 } }
        func saw(_ text: String?) { last.withLock { $0 = text } }
    }

    /// nil once the container runs or ended; else why it never will (``StepPodStart``), said as soon as the cluster
    /// shows it, at the latest after 5 minutes.
    static func waitUntilStarted(_ client: KubeAPIClient, _ namespace: String, _ name: String, node: String,
                                 progress: StartProgress) async throws -> String? {
        let clock = ContinuousClock()
        var unknownSince: ContinuousClock.Instant?
        let podName = "\(namespace)/\(name)"
        for attempt in 0..<600 {
            let pod: Pod?
            do { pod = try await client.getPod(namespace: namespace, name: name) } catch KubeClientError.notFound { pod = nil }
            // The node is read only while the pod has not got anywhere: that is when it explains the wait.
            var nodeNow: Node?
            if let pod, !["Running", "Succeeded", "Failed"].contains(pod.status?.phase ?? "Pending") {
                do { nodeNow = try await client.getNode(node) } catch KubeClientError.notFound { nodeNow = nil }
            }
            let ready = nodeNow?.status?.conditions?.first { $0.type == "Ready" }
            if ready?.status == "Unknown" { unknownSince = unknownSince ?? clock.now } else { unknownSince = nil }
            // How long the kubelet had been silent when the pod was made counts too, on the server's clock alone.
            let silentBefore = StepPodStart.silence(before: pod?.metadata.creationTimestamp, since: ready?.lastTransitionTime)
            let seen = unknownSince.map { clock.now - $0 } ?? .zero
            switch StepPodStart.judge(podName, pod: pod, nodeName: node, node: nodeNow,
                                      unreachableFor: ready?.status == "Unknown" ? seen + silentBefore : .zero) {
            case .started:
                progress.saw(nil)
                return nil
            case .failed(let why):
                progress.saw(nil)
                return why
            case .waiting(let what):
                progress.saw(what)
            }
            try await Task.sleep(for: .milliseconds(attempt < 20 ? 100 : 500))
        }
        return "the step pod \(podName) did not start within 5 minutes: \(progress.stillWaiting ?? "")"
    }

    /// How a started step pod ended.
    enum PodEnd: Equatable {
        case exited(Int32)
        /// The pod failed without its container's exit code (evicted, node lost): why.
        case failed(String)
    }

    static func waitForExit(_ client: KubeAPIClient, _ namespace: String, _ name: String, node: String) async throws -> PodEnd {
        while true {
            let pod = try await client.getPod(namespace: namespace, name: name)
            if let t = pod.status?.containerStatuses?.first(where: { $0.name == container })?.state?.terminated { return .exited(t.exitCode) }
            if pod.status?.phase == "Succeeded" { return .exited(0) }
            if pod.status?.phase == "Failed" {
                let why = [pod.status?.reason, pod.status?.message].compactMap { $0 }.joined(separator: ": ")
                return .failed("the step pod \(namespace)/\(name) on \(node) failed without an exit code\(why.isEmpty ? "" : " (\(why))")")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Pod Security admission and RBAC refusals, in words that say what to do.
    static func explain(_ error: any Error, node: String, namespace: String) -> ExecutorError {
        if case let KubeClientError.forbidden(_, _, _, message) = error, message.contains("PodSecurity") {
            return ExecutorError(.launchFailed, node: node,
                                 "namespace \(namespace) refuses privileged pods (\(message)); use --pod-namespace with a namespace labelled pod-security.kubernetes.io/enforce=privileged, or --executor ssh")
        }
        return ExecutorError(.launchFailed, node: node, "cannot create the step's pod in \(namespace): \(error)")
    }
}
