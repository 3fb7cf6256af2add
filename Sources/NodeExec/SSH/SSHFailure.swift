/// Recognises the ssh client's own failures (exit status 255 and its diagnostics on stderr) and explains them.
enum SSHFailure {
    /// The error for an ssh failure, or nil when the remote command itself produced the result.
    static func classify(_ result: ExecutionResult, node: String, destination: SSHDestination,
                         connectTimeoutSeconds: Int) -> ExecutorError? {
        guard result.status == .exited(255) else { return nil }
        let lines = result.stderrTail.filter { !$0.isEmpty }
        let text = lines.joined(separator: "\n").lowercased()
        func line(containing needle: String) -> String {
            lines.last { $0.lowercased().contains(needle) } ?? needle
        }
        let target = destination.display
        let address = destination.host.contains(":") ? "[\(destination.host)]:\(destination.port)"
                                                    : "\(destination.host):\(destination.port)"
        if text.contains("host key verification failed") || text.contains("remote host identification has changed")
            || text.contains("host key for") && text.contains("has changed") {
            return ExecutorError(.hostKeyVerificationFailed, node: node,
                                 "ssh host key verification failed for \(address): the key is unknown or has changed; verify it, then add it to known_hosts (ssh-keyscan -p \(destination.port) \(destination.host)) or remove a stale entry (ssh-keygen -R \(destination.host))")
        }
        if text.contains("permission denied") || text.contains("too many authentication failures")
            || text.contains("no more authentication methods") {
            return ExecutorError(.authenticationFailed, node: node,
                                 "ssh authentication failed as \(target) (\(line(containing: "permission denied"))); check --ssh-user and --ssh-identity (or your ssh-agent) and that the key is in the node's authorized_keys")
        }
        if text.contains("connection refused") {
            return ExecutorError(.connectionRefused, node: node,
                                 "connection refused by \(address); is sshd running there, and is the port right (--ssh-port)?")
        }
        if text.contains("timed out") {
            return ExecutorError(.connectionTimedOut, node: node,
                                 "ssh connection to \(address) timed out after \(connectTimeoutSeconds) s; check the address, firewalls, or a ProxyJump in ~/.ssh/config")
        }
        if text.contains("could not resolve hostname") || text.contains("name or service not known")
            || text.contains("temporary failure in name resolution") {
            return ExecutorError(.hostUnresolvable, node: node,
                                 "cannot resolve host \(destination.host); add a Host entry to ~/.ssh/config or use --ssh-host")
        }
        if text.contains("no route to host") || text.contains("network is unreachable") {
            return ExecutorError(.hostUnreachable, node: node,
                                 "no route to \(address); check the node's address and the network")
        }
        if text.contains("bad configuration option") || text.contains("terminating, ")
            || text.contains("can't open user config") || text.contains("no such file or directory")
            && text.contains("config") {
            return ExecutorError(.sshConfiguration, node: node,
                                 "ssh configuration error: \(lines.last ?? "unknown")")
        }
        // Lost after the session was up (the sshd serving it died, the node rebooted, keepalives went unanswered):
        // unlike a refusal, the command may have run, in part or in full. kex_exchange_identification is a closure
        // before the session, below.
        if !text.contains("kex_exchange_identification"),
           text.contains("closed by remote host") || text.contains("not responding") && text.contains("timeout, server")
            || text.contains("client_loop: send disconnect") || text.contains("packet_write_wait") {
            let said = lines.last { ["closed by remote host", "not responding", "client_loop", "packet_write_wait"].contains(where: $0.lowercased().contains) }
            return ExecutorError(.connectionLost, node: node,
                                 "the ssh connection to \(address) was lost while the command ran (\(said ?? "no detail")); it may have finished, stopped half-way or not started: check the node (rebooted? sshd restarted? network?), then retry it; each step is checked before it runs again")
        }
        if text.contains("connection closed") || text.contains("connection reset")
            || text.contains("kex_exchange_identification") || text.contains("broken pipe") {
            return ExecutorError(.connectionClosed, node: node,
                                 "ssh connection to \(address) was closed: \(lines.last ?? "no detail")")
        }
        return nil
    }
}
