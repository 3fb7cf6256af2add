import Foundation
import Testing
import TestSupport
@testable import NodeExec

/// Issue 16, "Nodes: ssh connection lost mid-step": a connection that goes away while a command runs is told apart
/// from the command failing. It is an error of its own kind (`connectionLost`) whose message says the command may
/// have run in part, never an "exit 255" of the step; and a node that goes silent (keepalives unanswered) ends the
/// step within the keepalive window instead of its timeout.
@Suite("ssh connection lost mid-command, over a real sshd")
struct SSHConnectionLostTests {
    let node: NodeTarget

    init() throws {
        node = try NodeTarget(name: "node01", internalIP: "127.0.0.1")
    }

    /// Starts a command that prints `started` and then waits (`sleep` with a mark of its own, so that it can be
    /// found and stopped after), waits for `started`, does `cut` to the sshd processes serving the session, and
    /// returns how `run` ended.
    func runCut(_ sshd: SSHDFixture, settings: SSHSettings, mark: String,
                cut: @escaping @Sendable ([Int32]) -> Void) async throws -> Result<ExecutionResult, ExecutorError> {
        let executor = try SSHExecutor(settings: settings)
        let recorder = OutputRecorder()
        let node = self.node
        let run = Task { () async -> Result<ExecutionResult, ExecutorError> in
            do throws(ExecutorError) {
                return .success(try await executor.run(CommandSpec(["sh", "-c", "echo started; exec sleep \(mark)"]),
                                                       on: node, onOutput: recorder.handler))
            } catch {
                return .failure(error)
            }
        }
        defer {
            // The remote sleep outlives its session when the session is killed.
            _ = try? Process.run(URL(fileURLWithPath: "/usr/bin/pkill"), arguments: ["-KILL", "-f", "sleep \(mark)"])
        }
        guard await recorder.waitForLine(containing: "started") != nil else {
            run.cancel()
            Issue.record("the command never started: \(sshd.log)")
            return await run.value
        }
        let sessions = ProcessProbe.descendants(of: sshd.pid).filter { pid in
            // The session's sshd processes, not the remote command itself.
            (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.hasPrefix("sshd") == true
        }
        #expect(!sessions.isEmpty, "no sshd session process under \(sshd.pid)")
        cut(sessions)
        return await run.value
    }

    @Test("the sshd serving the session dies: connectionLost, saying the command may have run in part")
    func serverSideDies() async throws {
        try await withSSHD { sshd in
            let outcome = try await runCut(sshd, settings: sshd.settings(), mark: "3601.1") { sessions in
                for pid in sessions { kill(pid, SIGKILL) }
            }
            guard case .failure(let error) = outcome else {
                Issue.record("a lost connection was reported as the command's own result: \(outcome)")
                return
            }
            #expect(error.kind == .connectionLost, "\(error)")
            #expect(error.message.hasPrefix("node01: the ssh connection to 127.0.0.1:\(sshd.port) was lost while the command ran ("),
                    "\(error)")
            #expect(error.message.contains("closed by remote host"), "ssh's own words are kept: \(error)")
            #expect(error.message.contains("may have finished, stopped half-way or not started"), "\(error)")
        }
    }

    @Test("the node goes silent: keepalives unanswered end the command as lost, well before any step timeout")
    func silentNodeIsLostByKeepalive() async throws {
        try await withSSHD { sshd in
            var settings = sshd.settings()
            settings.serverAliveIntervalSeconds = 1
            settings.serverAliveCountMax = 2
            let stopped = Stopped()
            defer { stopped.killAll() }
            let outcome = try await runCut(sshd, settings: settings, mark: "3602.2") { sessions in
                // SIGSTOP: the TCP connection stays open and says nothing, as a node whose power or network went.
                for pid in sessions { kill(pid, SIGSTOP) }
                stopped.add(sessions)
            }
            guard case .failure(let error) = outcome else {
                Issue.record("a silent node was reported as the command's own result: \(outcome)")
                return
            }
            #expect(error.kind == .connectionLost, "\(error)")
            #expect(error.message.contains("not responding"), "ssh's own words are kept: \(error)")
        }
    }

    @Test("keepalives are on by default, and --ssh-option values come first so the operator's win")
    func keepaliveArguments() async throws {
        let executor = try SSHExecutor(settings: SSHSettings(options: ["ServerAliveInterval=5"]))
        let argv = try await executor.argv(for: CommandSpec(["true"]), on: node)
        let options = argv.indices.dropLast().filter { argv[$0] == "-o" }.map { argv[$0 + 1] }
        #expect(options.firstIndex(of: "ServerAliveInterval=5")! < options.firstIndex(of: "ServerAliveInterval=15")!)
        #expect(options.contains("ServerAliveCountMax=4"))
    }

    /// Processes stopped by a test, killed at its end whatever happened.
    final class Stopped: @unchecked Sendable {
        private let lock = NSLock()
        private var pids: [Int32] = []
        func add(_ more: [Int32]) { lock.withLock { pids += more } }
        func killAll() { lock.withLock { for pid in pids { kill(pid, SIGKILL) } } }
    }
}

/// ssh's own words, as OpenSSH 9 prints them, sorted into a lost session (the command may have run), a closure
/// before the session (nothing ran), and a remote command that itself exited 255 (its result, no ssh error).
@Suite struct SSHFailureWordingTests {
    let destination = SSHDestination(host: "10.0.0.5", origin: .internalIP, user: "root", port: 22)

    func kind(_ stderr: String) -> ExecutorError.Kind? {
        let result = ExecutionResult(status: .exited(255), duration: .seconds(1), stderrTail: [stderr])
        return SSHFailure.classify(result, node: "node01", destination: destination, connectTimeoutSeconds: 10)?.kind
    }

    @Test func lostSessionsClosuresBeforeItAndTheCommandsOwn255() {
        #expect(kind("Connection to 10.0.0.5 closed by remote host.") == .connectionLost)
        #expect(kind("Timeout, server 10.0.0.5 not responding.") == .connectionLost)
        #expect(kind("client_loop: send disconnect: Broken pipe") == .connectionLost)
        #expect(kind("packet_write_wait: Connection to 10.0.0.5 port 22: Broken pipe") == .connectionLost)
        #expect(kind("kex_exchange_identification: Connection closed by remote host") == .connectionClosed)
        #expect(kind("Connection closed by 10.0.0.5 port 22") == .connectionClosed)
        #expect(kind("error: the program failed on its own") == nil)
    }
}
