import Foundation
import KubeModel
import NodeExec
import SkewCore

/// Asks a node for its kubeadm (`kubeadm version -o short`, run on the node through the executor) and says why
/// not when it cannot: the API does not report kubeadm, so only the node knows.
public enum KubeadmVersionProbe {
    /// How long one probe may take, the ssh handshake included.
    public static let timeout: Duration = .seconds(30)

    /// The version the node printed, or why there is none (`short` for a table cell, `reason` for the details).
    public static func ask(_ target: NodeTarget, executor: any NodeExecutor, at now: @Sendable () -> Date = Date.init) async
        -> KubeadmProbeStatus {
        let result: ExecutionResult
        let lines: [OutputLine]
        do {
            (result, lines) = try await executor.collect(
                CommandSpec(["kubeadm", "version", "-o", "short"], timeout: timeout), on: target, maxLines: 50)
        } catch {
            return .failed(short: short(error.kind), reason: error.description, at: now())
        }
        let stdout = lines.filter { $0.source == .stdout }.map { $0.text.trimmingCharacters(in: .whitespaces) }
        let stderr = result.stderrTail.last ?? lines.last { $0.source == .stderr }?.text ?? ""
        switch result.status {
        case .exited(0):
            // What a node prints is validated before it is shown or judged: the first line must be a version.
            guard let first = stdout.first(where: { !$0.isEmpty }), (try? KubeVersion(first)) != nil else {
                let printed = stdout.first.map { " (printed \(ShellQuoting.displayQuote(String($0.prefix(60)))))" } ?? " (printed nothing)"
                return .failed(short: "bad out", reason: "\(target.name): kubeadm version -o short gave no version\(printed)", at: now())
            }
            return .found(version: first, at: now(), cached: false)
        case .exited(127):
            return .failed(short: "missing", reason: "\(target.name): kubeadm is not installed (or not on the PATH): \(stderr)", at: now())
        case .exited(let code):
            return .failed(short: "exit \(code)", reason: "\(target.name): kubeadm version -o short failed (exit \(code)): \(stderr)", at: now())
        case .timedOut:
            return .failed(short: "timeout", reason: "\(target.name): kubeadm version -o short timed out after \(timeout.components.seconds) s", at: now())
        case .signaled(let signal):
            return .failed(short: "killed", reason: "\(target.name): kubeadm version -o short was killed by signal \(signal)", at: now())
        case .cancelled:
            return .failed(short: "stopped", reason: "\(target.name): the probe was cancelled", at: now())
        }
    }

    /// A word or two for the KUBEADM cell (8 columns at most: the column is as wide as a version, and does not
    /// widen while nodes are asked); the details carry the executor's whole message.
    static func short(_ kind: ExecutorError.Kind) -> String {
        switch kind {
        case .connectionRefused: "refused"
        case .connectionTimedOut: "timeout"
        case .authenticationFailed: "ssh auth"
        case .hostKeyVerificationFailed: "host key"
        case .hostUnresolvable: "no host"
        case .hostUnreachable: "unreach"
        case .connectionClosed: "closed"
        case .connectionLost: "lost"
        case .invalidTarget: "bad node"
        case .sshConfiguration: "ssh conf"
        case .launchFailed: "no exec"
        case .invalidCommand: "refused"
        case .sudoPasswordRequired, .sudoNotPermitted, .sudoMissing: "sudo"
        }
    }
}
