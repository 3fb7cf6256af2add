import Testing
@testable import NodeExec

@Suite("Validation of names, hosts and users")
struct ValidationTests {
    @Test("RFC 1123 node names", arguments: [
        ("node01", true), ("ip-10-0-0-1.ec2.internal", true), ("a", true), (String(repeating: "a", count: 63), true),
        ("", false), ("Node01", false), ("-node", false), ("node-", false), ("no_de", false), ("node..x", false),
        (".node", false), ("node.", false), (String(repeating: "a", count: 64), false), ("nöde", false),
        ("node;rm", false), ("node 1", false), ("$(id)", false),
    ])
    func nodeNames(name: String, valid: Bool) {
        #expect(HostValidation.isRFC1123Subdomain(name) == valid)
    }

    @Test("subdomains are at most 253 characters")
    func subdomainLength() {
        let label = String(repeating: "a", count: 63)
        #expect(HostValidation.isRFC1123Subdomain([label, label, label, String(repeating: "b", count: 61)].joined(separator: ".")))
        #expect(!HostValidation.isRFC1123Subdomain([label, label, label, String(repeating: "b", count: 62)].joined(separator: ".")))
    }

    @Test("IPv4 and IPv6", arguments: [
        ("10.0.0.1", true), ("255.255.255.255", true), ("0.0.0.0", true), ("256.1.1.1", false), ("1.2.3", false),
        ("01.2.3.4", false), ("1.2.3.4.5", false), ("a.b.c.d", false), ("::1", true), ("fd00::10:1", true),
        ("2001:db8::1", true), ("::ffff:10.0.0.1", true), ("fe80::1%eth0", false), ("[::1]", false), (":::", false),
        ("1::2::3", false), ("-1.2.3.4", false),
    ])
    func addresses(text: String, valid: Bool) {
        #expect(HostValidation.isIPAddress(text) == valid)
    }

    @Test("ssh hosts, users and options")
    func sshInputs() {
        #expect(HostValidation.isSSHHost("Node01.Example.com"))
        #expect(HostValidation.isSSHHost("::1"))
        #expect(!HostValidation.isSSHHost("-oProxyCommand=x"))
        #expect(!HostValidation.isSSHHost("user@host"))
        #expect(HostValidation.isUserName("ubuntu"))
        #expect(HostValidation.isUserName("ec2-user"))
        #expect(HostValidation.isUserName("_svc.k8s"))
        #expect(!HostValidation.isUserName("-root"))
        #expect(!HostValidation.isUserName("root;id"))
        #expect(!HostValidation.isUserName(""))
        #expect(!HostValidation.isUserName(String(repeating: "u", count: 33)))
        #expect(HostValidation.isSSHOption("ProxyJump=bastion"))
        #expect(!HostValidation.isSSHOption("ProxyJump"))
        #expect(!HostValidation.isSSHOption("=x"))
        #expect(!HostValidation.isSSHOption("Proxy-Jump=x"))
        #expect(!HostValidation.isSSHOption("ProxyJump=a\nb"))
        #expect(HostValidation.isEnvironmentName("DEBIAN_FRONTEND"))
        #expect(!HostValidation.isEnvironmentName("1X"))
        #expect(!HostValidation.isEnvironmentName("A=B"))
    }

    @Test("node targets refuse invalid names and addresses with a clear message")
    func targets() throws {
        #expect(throws: ExecutorError.self) { try NodeTarget(name: "Node_01") }
        let error = #expect(throws: ExecutorError.self) { try NodeTarget(name: "node01", internalIP: "10.0.0.300") }
        #expect(error?.message == "node01: InternalIP 10.0.0.300 is not an IPv4 or IPv6 address")
        #expect(try NodeTarget(name: "node01", internalIP: "fd00::1").internalIP == "fd00::1")
    }

    @Test("ssh settings refuse values that could become options or escape quoting")
    func settings() {
        let bad: [SSHSettings] = [
            SSHSettings(user: "-oProxyCommand=x"), SSHSettings(port: 0), SSHSettings(port: 70000),
            SSHSettings(identityFile: "-i"), SSHSettings(hostTemplate: "{name};id"), SSHSettings(hostTemplate: "$(id)"),
            SSHSettings(options: ["NoEquals"]), SSHSettings(connectTimeoutSeconds: 0), SSHSettings(sshPath: "ssh"),
        ]
        for settings in bad {
            #expect(throws: ExecutorError.self) { try settings.validate() }
        }
        #expect(throws: Never.self) {
            try SSHSettings(user: "ubuntu", port: 2222, identityFile: "/home/op/.ssh/id_ed25519",
                            hostTemplate: "{name}.nodes.example.com", options: ["ProxyJump=bastion"]).validate()
        }
    }

    @Test("host templates fill in the name and address and validate the result")
    func hostTemplates() throws {
        let node = try NodeTarget(name: "node01", internalIP: "10.1.2.3")
        #expect(try HostTemplate.render("{name}.k8s.example", for: node) == "node01.k8s.example")
        #expect(try HostTemplate.render("{ip}", for: node) == "10.1.2.3")
        #expect(throws: ExecutorError.self) { try HostTemplate.render("{ip}", for: try NodeTarget(name: "node02")) }
    }
}

@Suite("Shell quoting")
struct ShellQuotingTests {
    static let hostile = [
        "", " ", "plain", "with space", "it's", "''", "\"", "$(id)", "`id`", "${HOME}", "; rm -rf /", "a && b", "a|b",
        "*", "?", "~", "\\", "\\'", "'\\''", "\n", "line1\nline2", "\t", "-n", "--", "ünï ✓", "#comment", "!",
        "'; echo injected; '", "$'\\x41'", "\u{7F}", "\u{1B}[31m",
    ]

    @Test("round trip: sh -c with the quoted line gives back exactly the original argv")
    func roundTripThroughShell() async throws {
        let line = try ShellQuoting.commandLine(["printf", "<%s>\\0"] + Self.hostile)
        let recorder = OutputRecorder()
        let result = try await LocalExecutor(sanitizer: OutputSanitizer(maxScalars: 100_000))
            .run(CommandSpec(["/bin/sh", "-c", line + " | od -An -tx1 -v"]), on: .localhost, onOutput: recorder.handler)
        #expect(result.status == .exited(0))
        let bytes = recorder.texts.joined(separator: " ").split(separator: " ").compactMap { UInt8($0, radix: 16) }
        let expected: [UInt8] = Self.hostile.flatMap { (argument: String) -> [UInt8] in Array("<\(argument)>".utf8) + [0] }
        #expect(bytes == expected)
    }

    @Test("random strings survive the round trip too")
    func randomRoundTrip() async throws {
        var random = SeededRandom(seed: 7)
        let alphabet = Array(" '\"\\$`;&|*?~!#(){}[]<>\n\ta-züé".unicodeScalars)
        var argv: [String] = []
        for _ in 0..<200 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...12, using: &random) {
                if let scalar = alphabet.randomElement(using: &random) { text.append(scalar) }
            }
            argv.append(String(text))
        }
        let line = try ShellQuoting.commandLine(["printf", "%s\\0"] + argv)
        let recorder = OutputRecorder()
        _ = try await LocalExecutor(sanitizer: OutputSanitizer(maxScalars: 100_000))
            .run(CommandSpec(["/bin/sh", "-c", line + " | od -An -tx1 -v"]), on: .localhost, onOutput: recorder.handler)
        let bytes = recorder.texts.joined(separator: " ").split(separator: " ").compactMap { UInt8($0, radix: 16) }
        let expected: [UInt8] = argv.flatMap { (argument: String) -> [UInt8] in Array(argument.utf8) + [0] }
        #expect(bytes == expected)
    }

    @Test("quoting is strict single quotes; empty argv and NUL are refused")
    func quoting() throws {
        #expect(ShellQuoting.quote("it's") == #"'it'\''s'"#)
        #expect(ShellQuoting.quote("") == "''")
        #expect(try ShellQuoting.commandLine(["kubeadm", "upgrade", "node"]) == "'kubeadm' 'upgrade' 'node'")
        #expect(throws: ExecutorError.self) { try ShellQuoting.commandLine([]) }
        #expect(throws: ExecutorError.self) { try ShellQuoting.commandLine(["echo", "a\u{0}b"]) }
    }

    @Test("display lines quote only what needs it")
    func display() {
        #expect(ShellQuoting.displayLine(["apt-get", "install", "-y", "kubeadm=1.33.3-*"]) == "apt-get install -y 'kubeadm=1.33.3-*'")
        #expect(CommandSpec(["kubeadm", "upgrade", "node"], privileged: true).displayLine == "sudo kubeadm upgrade node")
    }
}
