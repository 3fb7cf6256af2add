/// Recognises the ways `sudo -n` refuses to run a command, from its stderr.
enum SudoFailure {
    /// The error for a sudo refusal, or nil when the command itself failed.
    ///
    /// `rootFix` is what the operator can do instead of sudo, e.g. "use --ssh-user root".
    static func classify(_ result: ExecutionResult, node: String, remoteUser: String?, rootFix: String)
        -> ExecutorError? {
        guard case .exited(let code) = result.status, code != 0 else { return nil }
        let tail = result.stderrTail.joined(separator: "\n").lowercased()
        let who = remoteUser.map { " for user \($0)" } ?? ""
        if tail.contains("sudo: a password is required") || tail.contains("sudo: a terminal is required")
            || tail.contains("sudo: no tty present") || tail.contains("askpass") {
            return ExecutorError(.sudoPasswordRequired, node: node,
                                 "sudo needs a password; configure NOPASSWD or \(rootFix)")
        }
        if tail.contains("is not in the sudoers file") || tail.contains("is not allowed to run sudo")
            || tail.contains("not allowed to execute") {
            return ExecutorError(.sudoNotPermitted, node: node,
                                 "sudo refused\(who) (not in sudoers for this command); grant it in sudoers or \(rootFix)")
        }
        if code == 127, tail.contains("sudo: not found") || tail.contains("sudo: command not found")
            || tail.contains("sudo: no such file") {
            return ExecutorError(.sudoMissing, node: node,
                                 "sudo is not installed\(who.isEmpty ? "" : " (connected\(who))"); install it or \(rootFix)")
        }
        return nil
    }
}
