import Foundation
import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Runs an exec credential plugin: argv only, stdin closed, stdout/stderr captured, killed at the timeout.
public struct ExecPluginRunner: Sendable {
    public var timeout: Duration
    public init(timeout: Duration = .seconds(60)) { self.timeout = timeout }

    /// Runs the plugin of `exec` for `cluster` and returns the credential it printed.
    public func run(_ exec: ExecConfig, cluster: ResolvedKubeconfig) async throws -> IssuedCredential {
        let user = cluster.userName
        if exec.interactiveMode == "Always" {
            throw KubeClientError.execPluginNeedsTerminal(user: user, command: exec.command)
        }
        let execInfo = ExecPluginPolicy.execInfo(for: exec, cluster: cluster)
        let timeout = self.timeout

        let outcome: ExecutionRecord
        do {
            outcome = try await withThrowingTaskGroup(of: ExecutionRecord?.self) { group in
                group.addTask {
                    try await Self.launch(exec, execInfo: execInfo)
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let record = first else {
                    throw KubeClientError.execPluginTimedOut(
                        user: user, command: exec.command, seconds: Int(timeout.components.seconds))
                }
                return record
            }
        } catch let error as SubprocessError where error.code == .executableNotFound {
            throw KubeClientError.execPluginNotFound(user: user, command: exec.command, installHint: exec.installHint)
        } catch let error as SubprocessError {
            throw KubeClientError.execPluginFailed(
                user: user, command: exec.command, status: "could not start",
                stderr: DisplayText.sanitize(String(describing: error), limit: 300))
        }
        guard case .exited(0) = outcome.status else {
            let status: String
            switch outcome.status {
            case .exited(let code): status = "exit status \(code)"
            case .signaled(let signal): status = "killed by signal \(signal)"
            }
            throw KubeClientError.execPluginFailed(
                user: user, command: exec.command, status: status,
                stderr: DisplayText.sanitize(String(decoding: outcome.stderr, as: UTF8.self), limit: 400))
        }
        return try ExecPluginPolicy.parseOutput(outcome.stdout, exec: exec, userName: user)
    }
}

extension ExecPluginRunner {
    /// Starts the plugin and collects its output; the Subprocess values are built here because they are not
    /// Sendable and must not cross into the task group.
    private static func launch(_ exec: ExecConfig, execInfo: String) async throws -> ExecutionRecord {
        var overrides: [Environment.Key: String?] = [:]
        for variable in exec.env ?? [] {
            if let key = Environment.Key(rawValue: variable.name) { overrides[key] = variable.value }
        }
        if let key = Environment.Key(rawValue: "KUBERNETES_EXEC_INFO") { overrides[key] = execInfo }
        let executable: Executable =
            exec.command.contains("/") ? .path(FilePath(exec.command)) : .name(exec.command)
        var options = PlatformOptions()
        // Its own process group, so a timeout also ends whatever the plugin started.
        options.processGroupID = 0
        options.teardownSequence = [
            .gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .milliseconds(500))
        ]
        let result = try await Subprocess.run(
            executable, arguments: Arguments(exec.args ?? []), environment: Environment.inherit.updating(overrides),
            platformOptions: options, input: .none, output: .bytes(limit: 4 << 20), error: .bytes(limit: 64 << 10))
        return ExecutionRecord(
            status: result.terminationStatus, stdout: result.standardOutput, stderr: result.standardError)
    }
}

/// What one plugin run produced.
private struct ExecutionRecord: Sendable {
    let status: TerminationStatus
    let stdout: [UInt8]
    let stderr: [UInt8]
}
