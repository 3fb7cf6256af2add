import Foundation
import Testing
import TestSupport

/// A run belongs to one cluster (issue 10, findings 2 and 3): the demo's unfinished run is neither offered nor
/// resumed on another cluster, and kubectl steps stay on the context the run was planned on.
@Suite(.serialized)
struct RunIdentityEndToEndTests {
    /// The run ids of a state home, in the live journal and in the demo's.
    static func runIDs(_ home: URL) -> [String] {
        ["kubeskew/runs", "kubeskew/demo/runs"].flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: home.appendingPathComponent(folder).path)) ?? [])
                .filter { !$0.hasPrefix(".") }
        }
    }

    // Finding 2: with one XDG_STATE_HOME, the demo's aborted run was offered by the live dashboard on another
    // cluster and accepted by `upgrade --resume` there.
    @Test func demoRunIsNeitherOfferedNorResumedOnAnotherCluster() async throws {
        let home = DemoResumeEndToEndTests.StateHome()
        let environment = ["XDG_STATE_HOME": home.path]
        let support = DemoResumeEndToEndTests()
        let demo = try await support.startDemo(home)
        defer { demo.stop() }
        try await support.startNode02(demo)
        try await demo.send("q")
        _ = try await demo.waitFor(text: "quit during a run")
        try await demo.send("y")
        _ = try await demo.waitFor(text: "node02: aborted", within: .seconds(60))
        let ids = Self.runIDs(home.url)
        #expect(ids.count == 1, "one run in the journals: \(ids)")
        let id = try #require(ids.first)
        // The demo has gone once its pid is: wait for the state to say so, then for the process.
        let deadline = ContinuousClock.now + .seconds(60)
        while demoStillRunning(home.url, id), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        demo.stop()

        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let live = try await TmuxSession(["--kubeconfig", sim.kubeconfig.path, "--executor", "simulated"], environment: environment)
        defer { live.stop() }
        _ = try await live.waitFor(text: "◉ live", within: .seconds(60))
        // The offer is posted before the first frame; help drawn after it means the inbox was read.
        try await live.send("?")
        let screen = try await live.waitFor("the help, or a resume offer in its way") {
            $0.contains("SKEW is the node's worst verdict") || $0.contains("interrupted run")
        }
        #expect(!screen.contains("interrupted run"), "the demo's run is offered on another cluster:\n\(screen)")
        live.stop()

        let resumed = try await BinaryRunner.run(["upgrade", "--resume", id, "--executor", "simulated", "--kubeconfig", sim.kubeconfig.path],
                                                 environment: environment, timeout: 120)
        #expect(resumed.status != 0, "the demo's run was resumed on another cluster:\n\(resumed.stdout)\n\(resumed.stderr)")
        #expect(!resumed.stdout.contains("resuming run"), "\(resumed.stdout)")
        #expect(resumed.stderr.contains("not resumed"), "the refusal says why: \(resumed.stderr)")
        let nodes = try await BinaryRunner.kubectl(["--kubeconfig", sim.kubeconfig.path, "get", "node", "node02"])
        #expect(!nodes.stdout.contains("SchedulingDisabled"), "node02 of the other cluster untouched: \(nodes.stdout)")
    }

    private func demoStillRunning(_ home: URL, _ id: String) -> Bool {
        for folder in ["kubeskew/runs", "kubeskew/demo/runs"] {
            let file = home.appendingPathComponent(folder).appendingPathComponent(id).appendingPathComponent("state.json")
            guard let data = try? Data(contentsOf: file),
                  let state = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let pid = (state["pid"] as? NSNumber)?.int32Value else { continue }
            return DemoResumeEndToEndTests.running(pid)
        }
        return false
    }

    /// One kubeconfig with contexts `a` and `b`, one per simulator; `a` is current.
    static func twoContextKubeconfig(_ a: SimProcess, _ b: SimProcess, at url: URL) throws {
        func fields(_ sim: SimProcess) throws -> [String: String] {
            let text = try String(contentsOf: sim.kubeconfig, encoding: .utf8)
            var out: [String: String] = [:]
            for line in text.split(separator: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                for key in ["server", "certificate-authority-data", "client-certificate-data", "client-key-data"]
                where trimmed.hasPrefix(key + ": ") && out[key] == nil {
                    out[key] = String(trimmed.dropFirst(key.count + 2))
                }
            }
            return out
        }
        let fa = try fields(a), fb = try fields(b)
        func cluster(_ name: String, _ f: [String: String]) -> String {
            "- name: \(name)\n  cluster:\n    server: \(f["server"] ?? "")\n    certificate-authority-data: \(f["certificate-authority-data"] ?? "")\n"
        }
        func user(_ name: String, _ f: [String: String]) -> String {
            "- name: \(name)\n  user:\n    client-certificate-data: \(f["client-certificate-data"] ?? "")\n    client-key-data: \(f["client-key-data"] ?? "")\n"
        }
        let yaml = "apiVersion: v1\nkind: Config\nclusters:\n" + cluster("a", fa) + cluster("b", fb)
            + "users:\n" + user("a", fa) + user("b", fb)
            + "contexts:\n- name: a\n  context:\n    cluster: a\n    user: a\n- name: b\n  context:\n    cluster: b\n    user: b\n"
            + "current-context: a\n"
        try Data(yaml.utf8).write(to: url)
        _ = chmod(url.path, 0o600)
    }

    // Finding 3: without --context, kubectl steps followed the kubeconfig's current-context when they ran; a switch
    // mid-run (kubectx) drained a node of another cluster. Here cluster b has no node01, so a drain sent there fails.
    @Test func kubectlStepsStayOnThePlannedContextAfterASwitch() async throws {
        // Slow node shells (about 5 s a step): the switch below comes long before the drain (step 3).
        let a = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0.2"])
        defer { a.stop() }
        let b = try await SimProcess.start(arguments: ["--nodes", "3", "--speed", "0"])
        defer { b.stop() }
        let kubeconfig = a.directory.appendingPathComponent("two-contexts")
        try Self.twoContextKubeconfig(a, b, at: kubeconfig)
        let env = ["XDG_STATE_HOME": a.directory.appendingPathComponent("state").path]
        let run = try BinaryProcess(["upgrade", "node01", "--yes", "--accept-blockers", "--executor", "simulated",
                                     "--kubeconfig", kubeconfig.path], environment: env)
        defer { run.kill() }
        // Planned on `a`; switch the kubeconfig to `b` before the drain (step 3) starts.
        #expect(await run.waitForOutput(containing: "▶ 1/7", within: .seconds(60)))
        let switched = try await BinaryRunner.kubectl(["--kubeconfig", kubeconfig.path, "config", "use-context", "b"])
        #expect(switched.status == 0, "\(switched.stderr)")
        #expect(!run.text.contains("▶ 3/7"), "the context was switched before the drain started: \(run.text)")
        let status = await run.waitForExit(within: .seconds(180))
        #expect(status == 0, "the run failed after the context switch:\n\(run.text)")
        #expect(run.text.contains("node/node01 drained"), "\(run.text)")
        #expect(run.text.contains("node01: done, 7/7 steps, now v1.33.3"), "\(run.text)")
    }
}

extension BinaryProcess {
    /// The exit status once the process ended, or nil when it still runs after `limit`.
    func waitForExit(within limit: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + limit
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        return process.isRunning ? nil : process.terminationStatus
    }
}
