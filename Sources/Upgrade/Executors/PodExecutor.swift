import Foundation
import KubeClient
import KubeModel
import NodeExec

/// Runs each command through the cluster itself, no SSH needed: a privileged pod pinned to the node (hostPID,
/// `nsenter` into PID 1's namespaces) runs it, its log is streamed, its exit code read from the pod status, and the pod
/// is deleted after. Restarting the kubelet cuts a pod's stream, so that command is scheduled detached on the node
/// (`systemd-run --on-active=2`) and its effect is confirmed by the engine's gate through the API.
public struct PodExecutor: NodeExecutor {
    public let name = "pod"
    let client: KubeAPIClient
    /// Where the pods run; its Pod Security level must admit privileged pods (`kube-system` does by default).
    public let namespace: String
    /// An image with `nsenter` (busybox has it).
    public let image: String

    public init(client: KubeAPIClient, namespace: String = "kube-system", image: String = "docker.io/library/busybox:1.36") {
        self.client = client
        self.namespace = namespace
        self.image = image
    }

    static let container = "step"

    public func run(_ command: CommandSpec, on node: NodeTarget, onOutput: @escaping OutputHandler) async throws(ExecutorError)
        -> ExecutionResult {
        let started = ContinuousClock.now
        let tally = OutputTally()
        let argv = Self.hostArgv(command.argv)
        let manifest: [UInt8]
        do { manifest = try Self.manifest(node: node.name, namespace: namespace, image: image, argv: argv) } catch {
            throw ExecutorError(.invalidCommand, node: node.name, "cannot describe the step's pod: \(error)")
        }
        let pod: Pod
        do { pod = try await client.createPod(namespace: namespace, manifest: manifest) } catch {
            throw Self.explain(error, node: node.name, namespace: namespace)
        }
        let (client, namespace) = (self.client, self.namespace)
        let podName = pod.name
        let sanitizer = OutputSanitizer()
        let code: Int32?? = await ExecutionSupport.race(timeout: command.timeout) {
            // Wait for the container to start (or fail to), follow its log, then read how it ended.
            do {
                if let waiting = try await Self.waitUntilStarted(client, namespace, podName) {
                    tally.count(.stderr, waiting)
                    await onOutput(OutputLine(source: .stderr, content: sanitizer.sanitize(waiting)))
                    return Optional<Int32>.none
                }
                try? await client.followPodLog(namespace: namespace, name: podName, container: Self.container) { line in
                    tally.count(.stdout, line)
                    await onOutput(OutputLine(source: .stdout, content: sanitizer.sanitize(line)))
                }
                return try await Self.waitForExit(client, namespace, podName)
            } catch {
                tally.count(.stderr, "\(error)")
                return Optional<Int32>.none
            }
        }
        try? await client.deletePod(namespace: namespace, name: podName)
        let status: ExitStatus
        switch code {
        case .some(.some(let c)): status = .exited(c)
        case .some(.none): status = .exited(255)
        case .none: status = Task.isCancelled ? .cancelled : .timedOut
        }
        return tally.result(status, since: started)
    }

    /// The argv run in the host's namespaces; a kubelet restart is detached so it cannot cut its own stream.
    static func hostArgv(_ argv: [String]) -> [String] {
        let host = ["nsenter", "--target", "1", "--mount", "--uts", "--ipc", "--net", "--pid", "--"]
        if argv == ["systemctl", "restart", "kubelet"] {
            return host + ["systemd-run", "--on-active=2", "--unit=kubeskew-restart-kubelet", "systemctl", "restart", "kubelet"]
        }
        return host + argv
    }

    static func manifest(node: String, namespace: String, image: String, argv: [String]) throws -> [UInt8] {
        let pod: [String: Any] = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["generateName": "kubeskew-step-", "namespace": namespace,
                         "labels": ["app.kubernetes.io/managed-by": "kubeskew", "kubeskew.io/node": node]],
            "spec": [
                "nodeName": node, "hostPID": true, "hostNetwork": true, "restartPolicy": "Never",
                "terminationGracePeriodSeconds": 0, "tolerations": [["operator": "Exists"]],
                "containers": [["name": container, "image": image, "command": argv, "securityContext": ["privileged": true]]],
            ] as [String: Any],
        ]
        return Array(try JSONSerialization.data(withJSONObject: pod, options: [.sortedKeys]))
    }

    /// nil once the container runs or ended; the waiting reason when it cannot start (image pull, config).
    static func waitUntilStarted(_ client: KubeAPIClient, _ namespace: String, _ name: String) async throws -> String? {
        for attempt in 0..<600 {
            let pod = try await client.getPod(namespace: namespace, name: name)
            if ["Running", "Succeeded", "Failed"].contains(pod.status?.phase ?? "") { return nil }
            if let w = pod.status?.containerStatuses?.first?.state?.waiting, let reason = w.reason,
               ["ErrImagePull", "ImagePullBackOff", "CreateContainerConfigError", "InvalidImageName", "CreateContainerError"].contains(reason) {
                return "the step's pod cannot start: \(reason)\(w.message.map { ": \($0)" } ?? "")"
            }
            try await Task.sleep(for: .milliseconds(attempt < 20 ? 100 : 500))
        }
        return "the step's pod did not start within 5 minutes"
    }

    static func waitForExit(_ client: KubeAPIClient, _ namespace: String, _ name: String) async throws -> Int32? {
        while true {
            let pod = try await client.getPod(namespace: namespace, name: name)
            if let t = pod.status?.containerStatuses?.first(where: { $0.name == container })?.state?.terminated { return t.exitCode }
            if pod.status?.phase == "Succeeded" { return 0 }
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
