/// Asks the OpenSSH client how it would connect to a host (`ssh -G`), so the operator's `~/.ssh/config` decides
/// aliases, users, ports and keys exactly as it does for their own ssh commands.
struct SSHConfigQuery: Sendable {
    /// The options whose difference from an unmatched host shows that a Host block matched.
    static let significantKeys = ["user", "port", "identityfile", "proxyjump", "proxycommand", "certificatefile",
                                  "hostkeyalias"]
    /// A host name no Host block of a sane config matches.
    static let unmatchedHost = "kubeskew-unmatched-probe.invalid"

    let settings: SSHSettings
    let runner: ProcessRunner

    /// The configuration ssh would use for `host`: each key (lower case) with its values in order.
    func configuration(for host: String, node: String) async throws(ExecutorError) -> [String: [String]] {
        let collector = LineCollector(maxLines: 2000)
        let arguments = settings.commonArguments + ["-G", "--", host]
        let result: ExecutionResult
        do {
            result = try await runner.run(executable: settings.sshPath, arguments: arguments, environment: [:],
                                          timeout: .seconds(60)) { collector.add($0) }
        } catch {
            throw ExecutorError(.launchFailed, node: node,
                                "cannot run the ssh client \(settings.sshPath) (install openssh-client): \(error.message)")
        }
        guard result.succeeded else {
            // `ssh -G` always says "Pseudo-terminal will not be allocated…" when stdin is no terminal: that line is
            // not why it failed. Ended by a signal or the deadline, the status says what happened; else ssh's own
            // last word on the configuration.
            let said = result.stderrTail.last(where: { !$0.isEmpty && !$0.hasPrefix("Pseudo-terminal will not be allocated") })
            if case .exited = result.status {
                throw ExecutorError(.sshConfiguration, node: node, "ssh rejects its configuration for \(host): \(said ?? "\(result.status)")")
            }
            throw ExecutorError(.sshConfiguration, node: node, "ssh -G \(host) did not finish (\(result.status))\(said.map { ": \($0)" } ?? "")")
        }
        return Self.parse(collector.lines.filter { $0.source == .stdout }.map(\.text))
    }

    /// Parses `ssh -G` output: one `key value` per line.
    static func parse(_ lines: [String]) -> [String: [String]] {
        var configuration: [String: [String]] = [:]
        for line in lines {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard let key = parts.first else { continue }
            configuration[key.lowercased(), default: []].append(parts.count > 1 ? String(parts[1]) : "")
        }
        return configuration
    }

    /// Whether the node name is an ssh alias: ssh maps it to another host name, or some Host block gives it a
    /// user, port, key or jump host that an unmatched name would not get.
    static func isAlias(name: String, configuration: [String: [String]], unmatched: [String: [String]]) -> Bool {
        if let hostname = configuration["hostname"]?.first, hostname.lowercased() != name.lowercased() {
            return true
        }
        return significantKeys.contains { configuration[$0] != unmatched[$0] }
    }
}
