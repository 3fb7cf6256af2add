import Foundation
import SkewCore

/// The node shells of the simulated cluster: `apt-get`, `apt-mark`, `dpkg-query`, `yum`/`dnf`, `rpm -q`, `kubeadm`,
/// `kubelet`, `systemctl`, `sed`/`grep` (also `-E`) on the repository file and `cat /etc/os-release` answer with
/// the real tools' output formats and realistic timing, and change the simulated node — its reported kubelet
/// version changes only when the kubelet restarts.
public actor SimulatedNodeShells {
    /// How a line leaves the shell.
    public typealias Emit = @Sendable (_ line: String, _ isError: Bool) async -> Void

    let cluster: SimulatedCluster
    /// 1 = realistic (a few seconds per node); 10 = ten times faster; 0 = no waiting at all.
    public let speed: Double
    private var states: [String: NodeShellState] = [:]
    /// Commands that fail on purpose, for tests and the demo: node → argv prefix → (exit code, message).
    private var failures: [String: [([String], Int32, String)]] = [:]

    public init(cluster: SimulatedCluster, speed: Double = 1) {
        self.cluster = cluster
        self.speed = speed
    }

    /// Makes the next commands on `node` that start with `prefix` fail with `code` and `message` on stderr.
    public func injectFailure(node: String, prefix: [String], code: Int32, message: String) {
        failures[node, default: []].append((prefix, code, message))
    }

    public func clearFailures() { failures = [:] }

    /// Adds a commented-out line at the top of the node's package repository file (tests: a line naming another
    /// minor that must not count as the live source).
    public func addRepositoryComment(node: String, line: String) async {
        guard var state = await loadState(node) else { return }
        state.repositoryComments = (state.repositoryComments ?? []) + [line]
        states[node] = state
    }

    /// What every node's shell knows now (nodes never used yet are derived from the cluster when first used).
    func allStates() -> [String: NodeShellState] { states }

    /// Starts from the shells of an image.
    func restore(_ saved: [String: NodeShellState]) { states = saved }

    /// Whether the node exists (an executor reports an unknown node as unreachable).
    public func hasNode(_ node: String) async -> Bool { await cluster.node(node) != nil }

    /// Runs one argv on `node`; returns the exit status. `sudo -n --` prefixes are accepted and dropped.
    public func run(node: String, argv rawArgv: [String], emit: Emit) async -> Int32 {
        var argv = rawArgv
        if argv.first == "sudo" {
            argv.removeFirst()
            while let f = argv.first, f.hasPrefix("-") { argv.removeFirst(); if f == "--" { break } }
        }
        if argv.first == "env" { argv.removeFirst() }
        // `env ETCDCTL_API=3 etcdctl …` and a bare `ETCDCTL_API=3 etcdctl …` both set variables the tools here ignore.
        while let f = argv.first, f.contains("="), !f.hasPrefix("-") { argv.removeFirst() }
        guard var state = await loadState(node) else {
            await emit("ssh: Could not resolve hostname \(node): Name or service not known", true)
            return 255
        }
        for (prefix, code, message) in failures[node] ?? [] where argv.starts(with: prefix) {
            await emit(message, true)
            return code
        }
        guard let program = argv.first else { return 0 }
        let args = Array(argv.dropFirst())
        let code: Int32
        switch program {
        case "apt-get", "apt": code = await aptGet(args, &state, emit)
        case "apt-mark": code = await aptMark(args, &state, emit)
        case "dpkg-query": code = await dpkgQuery(args, state, emit)
        case "rpm": code = await rpmQuery(args, state, emit)
        case "yum", "dnf": code = await rpmInstall(program, args, &state, emit)
        case "kubeadm": code = await kubeadm(node, args, &state, emit)
        case "kubelet": code = await kubelet(args, state, emit)
        case "etcdctl": code = await etcdctl(node, args, &state, emit)
        case "etcdutl": code = await etcdutl(args, state, emit)
        case "kubectl" where args == ["version", "--client", "-o", "yaml"] || args.first == "version":
            await emit("Client Version: \(state.kubectl)", false); code = 0
        case "systemctl": code = await systemctl(node, args, &state, emit)
        case "sed": code = await sed(args, &state, emit)
        case "grep": code = await grep(args, state, emit)
        case "cat": code = await cat(args, state, emit)
        case "true": code = 0
        case "mkdir": code = await mkdir(args, &state, emit)
        case "systemd-run": code = await systemdRun(node, args, emit)
        case "hostname": await emit(node, false); code = 0
        default:
            await emit("sh: 1: \(program): not found", true)
            code = 127
        }
        states[node] = state
        return code
    }

    func loadState(_ node: String) async -> NodeShellState? {
        if let s = states[node] { return s }
        guard let object = await cluster.node(node) else { return nil }
        let kubeletText = object[["status", "nodeInfo", "kubeletVersion"]]?.stringValue ?? "v0.0.0"
        let kubelet = KubeVersion.parse(kubeletText)?.release ?? KubeVersion(major: 0, minor: 0, patch: 0)
        let packages = await cluster.packages(of: node)
        let kubeadm = packages.flatMap { KubeVersion.parse($0.kubeadm)?.release } ?? kubelet
        let state = NodeShellState(os: packages?.os ?? .debian, kubeadm: kubeadm, kubelet: kubelet)
        states[node] = state
        return state
    }

    func pause(_ seconds: Double) async {
        guard speed > 0 else { return }
        try? await Task.sleep(for: .milliseconds(Int(seconds * 1000 / speed)))
    }

    // MARK: Debian

    private func aptGet(_ args: [String], _ s: inout NodeShellState, _ emit: Emit) async -> Int32 {
        guard s.os == .debian else { await emit("sh: 1: apt-get: not found", true); return 127 }
        guard let verb = args.first(where: { !$0.hasPrefix("-") }) else { await emit("E: Invalid operation", true); return 100 }
        switch verb {
        case "update":
            let m = s.repositoryMinor
            await emit("Hit:1 http://deb.debian.org/debian bookworm InRelease", false)
            await pause(0.3)
            await emit("Get:2 https://prod-cdn.packages.k8s.io/repositories/isv:/kubernetes:/core:/stable:/v\(m)/deb  InRelease [1,189 B]", false)
            await pause(0.3)
            await emit("Fetched 1,189 B in 1s (1,652 B/s)", false)
            await emit("Reading package lists...", false)
            return 0
        case "install":
            let requests = args.drop { $0 != "install" }.dropFirst().filter { !$0.hasPrefix("-") }
            await emit("Reading package lists...", false)
            await pause(0.2)
            await emit("Building dependency tree...", false)
            await emit("Reading state information...", false)
            var changes: [(String, KubeVersion, KubeVersion)] = []
            for request in requests {
                let parts = request.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, ["kubeadm", "kubelet", "kubectl"].contains(parts[0]) else {
                    await emit("E: Unable to locate package \(request)", true)
                    return 100
                }
                guard let wanted = Self.packageVersion(parts[1]), wanted.minorLine == s.repositoryMinor, PackageRepository.carries(wanted) else {
                    await emit("E: Version '\(parts[1])' for '\(parts[0])' was not found", true)
                    return 100
                }
                if s.held.contains(parts[0]) {
                    await emit("E: Held packages were changed and -y was used without --allow-change-held-packages.", true)
                    return 100
                }
                changes.append((parts[0], installed(parts[0], s), wanted))
            }
            await install(changes, &s, emit, deb: true)
            return 0
        default:
            await emit("E: Invalid operation \(verb)", true)
            return 100
        }
    }

    private func aptMark(_ args: [String], _ s: inout NodeShellState, _ emit: Emit) async -> Int32 {
        guard s.os == .debian else { await emit("sh: 1: apt-mark: not found", true); return 127 }
        if args.first == "showhold" {
            // One held package per line, sorted; named packages narrow the list.
            let named = Set(args.dropFirst())
            for p in s.held.sorted() where named.isEmpty || named.contains(p) { await emit(p, false) }
            return 0
        }
        guard let verb = args.first, verb == "hold" || verb == "unhold" else { await emit("E: Invalid operation", true); return 100 }
        for p in args.dropFirst() {
            if verb == "hold" {
                s.held.insert(p)
                await emit("\(p) set on hold.", false)
            } else {
                s.held.remove(p)
                await emit("Canceled hold on \(p).", false)
            }
        }
        return 0
    }

    /// `dpkg-query -W [-f FORMAT] PACKAGE…`: one formatted entry per named package, in argument order; the default
    /// format is `${binary:Package}\t${Version}\n`; a package dpkg does not know fails the query (exit 1).
    private func dpkgQuery(_ args: [String], _ s: NodeShellState, _ emit: Emit) async -> Int32 {
        guard s.os == .debian else { await emit("sh: 1: dpkg-query: not found", true); return 127 }
        var format = "${binary:Package}\t${Version}\n"
        var show = false
        var packages: [String] = []
        var rest = args[...]
        while let a = rest.popFirst() {
            switch a {
            case "-W", "--show": show = true
            case "-f", "--showformat": format = rest.popFirst() ?? ""
            default:
                if a.hasPrefix("--showformat=") { format = String(a.dropFirst("--showformat=".count)) } else { packages.append(a) }
            }
        }
        guard show else { await emit("dpkg-query: need an action option", true); return 2 }
        var out = ""
        var missing = false
        for p in packages {
            guard ["kubeadm", "kubelet", "kubectl"].contains(p) else {
                await emit("dpkg-query: no packages found matching \(p)", true)
                missing = true
                continue
            }
            out += Self.expandEscapes(format
                .replacingOccurrences(of: "${binary:Package}", with: p).replacingOccurrences(of: "${Package}", with: p)
                .replacingOccurrences(of: "${Version}", with: "\(installed(p, s).packageVersion)-1.1"))
        }
        for line in out.split(separator: "\n", omittingEmptySubsequences: false).dropLast(out.hasSuffix("\n") ? 1 : 0) {
            await emit(String(line), false)
        }
        return missing ? 1 : 0
    }

    /// `rpm -q [--qf FORMAT] PACKAGE…`: one entry per named package, in argument order (default
    /// `%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}`); a package not installed prints "package P is not installed" and
    /// counts in the exit status.
    private func rpmQuery(_ args: [String], _ s: NodeShellState, _ emit: Emit) async -> Int32 {
        guard s.os == .rhel else { await emit("sh: 1: rpm: not found", true); return 127 }
        var format = "%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\n"
        var query = false
        var packages: [String] = []
        var rest = args[...]
        while let a = rest.popFirst() {
            switch a {
            case "-q", "--query": query = true
            case "--qf", "--queryformat": format = rest.popFirst() ?? ""
            default:
                if a.hasPrefix("--qf=") || a.hasPrefix("--queryformat=") {
                    format = String(a.drop { $0 != "=" }.dropFirst())
                } else { packages.append(a) }
            }
        }
        guard query else { await emit("rpm: no operation specified", true); return 1 }
        var out = ""
        var missing: Int32 = 0
        for p in packages {
            guard ["kubeadm", "kubelet", "kubectl"].contains(p) else {
                out += "package \(p) is not installed\n"
                missing += 1
                continue
            }
            out += Self.expandEscapes(format.replacingOccurrences(of: "%{NAME}", with: p)
                .replacingOccurrences(of: "%{VERSION}", with: installed(p, s).packageVersion)
                .replacingOccurrences(of: "%{RELEASE}", with: "150500.1.1").replacingOccurrences(of: "%{ARCH}", with: "x86_64"))
        }
        for line in out.split(separator: "\n", omittingEmptySubsequences: false).dropLast(out.hasSuffix("\n") ? 1 : 0) {
            await emit(String(line), false)
        }
        return missing
    }

    /// `\n` and `\t` in a dpkg-query or rpm format, as the tools read them.
    static func expandEscapes(_ format: String) -> String {
        format.replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\t", with: "\t")
    }

    // MARK: RHEL

    private func rpmInstall(_ tool: String, _ args: [String], _ s: inout NodeShellState, _ emit: Emit) async -> Int32 {
        guard s.os == .rhel else { await emit("sh: 1: \(tool): not found", true); return 127 }
        if args.first == "clean" {
            await emit("12 files removed", false)
            return 0
        }
        guard args.first == "install" else { await emit("No such command: \(args.first ?? ""). Please use /usr/bin/\(tool) --help", true); return 1 }
        let excludesDisabled = args.contains("--disableexcludes=kubernetes") || args.contains("--setopt=disable_excludes=kubernetes")
        let requests = args.dropFirst().filter { !$0.hasPrefix("-") }
        await emit("Kubernetes                                      12 kB/s | 1.7 kB     00:00", false)
        await pause(0.4)
        var changes: [(String, KubeVersion, KubeVersion)] = []
        for request in requests {
            guard let dash = request.firstIndex(of: "-"), ["kubeadm", "kubelet", "kubectl"].contains(String(request[..<dash])) else {
                await emit("No match for argument: \(request)", true)
                await emit("Error: Unable to find a match: \(request)", true)
                return 1
            }
            let name = String(request[..<dash])
            let wanted = Self.packageVersion(String(request[request.index(after: dash)...]))
            if excludesDisabled, wanted.map({ $0.minorLine != s.repositoryMinor || !PackageRepository.carries($0) }) ?? true {
                await emit("No match for argument: \(request)", true)
                await emit("Error: Unable to find a match: \(request)", true)
                return 1
            }
            guard excludesDisabled, let wanted else {
                await emit("All matches were filtered out by exclude filtering for argument: \(request)", true)
                await emit("Error: Unable to find a match: \(request)", true)
                return 1
            }
            changes.append((name, installed(name, s), wanted))
        }
        await emit("Dependencies resolved.", false)
        await install(changes, &s, emit, deb: false)
        await emit("Complete!", false)
        return 0
    }

    // MARK: packages

    private func installed(_ name: String, _ s: NodeShellState) -> KubeVersion {
        switch name {
        case "kubeadm": return s.kubeadm
        case "kubelet": return s.kubelet
        default: return s.kubectl
        }
    }

    private func install(_ changes: [(String, KubeVersion, KubeVersion)], _ s: inout NodeShellState, _ emit: Emit, deb: Bool) async {
        let moving = changes.filter { $0.1 != $0.2 }
        if moving.isEmpty {
            for (name, v, _) in changes { await emit("\(name) is already the newest version (\(v.packageVersion)-1.1).", false) }
            await emit("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.", false)
            return
        }
        if deb {
            await emit("The following packages will be upgraded:", false)
            await emit("  " + moving.map(\.0).joined(separator: " "), false)
            await emit("\(moving.count) upgraded, 0 newly installed, 0 to remove and 0 not upgraded.", false)
        }
        for (name, from, to) in moving {
            await pause(0.5)
            if deb {
                await emit("Get:1 https://prod-cdn.packages.k8s.io/repositories/isv:/kubernetes:/core:/stable:/v\(to.minorLine)/deb  \(name) \(to.packageVersion)-1.1 [11.2 MB]", false)
                await emit("Preparing to unpack .../\(name)_\(to.packageVersion)-1.1_amd64.deb ...", false)
                await emit("Unpacking \(name) (\(to.packageVersion)-1.1) over (\(from.packageVersion)-1.1) ...", false)
                await emit("Setting up \(name) (\(to.packageVersion)-1.1) ...", false)
            } else {
                await emit("  Upgrading        : \(name)-\(to.packageVersion)-150500.1.1.x86_64", false)
                await emit("  Cleanup          : \(name)-\(from.packageVersion)-150500.1.1.x86_64", false)
            }
            switch name {
            case "kubeadm": s.kubeadm = to
            case "kubelet": s.kubelet = to; s.daemonReloaded = false
            default: s.kubectl = to
            }
        }
    }

    /// `1.33.3-*`, `1.33.3-1.1`, `1.33.3` → 1.33.3.
    static func packageVersion(_ text: String) -> KubeVersion? {
        let core = text.split(separator: "-", maxSplits: 1).first.map(String.init) ?? text
        return KubeVersion.parse(core)
    }

    // MARK: kubeadm, kubelet, systemd

    private func kubeadm(_ node: String, _ args: [String], _ s: inout NodeShellState, _ emit: Emit) async -> Int32 {
        if args.starts(with: ["version"]) {
            if args.contains("short") { await emit(s.kubeadm.description, false) } else {
                await emit("kubeadm version: &version.Info{Major:\"\(s.kubeadm.major)\", Minor:\"\(s.kubeadm.minor)\", GitVersion:\"\(s.kubeadm)\", GoVersion:\"go1.24.4\", Compiler:\"gc\", Platform:\"linux/amd64\"}", false)
            }
            return 0
        }
        if let code = await kubeadmControlPlane(node, args, &s, emit) { return code }
        guard args.starts(with: ["upgrade", "node"]) else {
            await emit("unknown command \"\(args.first ?? "")\" for \"kubeadm\"", true)
            return 1
        }
        await emit("[upgrade] Reading configuration from the \"kubeadm-config\" ConfigMap in namespace \"kube-system\"...", false)
        await emit("[upgrade] Use 'kubeadm init phase upload-config --config your-config-file' to re-upload it.", false)
        await pause(0.4)
        await emit("[preflight] Running pre-flight checks", false)
        await emit("[preflight] Skipping prepull. Not a control plane node.", false)
        await emit("[upgrade/control-plane] Skipping phase. Not a control plane node.", false)
        await emit("[upgrade/kubeconfig] Skipping phase. Not a control plane node.", false)
        await pause(0.4)
        await emit("[upgrade] Backing up kubelet config file to /etc/kubernetes/tmp/kubeadm-kubelet-config\(Int.random(in: 100_000_000...999_999_999))/config.yaml", false)
        await emit("[patches] Applied patch of type \"application/strategic-merge-patch+json\" to target \"kubeletconfiguration\"", false)
        await emit("[kubelet-start] Writing kubelet configuration to file \"/var/lib/kubelet/config.yaml\"", false)
        await emit("[upgrade/kubelet-config] The kubelet configuration for this node was successfully upgraded!", false)
        await emit("[upgrade/addon] Skipping the addon/coredns phase. Not a control plane node.", false)
        await emit("[upgrade/addon] Skipping the addon/kube-proxy phase. Not a control plane node.", false)
        s.configuredFor = s.kubeadm
        await emit("[upgrade] The configuration for this node was successfully updated!", false)
        await emit("[upgrade] Now you should go ahead and upgrade the kubelet package using your package manager.", false)
        return 0
    }

    private func kubelet(_ args: [String], _ s: NodeShellState, _ emit: Emit) async -> Int32 {
        guard args == ["--version"] else { await emit("kubelet: unknown flag", true); return 1 }
        await emit("Kubernetes \(s.kubelet)", false)
        return 0
    }

    private func systemctl(_ node: String, _ args: [String], _ s: inout NodeShellState, _ emit: Emit) async -> Int32 {
        switch args {
        case ["daemon-reload"]:
            await pause(0.2)
            s.daemonReloaded = true
            return 0
        case ["restart", "kubelet"]:
            if !s.daemonReloaded {
                await emit("Warning: The unit file, source configuration file or drop-ins of kubelet.service changed on disk. Run 'systemctl daemon-reload' to reload units.", true)
            }
            await pause(0.6)
            // The kubelet comes back and reports its new version through the API.
            try? await cluster.setKubeletVersion(node, s.kubelet.description)
            // kube-proxy follows the kubelet in this model (the scenario's default): its pod on the node comes
            // back with the node's new version, so an upgraded node converges to `current`.
            try? await cluster.setKubeProxyVersion(node, s.kubelet.description)
            return 0
        case ["is-active", "kubelet"]:
            await emit("active", false)
            return 0
        default:
            await emit("Unknown command verb \(args.first ?? "").", true)
            return 1
        }
    }

    /// `systemd-run --on-active=N --unit=U CMD…`: CMD runs N seconds later, detached from the caller (how the pod
    /// executor restarts the kubelet without cutting its own stream).
    private func systemdRun(_ node: String, _ args: [String], _ emit: Emit) async -> Int32 {
        var delay = 0.0
        var unit = "run-\(Int.random(in: 1000...9999))"
        var rest = args[...]
        while let option = rest.first, option.hasPrefix("--") {
            if option.hasPrefix("--on-active=") { delay = Double(option.dropFirst("--on-active=".count)) ?? 0 }
            if option.hasPrefix("--unit=") { unit = String(option.dropFirst("--unit=".count)) }
            rest = rest.dropFirst()
        }
        guard !rest.isEmpty else { await emit("systemd-run: missing command", true); return 1 }
        await emit("Running timer as unit: \(unit).timer", false)
        await emit("Will run service as unit: \(unit).service", false)
        let command = Array(rest)
        Task {
            await self.pause(delay)
            _ = await self.run(node: node, argv: command) { _, _ in }
        }
        return 0
    }

    // MARK: files

    private func sed(_ args: [String], _ s: inout NodeShellState, _ emit: Emit) async -> Int32 {
        guard args.count == 3, args[0] == "-i", args[2] == s.repositoryFile else {
            await emit("sed: can't read \(args.last ?? ""): No such file or directory", true)
            return 2
        }
        // The runbook's expression replaces the `/core:/stable:/vX.Y/` part with the hop's minor.
        guard let range = args[1].range(of: #"/core:/stable:/v[0-9]+\.[0-9]+/#g$"#, options: .regularExpression),
              let minor = MinorLine(String(args[1][range].dropFirst("/core:/stable:/v".count).dropLast(3))) else {
            await emit("sed: -e expression #1, char 1: unknown command", true)
            return 1
        }
        s.repositoryMinor = minor
        // sed edits every line, commented ones too.
        s.repositoryComments = s.repositoryComments?.map {
            $0.replacingOccurrences(of: #"/core:/stable:/v[0-9]+\.[0-9]+/"#, with: "/core:/stable:/v\(minor)/", options: .regularExpression)
        }
        return 0
    }

    /// `grep [-q] [-E] PATTERN FILE` on the repository file: a fixed pattern matches as a substring (what the
    /// runbooks' basic patterns amount to), `-E` as an extended regular expression (POSIX classes such as
    /// `[[:space:]]` included); exit 0 when a line matches, 1 when none, 2 on a bad file or pattern.
    private func grep(_ args: [String], _ s: NodeShellState, _ emit: Emit) async -> Int32 {
        var quiet = false
        var extended = false
        var operands: [String] = []
        for a in args {
            if a.hasPrefix("-") && a.count > 1 && operands.isEmpty {
                for flag in a.dropFirst() {
                    switch flag {
                    case "q": quiet = true
                    case "E": extended = true
                    default: await emit("grep: invalid option -- '\(flag)'", true); return 2
                    }
                }
            } else {
                operands.append(a)
            }
        }
        guard operands.count == 2 else { return 2 }
        guard operands[1] == s.repositoryFile else {
            await emit("grep: \(operands[1]): No such file or directory", true)
            return 2
        }
        let lines = s.repositoryText.split(separator: "\n").map(String.init)
        let matching: [String]
        if extended {
            let pattern = operands[0].replacingOccurrences(of: "[:space:]", with: #"\s"#)
                .replacingOccurrences(of: "[:digit:]", with: #"\d"#)
            guard let regex = try? NSRegularExpression(pattern: pattern) else {
                await emit("grep: Unmatched ( or \\(", true)
                return 2
            }
            matching = lines.filter { regex.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil }
        } else {
            matching = lines.filter { $0.contains(operands[0]) }
        }
        if !quiet { for l in matching { await emit(l, false) } }
        return matching.isEmpty ? 1 : 0
    }

    private func cat(_ args: [String], _ s: NodeShellState, _ emit: Emit) async -> Int32 {
        switch args.first {
        case "/etc/os-release":
            let lines = s.os == .debian
                ? ["PRETTY_NAME=\"Ubuntu 22.04.5 LTS\"", "NAME=\"Ubuntu\"", "VERSION_ID=\"22.04\"", "ID=ubuntu", "ID_LIKE=debian"]
                : ["NAME=\"Rocky Linux\"", "VERSION=\"9.5 (Blue Onyx)\"", "ID=\"rocky\"", "ID_LIKE=\"rhel centos fedora\"", "VERSION_ID=\"9.5\""]
            for l in lines { await emit(l, false) }
            return 0
        case s.repositoryFile:
            for l in s.repositoryText.split(separator: "\n") { await emit(String(l), false) }
            return 0
        default:
            await emit("cat: \(args.first ?? ""): No such file or directory", true)
            return 1
        }
    }
}
