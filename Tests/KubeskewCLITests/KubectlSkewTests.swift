import Foundation
import Testing
import TestSupport

/// The operator's kubectl runs every drain and uncordon, so `plan` and `upgrade` check it against the API server
/// first. kubectl's skew policy (shared/reference/kubernetes-version-facts.md, Version Skew Policy, "kubectl"):
/// "`kubectl` is supported within one minor version (older or newer) of `kube-apiserver`."
/// The demo scenario's API server is v1.33.3: kubectl 1.32, 1.33 and 1.34 are supported, 1.31 and 1.35 are not.
@Suite(.serialized)
struct KubectlSkewTests {
    /// A `kubectl` first on PATH that reports `gitVersion` for `version` and hands everything else to the real one.
    static func fakeKubectl(in dir: URL, gitVersion: String) throws -> [String: String] {
        let bin = dir.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let script = bin.appendingPathComponent("kubectl")
        try """
            #!/bin/sh
            for a in "$@"; do
              if [ "$a" = version ]; then
                printf '{"clientVersion":{"major":"1","minor":"x","gitVersion":"%s","platform":"linux/amd64"},"kustomizeVersion":"v5.5.0"}\\n' '\(gitVersion)'
                exit 0
              fi
            done
            exec /usr/bin/kubectl "$@"
            """.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return ["PATH": "\(bin.path):\(path)", "XDG_STATE_HOME": dir.appendingPathComponent("state").path]
    }

    @Test(arguments: ["v1.31.14", "v1.35.0"])
    func upgradeRefusesAKubectlOutsideTheSkewAndTouchesNothing(kubectl: String) async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        try await BinaryRunner.withTempDir { dir in
            let env = try Self.fakeKubectl(in: dir, gitVersion: kubectl)
            let r = try await BinaryRunner.run(["upgrade", "node01", "--yes", "--accept-blockers", "--executor", "simulated",
                                                "--kubeconfig", sim.kubeconfig.path], environment: env, timeout: 120)
            #expect(r.status != 0, "an unsupported kubectl must stop the run before it starts:\n\(r.stdout)\n\(r.stderr)")
            #expect(r.stderr.contains("kubectl \(kubectl)"), "\(r.stderr)")
            #expect(r.stderr.contains("v1.33.3"), "names the API server version: \(r.stderr)")
            #expect(!r.stdout.contains("drained"), "nothing was drained")
            let plan = try await BinaryRunner.run(["plan", "node01", "--kubeconfig", sim.kubeconfig.path], environment: env)
            #expect(plan.status != 0)
            #expect(plan.stderr.contains("within one minor version"), "quotes the policy: \(plan.stderr)")
        }
        let nodes = try await BinaryRunner.kubectl(["--kubeconfig", sim.kubeconfig.path, "get", "node", "node01", "-o", "jsonpath={.spec.unschedulable}"])
        #expect(nodes.stdout.isEmpty, "node01 was never cordoned")
    }

    @Test(arguments: ["v1.32.4-dispatcher", "v1.33.1", "v1.34.0"])
    func planAcceptsAKubectlWithinOneMinor(kubectl: String) async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        try await BinaryRunner.withTempDir { dir in
            let env = try Self.fakeKubectl(in: dir, gitVersion: kubectl)
            let plan = try await BinaryRunner.run(["plan", "node01", "--kubeconfig", sim.kubeconfig.path], environment: env)
            #expect(plan.status == 0, "\(plan.stdout)\n\(plan.stderr)")
        }
    }
}
