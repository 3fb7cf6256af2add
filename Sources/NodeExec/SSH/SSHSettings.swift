/// How kubeskew reaches nodes over ssh: the operator's `--ssh-*` options, on top of their own `~/.ssh/config`.
public struct SSHSettings: Sendable, Hashable {
    /// When privileged commands are wrapped in `sudo -n`.
    public enum SudoPolicy: String, Sendable, Hashable, CaseIterable {
        /// Unless the remote user is root.
        case automatic
        /// Always, even as root.
        case always
        /// Never: the remote user must be able to run them directly.
        case never
    }

    /// `--ssh-user`: overrides the user of `~/.ssh/config`.
    public var user: String?
    /// `--ssh-port`.
    public var port: Int?
    /// `--ssh-identity`: a private key file; only that key is offered.
    public var identityFile: String?
    /// `--ssh-host`: a template such as `{name}.nodes.example.com` or `{ip}`, for nodes that are no ssh alias.
    public var hostTemplate: String?
    /// Extra `-o Key=Value` options, passed on as given.
    public var options: [String]
    /// Seconds ssh may take to connect (`ConnectTimeout`).
    public var connectTimeoutSeconds: Int
    /// An ssh config file to use instead of `~/.ssh/config` (`-F`).
    public var configFile: String?
    /// The OpenSSH client.
    public var sshPath: String
    /// When privileged commands get `sudo -n`.
    public var sudo: SudoPolicy
    /// Seconds of silence from the server before ssh asks whether it is still there (`ServerAliveInterval`).
    public var serverAliveIntervalSeconds: Int
    /// Unanswered asks before ssh gives the connection up as lost (`ServerAliveCountMax`).
    public var serverAliveCountMax: Int

    /// Creates settings; everything is checked by ``validate()`` before use.
    public init(user: String? = nil, port: Int? = nil, identityFile: String? = nil, hostTemplate: String? = nil,
                options: [String] = [], connectTimeoutSeconds: Int = 10, configFile: String? = nil,
                sshPath: String = "/usr/bin/ssh", sudo: SudoPolicy = .automatic, serverAliveIntervalSeconds: Int = 15,
                serverAliveCountMax: Int = 4) {
        self.user = user
        self.port = port
        self.identityFile = identityFile
        self.hostTemplate = hostTemplate
        self.options = options
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.configFile = configFile
        self.sshPath = sshPath
        self.sudo = sudo
        self.serverAliveIntervalSeconds = serverAliveIntervalSeconds
        self.serverAliveCountMax = serverAliveCountMax
    }

    /// Checks every value that reaches the ssh command line, with a message naming the option at fault.
    public func validate() throws(ExecutorError) {
        func refuse(_ detail: String) -> ExecutorError { ExecutorError(.sshConfiguration, node: nil, detail) }
        if let user, !HostValidation.isUserName(user) {
            throw refuse("--ssh-user \(ShellQuoting.displayQuote(user)) is not a valid user name")
        }
        if let port, !HostValidation.isPort(port) {
            throw refuse("--ssh-port \(port) is not a port number (1-65535)")
        }
        if let identityFile, !Self.isPlainPath(identityFile) {
            throw refuse("--ssh-identity \(ShellQuoting.displayQuote(identityFile)) is not a usable file path")
        }
        if let configFile, !Self.isPlainPath(configFile) {
            throw refuse("ssh config file \(ShellQuoting.displayQuote(configFile)) is not a usable file path")
        }
        if let hostTemplate {
            try HostTemplate.validate(hostTemplate)
        }
        for option in options where !HostValidation.isSSHOption(option) {
            throw refuse("ssh option \(ShellQuoting.displayQuote(option)) is not of the form Key=Value")
        }
        guard (1...600).contains(connectTimeoutSeconds) else {
            throw refuse("ssh connect timeout \(connectTimeoutSeconds) s is outside 1-600 s")
        }
        guard (1...3600).contains(serverAliveIntervalSeconds), (1...100).contains(serverAliveCountMax) else {
            throw refuse("ssh keepalive \(serverAliveIntervalSeconds) s × \(serverAliveCountMax) is outside 1-3600 s × 1-100")
        }
        guard sshPath.hasPrefix("/"), Self.isPlainPath(sshPath) else {
            throw refuse("ssh client path \(ShellQuoting.displayQuote(sshPath)) must be absolute")
        }
    }

    /// The options every ssh invocation gets, before the destination.
    var commonArguments: [String] {
        var arguments: [String] = []
        if let configFile { arguments += ["-F", configFile] }
        arguments += ["-o", "BatchMode=yes", "-o", "ConnectTimeout=\(connectTimeoutSeconds)"]
        if let port { arguments += ["-p", String(port)] }
        if let user { arguments += ["-l", user] }
        if let identityFile { arguments += ["-i", identityFile, "-o", "IdentitiesOnly=yes"] }
        for option in options { arguments += ["-o", option] }
        // Keepalives, after --ssh-option so that the operator's own win (ssh keeps an option's first value): a node
        // that vanishes mid-step (power, network) ends the step as a lost connection within a minute, instead of
        // holding it until the step's timeout. They are protocol messages: a command that prints nothing for an
        // hour is not affected.
        arguments += ["-o", "ServerAliveInterval=\(serverAliveIntervalSeconds)", "-o", "ServerAliveCountMax=\(serverAliveCountMax)"]
        return arguments
    }

    private static func isPlainPath(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("-") && path.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
    }
}

/// `--ssh-host` templates: `{name}` and `{ip}` filled in, the result validated as a host.
enum HostTemplate {
    static func validate(_ template: String) throws(ExecutorError) {
        let probe = template.replacing("{name}", with: "node").replacing("{ip}", with: "10.0.0.1")
        guard HostValidation.isSSHHost(probe) || HostValidation.isSSHHost(template.replacing("{ip}", with: "fd00::1")
            .replacing("{name}", with: "node")) else {
            throw ExecutorError(.sshConfiguration, node: nil,
                                "--ssh-host \(ShellQuoting.displayQuote(template)) must give a host name or address once {name} and {ip} are filled in")
        }
    }

    /// The host for a node, or nil when the template needs an address the node does not report.
    static func render(_ template: String, for node: NodeTarget) throws(ExecutorError) -> String {
        if template.contains("{ip}") && node.internalIP == nil {
            throw ExecutorError(.invalidTarget, node: node.name,
                                "--ssh-host \(ShellQuoting.displayQuote(template)) needs {ip}, but the node reports no InternalIP")
        }
        let host = template.replacing("{name}", with: node.name).replacing("{ip}", with: node.internalIP ?? "")
        guard HostValidation.isSSHHost(host) else {
            throw ExecutorError(.invalidTarget, node: node.name,
                                "--ssh-host gives \(ShellQuoting.displayQuote(host)), which is not a host name or address")
        }
        return host
    }
}
