import Foundation
import Testing
import TestSupport

/// How a headless run ends when kubeskew is told to stop (SIGHUP: a lost terminal; SIGTERM), and who may drive a
/// run: real `kubeskew upgrade` processes against `kubeskew sim`, with a stand-in `kubectl` first on PATH whose
/// drain records its pid and waits for the test's go-ahead, so the drain step is in flight when the signal comes.
@Suite(.serialized)
struct RunLifecycleEndToEndTests {
    /// A folder with a `kubectl` that, for `drain`, writes its pid to `drain.pid` and waits for `go` before running
    /// the real kubectl; every other call goes straight to the real one.
    struct SlowDrainKubectl {
        let directory: URL
        var pidFile: URL { directory.appendingPathComponent("drain.pid") }
        var goFile: URL { directory.appendingPathComponent("go") }

        init(in parent: URL) throws {
            directory = parent.appendingPathComponent("bin")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let real = try ChildProcess.which("kubectl")
            let script = """
            #!/bin/sh
            case " $* " in
            *" drain "*)
                echo $$ > '\(pidFile.path).tmp' && mv '\(pidFile.path).tmp' '\(pidFile.path)'
                while [ ! -e '\(goFile.path)' ]; do sleep 0.1; done ;;
            esac
            exec '\(real)' "$@"
            """
            let file = directory.appendingPathComponent("kubectl")
            try script.write(to: file, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
        }

        /// The drain's pid, once it wrote it.
        func waitForPid(within limit: Duration = .seconds(120)) async -> Int32? {
            let deadline = ContinuousClock.now + limit
            while ContinuousClock.now < deadline {
                if let text = try? String(contentsOf: pidFile, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                    return pid
                }
                try? await Task.sleep(for: .milliseconds(50))
            }
            return nil
        }

        func go() { _ = FileManager.default.createFile(atPath: goFile.path, contents: Data()) }
    }

    static func environment(_ sim: SimProcess, _ kubectl: SlowDrainKubectl) -> [String: String] {
        ["XDG_STATE_HOME": sim.directory.appendingPathComponent("state").path,
         "PATH": kubectl.directory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
    }

    static func runID(_ upgrade: BackgroundBinary) -> String? {
        upgrade.stdout.split(separator: "\n").first { $0.hasPrefix("run ") }.flatMap { $0.split(separator: " ").dropFirst().first.map(String.init) }
    }

    /// The run's journal state (state.json), as JSON.
    static func state(_ sim: SimProcess, _ runID: String) throws -> [String: Any] {
        let url = sim.directory.appendingPathComponent("state/kubeskew/runs/\(runID)/state.json")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    /// Each step's id and state, in order.
    struct Step: CustomStringConvertible {
        let id: String
        let state: String
        var description: String { "\(id) \(state)" }
    }

    static func steps(_ state: [String: Any]) -> [Step] {
        let node = (state["nodes"] as? [[String: Any]])?.first
        return ((node?["steps"] as? [[String: Any]]) ?? []).map { Step(id: $0["id"] as? String ?? "?", state: $0["state"] as? String ?? "?") }
    }

    /// SIGHUP (the terminal went away): the drain in flight finishes, no new step starts, the journal says the run
    /// stopped on a hangup and can be resumed, and nothing kubeskew started outlives it.
    @Test func hangupStopsAtASafePointAndLeavesNoChildBehind() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let kubectl = try SlowDrainKubectl(in: sim.directory)
        let env = Self.environment(sim, kubectl)
        let upgrade = try BackgroundBinary(["upgrade", "node02", "--yes", "--accept-blockers", "--executor", "simulated",
                                            "--kubeconfig", sim.kubeconfig.path], environment: env)
        defer { upgrade.stop() }
        let drain = try #require(await kubectl.waitForPid(), "the drain did not start: \(upgrade.stdout)\n\(upgrade.stderr)")
        defer { kill(drain, SIGKILL) }
        upgrade.signal(SIGHUP)
        // kubeskew says it stops at a safe point, or (the fault) it is gone already.
        _ = await upgrade.waitForOutput("safe point")
        let diedAtOnce = !upgrade.process.isRunning
        let drainAliveAfterKubeskew = diedAtOnce && ProcessProbe.isAlive(drain)
        #expect(!drainAliveAfterKubeskew, "kubeskew ended on SIGHUP while its kubectl drain (pid \(drain)) kept running")
        kubectl.go()
        let status = await upgrade.waitForExit()
        #expect(status != nil)
        #expect(!ProcessProbe.isAlive(drain), "kubectl drain (pid \(drain)) outlived kubeskew")
        let runID = try #require(Self.runID(upgrade), "\(upgrade.stdout)")
        let state = try Self.state(sim, runID)
        #expect(state["stoppedBy"] as? String == "hangup", "\(state)")
        let steps = Self.steps(state)
        let drainIndex = try #require(steps.firstIndex { $0.id.hasSuffix("drain") }, "\(steps)")
        #expect(steps[drainIndex].state == "done", "the drain in flight finishes: \(steps)")
        #expect(steps[drainIndex + 1].state == "pending", "no step starts after the hangup: \(steps)")
        let history = try await BinaryRunner.run(["history", runID], environment: env)
        #expect(history.stdout.contains("resumable: kubeskew upgrade --resume \(runID)"), "\(history.stdout)")
    }

    /// SIGTERM aborts: the drain's process group is ended, kubeskew waits for it, the run is resumable.
    @Test func terminateAbortsAndLeavesNoChildBehind() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let kubectl = try SlowDrainKubectl(in: sim.directory)
        let env = Self.environment(sim, kubectl)
        let upgrade = try BackgroundBinary(["upgrade", "node02", "--yes", "--accept-blockers", "--executor", "simulated",
                                            "--kubeconfig", sim.kubeconfig.path], environment: env)
        defer { upgrade.stop() }
        let drain = try #require(await kubectl.waitForPid(), "the drain did not start: \(upgrade.stdout)\n\(upgrade.stderr)")
        defer { kill(drain, SIGKILL) }
        upgrade.signal(SIGTERM)
        let status = await upgrade.waitForExit()
        #expect(status == 1)
        #expect(!ProcessProbe.isAlive(drain), "kubectl drain (pid \(drain)) outlived kubeskew")
        let runID = try #require(Self.runID(upgrade), "\(upgrade.stdout)")
        let history = try await BinaryRunner.run(["history", runID], environment: env)
        #expect(history.stdout.contains("resumable: kubeskew upgrade --resume \(runID)"), "\(history.stdout)")
    }

    /// Two processes, one run: while the first drives it, a `--resume` of the same run is refused, naming the driver.
    @Test func secondDriverOfARunIsRefused() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let kubectl = try SlowDrainKubectl(in: sim.directory)
        let env = Self.environment(sim, kubectl)
        let first = try BackgroundBinary(["upgrade", "node02", "--yes", "--accept-blockers", "--executor", "simulated",
                                          "--kubeconfig", sim.kubeconfig.path], environment: env)
        defer { first.stop() }
        let drain = try #require(await kubectl.waitForPid(), "the drain did not start: \(first.stdout)\n\(first.stderr)")
        defer { kill(drain, SIGKILL) }
        let runID = try #require(Self.runID(first), "\(first.stdout)")
        let second = try await BinaryRunner.run(["upgrade", "--resume", runID, "--yes", "--executor", "simulated",
                                                 "--kubeconfig", sim.kubeconfig.path], environment: env)
        #expect(second.status != 0)
        #expect(second.stderr.contains("run \(runID) is being driven by pid \(first.pid) (since "), "\(second.stderr)")
        kubectl.go()
        #expect(await first.waitForExit() == 0, "\(first.stdout)\n\(first.stderr)")
    }
}
