import Foundation
import Testing
import TestSupport

/// Issue 16, "the least privilege documented and tested": kubeskew and the real kubectl run against `kubeskew sim`
/// as the users the shipped roles of deploy/rbac authorize (contexts kubeskew-readonly and kubeskew-upgrader; the
/// simulator evaluates the rules of those very files). The roles are enough (no request refused) and enforced (a
/// write without its rule is refused with the API server's 403, and stops the run at once).
@Suite(.serialized)
struct LeastPrivilegeEndToEndTests {
    /// kubectl 1.33 (the demo's minor) under the name `kubectl`, first on PATH, for the drain and uncordon kubeskew
    /// runs: the machine's version dispatcher probes the server first, which a loaded machine made slow.
    static let pinned = URL(fileURLWithPath: "/usr/bin/kubectl").resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("kubectl.1.33").path
    static let kubectl = FileManager.default.isExecutableFile(atPath: pinned) ? pinned : "kubectl"

    static func pinnedKubectlEnvironment(_ folder: URL) throws -> [String: String] {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard FileManager.default.isExecutableFile(atPath: pinned) else { return ["PATH": path] }
        let bin = folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent("kubectl").path, withDestinationPath: pinned)
        return ["PATH": "\(bin.path):\(path)"]
    }

    /// The API requests of a `--log-file` that were refused (status 403).
    static func refused(in log: URL) -> [String] {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init).filter { $0.contains(" 403 ") }
    }

    /// Whether the admin sees `node` cordoned.
    static func unschedulable(_ sim: SimProcess, _ node: String) async throws -> Bool {
        let r = try await ChildProcess.run(Self.kubectl, ["--kubeconfig", sim.kubeconfig.path, "--context", "sim", "get", "node", node,
                                                "-o", "jsonpath={.spec.unschedulable}"], timeout: .seconds(60))
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "true"
    }

    static func kubelet(_ sim: SimProcess, _ node: String) async throws -> String {
        let r = try await ChildProcess.run(Self.kubectl, ["--kubeconfig", sim.kubeconfig.path, "--context", "sim", "get", "node", node,
                                                "-o", "jsonpath={.status.nodeInfo.kubeletVersion}"], timeout: .seconds(60))
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func readOnlyRoleReadsEverythingTheReadCommandsNeedAndAnUpgradeIsRefusedChangingNothing() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let log = sim.directory.appendingPathComponent("api.log")
        let context = ["--kubeconfig", sim.kubeconfig.path, "--context", "kubeskew-readonly", "--log-file", log.path, "-v"]
        let env = ["XDG_STATE_HOME": sim.directory.appendingPathComponent("state").path]

        let check = try await BinaryRunner.run(["check", "-o", "json", "--target", "next-minor"] + context, environment: env)
        #expect([0, 2, 3].contains(check.status), "check: \(check.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any], "\(check.stdout)")
        #expect((doc["nodes"] as? [Any])?.count == 10)
        // `apis` takes no --log-file: its refusals would show in its report, which is checked below.
        let apis = try await BinaryRunner.run(["apis", "--target", "next-minor", "--kubeconfig", sim.kubeconfig.path,
                                               "--context", "kubeskew-readonly"], environment: env)
        #expect([0, 2].contains(apis.status), "apis: \(apis.stdout)\n\(apis.stderr)")
        let plan = try await BinaryRunner.run(["plan", "node01"] + context, environment: env)
        #expect(plan.status == 0, "plan: \(plan.stdout)\n\(plan.stderr)")
        for (name, r) in [("check", check), ("apis", apis), ("plan", plan)] {
            #expect(!(r.stdout + r.stderr).lowercased().contains("forbidden"), "\(name) was refused something:\n\(r.stdout)\n\(r.stderr)")
        }
        #expect(Self.refused(in: log).isEmpty, "refused: \(Self.refused(in: log))")
        #expect(((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("GET /metrics 200"), "the scan read /metrics")

        let upgrade = try await BinaryRunner.run(["upgrade", "node01", "--yes", "--accept-blockers", "--executor", "simulated"] + context,
                                                 environment: env.merging(try Self.pinnedKubectlEnvironment(sim.directory)) { $1 },
                                                 timeout: 120)
        #expect(upgrade.status != 0)
        let said = upgrade.stdout + upgrade.stderr
        // The first write is the node's Lease: refused, said with the permission it takes, and nothing else is tried.
        #expect(said.contains(#"forbidden: user "kubeskew-readonly" may not get leases "kubeskew-node-node01" in namespace kube-system"#),
                "the refusal is named:\n\(said)")
        #expect(said.contains("nothing was done to the node"), "\(said)")
        #expect(!said.contains("another kubeskew holds"), "a 403 is not another operator:\n\(said)")
        #expect(try await !Self.unschedulable(sim, "node01"), "node01 was left untouched")
        #expect(try await Self.kubelet(sim, "node01") == "v1.33.2")
    }

    /// Over the simulated node shells, and with `--executor pod` (the step pods in kube-system, as the Role grants).
    @Test(arguments: ["simulated", "pod"])
    func upgradeRoleUpgradesAWorkerNodeWithTheRealKubectlDrain(executor: String) async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let log = sim.directory.appendingPathComponent("api.log")
        var env = try Self.pinnedKubectlEnvironment(sim.directory)
        env["XDG_STATE_HOME"] = sim.directory.appendingPathComponent("state").path
        let r = try await BinaryRunner.run([
            "upgrade", "node01", "--yes", "--accept-blockers", "--executor", executor,
            "--kubeconfig", sim.kubeconfig.path, "--context", "kubeskew-upgrader", "--log-file", log.path, "-v",
        ], environment: env, timeout: 180)
        #expect(r.status == 0, "stdout:\n\(r.stdout)\nstderr:\n\(r.stderr)")
        #expect(r.stdout.contains("node/node01 drained"), "the real kubectl drained it:\n\(r.stdout)")
        #expect(r.stdout.contains("node01: done, 7/7 steps, now v1.33.3"), "\(r.stdout)")
        #expect(Self.refused(in: log).isEmpty, "refused: \(Self.refused(in: log))")
        #expect(!(r.stdout + r.stderr).contains("forbidden"), "\(r.stdout)\n\(r.stderr)")
        #expect(try await Self.kubelet(sim, "node01") == "v1.33.3")
        #expect(try await !Self.unschedulable(sim, "node01"))
    }

    @Test func upgradeRoleWithoutEvictionFailsTheDrainNamingThe403() async throws {
        let shipped = try String(contentsOf: BinaryRunner.repoRoot.appendingPathComponent("deploy/rbac/kubeskew-upgrade.yaml"), encoding: .utf8)
        let rule = """
              - apiGroups: [""]
                resources: ["pods/eviction"]
                verbs: ["create"]

            """
        #expect(shipped.contains(rule), "the shipped role grants pods/eviction in one rule")
        let crippled = shipped.replacingOccurrences(of: rule, with: "")
        try await BinaryRunner.withTempDir { dir in
            let manifest = dir.appendingPathComponent("without-eviction.yaml")
            try crippled.write(to: manifest, atomically: true, encoding: .utf8)
            let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0", "--rbac-manifest", manifest.path])
            defer { sim.stop() }
            var env = try Self.pinnedKubectlEnvironment(dir)
            env["XDG_STATE_HOME"] = dir.appendingPathComponent("state").path
            // The deadline is a hang guard: a drain that retried a 403 would run into kubectl's --timeout (300 s).
            let r = try await BinaryRunner.run([
                "upgrade", "node01", "--yes", "--accept-blockers", "--executor", "simulated",
                "--kubeconfig", sim.kubeconfig.path, "--context", "kubeskew-upgrader",
            ], environment: env, timeout: 180)
            #expect(r.status != 0)
            let said = r.stdout + r.stderr
            #expect(said.contains(#"cannot create resource "pods/eviction" in API group "" in the namespace "default""#),
                    "the 403 is named:\n\(said)")
            #expect(said.contains("failed at step 3/7 drain"), "\(said)")
            #expect(said.contains("LEFT CORDONED"), "the cordon kubectl made is reported:\n\(said)")
            #expect(try await Self.kubelet(sim, "node01") == "v1.33.2", "the kubelet was not upgraded")
        }
    }
}
