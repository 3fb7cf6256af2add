/// Decides, once per node, which host ssh connects to and as whom.
///
/// Order: the node name when it is an alias in the ssh config (so aliases, users, keys and ProxyJump of the
/// operator's `~/.ssh/config` apply), else `--ssh-host` when given (the operator asked for it explicitly), else the
/// node's InternalIP.
actor SSHTargetResolver {
    private let query: SSHConfigQuery
    private var resolved: [NodeTarget: SSHDestination] = [:]
    private var unmatched: [String: [String]]?

    init(query: SSHConfigQuery) {
        self.query = query
    }

    func destination(for node: NodeTarget) async throws(ExecutorError) -> SSHDestination {
        if let known = resolved[node] { return known }
        let destination = try await resolve(node)
        resolved[node] = destination
        return destination
    }

    private func resolve(_ node: NodeTarget) async throws(ExecutorError) -> SSHDestination {
        let byName = try await query.configuration(for: node.name, node: node.name)
        let reference = try await unmatchedConfiguration(node: node.name)
        if SSHConfigQuery.isAlias(name: node.name, configuration: byName, unmatched: reference) {
            return try destination(host: node.name, origin: .sshAlias, configuration: byName, node: node)
        }
        let host: String
        let origin: SSHDestination.Origin
        if let template = query.settings.hostTemplate {
            host = try HostTemplate.render(template, for: node)
            origin = .hostTemplate
        } else if let address = node.internalIP {
            host = address
            origin = .internalIP
        } else {
            throw ExecutorError(.invalidTarget, node: node.name,
                                "no way to reach the node over ssh: its name is no Host alias in the ssh config, it reports no InternalIP, and no --ssh-host template was given")
        }
        let configuration = try await query.configuration(for: host, node: node.name)
        return try destination(host: host, origin: origin, configuration: configuration, node: node)
    }

    private func unmatchedConfiguration(node: String) async throws(ExecutorError) -> [String: [String]] {
        if let unmatched { return unmatched }
        let configuration = try await query.configuration(for: SSHConfigQuery.unmatchedHost, node: node)
        unmatched = configuration
        return configuration
    }

    private func destination(host: String, origin: SSHDestination.Origin, configuration: [String: [String]],
                             node: NodeTarget) throws(ExecutorError) -> SSHDestination {
        guard let user = configuration["user"]?.first, HostValidation.isUserName(user) else {
            throw ExecutorError(.sshConfiguration, node: node.name,
                                "the ssh config gives no valid user for \(host); set one with --ssh-user")
        }
        let port = configuration["port"]?.first.flatMap { Int($0) } ?? 22
        // The HostName of the config is what ssh connects to; it is shown and checked, so it must be a plain host.
        let hostname = configuration["hostname"]?.first ?? host
        guard HostValidation.isSSHHost(hostname) else {
            throw ExecutorError(.sshConfiguration, node: node.name,
                                "the ssh config gives \(ShellQuoting.displayQuote(hostname)) as HostName for \(host), which is not a host name or address")
        }
        return SSHDestination(host: host, hostname: hostname, origin: origin, user: user, port: port)
    }
}
