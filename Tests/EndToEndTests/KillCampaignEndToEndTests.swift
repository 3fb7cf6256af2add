import Foundation
import Testing
import TestSupport

/// Issue 16, "kubeskew itself": `kill -9` at seeded random points of a 10-node run; after each, `--resume` finishes
/// the run, no step whose effect is not there is marked done, and no node is left cordoned without being reported.
///
/// In the suite it runs a few iterations; `scripts/kill-campaign` runs the same code a hundred times through the
/// environment: KILL_CAMPAIGN_RUNS (5), KILL_CAMPAIGN_SEED (16), KILL_CAMPAIGN_NODES (10), KILL_CAMPAIGN_CONCURRENCY
/// (3), KILL_CAMPAIGN_SPEED (4: the simulated node shells four times faster than real), KILL_CAMPAIGN_ONLY (a comma
/// list of iteration numbers: replays those of the seed, as a failure report names them).
@Suite(.serialized)
struct KillCampaignEndToEndTests {
    @Test func killedRunsResumeToTheEnd() async throws {
        let config = KillCampaign.Config(ProcessInfo.processInfo.environment)
        let started = ContinuousClock.now
        var tally = KillCampaign.Tally()
        print("kill-campaign: seed \(config.seed), \(config.iterations.count) runs of \(config.nodes) nodes, "
            + "concurrency \(config.concurrency), sim speed \(config.speed)")
        for i in config.iterations {
            let outcome = await KillCampaign.iteration(i, config)
            tally.add(outcome)
            print(outcome.line)
            if !outcome.violations.isEmpty { print(outcome.details) }
        }
        let wall = ContinuousClock.now - started
        print("kill-campaign result: " + tally.summary(seed: config.seed, wall: wall))
        #expect(tally.failed.isEmpty, "kill-campaign: failed iterations \(tally.failed) of seed \(config.seed); each is printed above with its kill points, violations and history")
    }
}

enum KillCampaign {
    static let target = "v1.33.3"

    struct Config: Sendable {
        let seed: UInt64
        let iterations: [Int]
        let nodes: Int
        let concurrency: Int
        let speed: String

        init(_ env: [String: String]) {
            seed = env["KILL_CAMPAIGN_SEED"].flatMap(UInt64.init) ?? 16
            let runs = env["KILL_CAMPAIGN_RUNS"].flatMap(Int.init) ?? 5
            if let only = env["KILL_CAMPAIGN_ONLY"], !only.isEmpty {
                iterations = only.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            } else {
                iterations = Array(1...max(1, runs))
            }
            nodes = max(1, min(99, env["KILL_CAMPAIGN_NODES"].flatMap(Int.init) ?? 10))
            concurrency = max(1, env["KILL_CAMPAIGN_CONCURRENCY"].flatMap(Int.init) ?? 3)
            speed = env["KILL_CAMPAIGN_SPEED"] ?? "4"
        }
    }

    // MARK: the cluster

    /// One worker of the campaign's cluster: its versions, OS, and what makes its upgrade differ from the others'.
    struct Worker: Sendable {
        let name: String
        let kubelet: String
        var kubeadm: String? = nil
        var rhel = false
        var cordoned = false
        var minor: Bool { !kubelet.hasPrefix("v1.33.") }
        /// Steps of its plan (a minor hop adds the repository step).
        var steps: Int { minor ? 8 : 7 }
    }

    /// The workers, cycling through ten kinds: patch and minor behind, apt and dnf, a half-finished upgrade (kubeadm
    /// already at the target), a node an operator cordoned before the run, pods behind a PodDisruptionBudget.
    static func workers(_ n: Int) -> [Worker] {
        (1...n).map { i in
            let name = String(format: "w%02d", i)
            switch (i - 1) % 10 {
            case 0: return Worker(name: name, kubelet: "v1.33.2")
            case 1: return Worker(name: name, kubelet: "v1.32.7")
            case 2: return Worker(name: name, kubelet: "v1.32.7", rhel: true)
            case 3: return Worker(name: name, kubelet: "v1.33.2")
            case 4: return Worker(name: name, kubelet: "v1.33.1", kubeadm: target)
            case 5: return Worker(name: name, kubelet: "v1.33.2", cordoned: true)
            case 6: return Worker(name: name, kubelet: "v1.33.2", rhel: true)
            case 7: return Worker(name: name, kubelet: "v1.32.7")
            case 8: return Worker(name: name, kubelet: "v1.33.2")
            default: return Worker(name: name, kubelet: "v1.33.0")
            }
        }
    }

    static func scenario(_ workers: [Worker]) -> String {
        var y = "name: kill-campaign\ncontrolPlaneVersion: \(target)\nnodes:\n"
        y += "  - {name: cp-1, role: control-plane, kubelet: \(target), internalIP: 10.30.0.1}\n"
        for (i, w) in workers.enumerated() {
            var fields = ["name: \(w.name)", "kubelet: \(w.kubelet)", "internalIP: 10.30.1.\(i + 1)"]
            if let k = w.kubeadm { fields.append("kubeadm: \(k)") }
            if w.rhel { fields += ["os: rhel", "osImage: Rocky Linux 9.5 (Blue Onyx)"] }
            if w.cordoned { fields.append("unschedulable: true") }
            y += "  - {\(fields.joined(separator: ", "))}\n"
        }
        y += "pods:\n"
        for (i, w) in workers.enumerated() {
            switch i % 10 {
            case 0, 1, 3:
                y += "  - {name: web-\(w.name), node: \(w.name), owner: {kind: ReplicaSet, name: web-1}, labels: {app: web}}\n"
            case 7:
                y += "  - {name: cache-\(w.name), node: \(w.name), owner: {kind: ReplicaSet, name: cache-1}, emptyDir: true, labels: {app: cache}}\n"
            default: break
            }
            if i % 2 == 0 {
                y += "  - {name: agent-\(w.name), node: \(w.name), owner: {kind: DaemonSet, name: agent}, labels: {app: agent}}\n"
            }
        }
        y += "pdbs:\n  - {name: web-pdb, selector: {app: web}, maxUnavailable: 1}\n"
        return y
    }

    // MARK: kill points

    /// Where a kill lands: a delay after a line kubeskew printed (or after its start).
    enum KillPoint: Sendable, CustomStringConvertible {
        /// `ms` after the process started: planning, preflight, the journal's creation, the first steps.
        case afterStart(ms: Int)
        /// `ms` after the first `▶` line: anywhere in the run.
        case intoRun(ms: Int)
        /// `ms` after the k-th `▶` line: inside a step.
        case stepStart(k: Int, ms: Int)
        /// `ms` after the k-th `✓` line: around the journal write that ends a step and the next one's start.
        case stepEnd(k: Int, ms: Int)
        /// `ms` after the k-th drain started.
        case drain(k: Int, ms: Int)

        var description: String {
            switch self {
            case .afterStart(let ms): "\(ms) ms after start"
            case .intoRun(let ms): "\(ms) ms after the first ▶"
            case .stepStart(let k, let ms): "\(ms) ms after ▶ #\(k)"
            case .stepEnd(let k, let ms): "\(ms) ms after ✓ #\(k)"
            case .drain(let k, let ms): "\(ms) ms after drain ▶ #\(k)"
            }
        }

        static func first(_ rng: inout SplitMix64, steps: Int, drains: Int) -> KillPoint {
            let r = Int.random(in: 0..<100, using: &rng)
            switch r {
            case ..<10: return .afterStart(ms: .random(in: 0...2500, using: &rng))
            case ..<35: return .intoRun(ms: .random(in: 0...6000, using: &rng))
            case ..<60: return .stepStart(k: .random(in: 1...max(1, steps - 3), using: &rng), ms: .random(in: 0...120, using: &rng))
            case ..<82: return .stepEnd(k: .random(in: 1...max(1, steps - 4), using: &rng), ms: .random(in: 0...15, using: &rng))
            default: return .drain(k: .random(in: 1...max(1, drains), using: &rng), ms: .random(in: 0...400, using: &rng))
            }
        }

        /// A kill of the resume: it has fewer steps left, so earlier points.
        static func second(_ rng: inout SplitMix64) -> KillPoint {
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: return .afterStart(ms: .random(in: 0...2500, using: &rng))
            case 1: return .intoRun(ms: .random(in: 0...2000, using: &rng))
            case 2: return .stepStart(k: .random(in: 1...8, using: &rng), ms: .random(in: 0...120, using: &rng))
            default: return .stepEnd(k: .random(in: 1...6, using: &rng), ms: .random(in: 0...15, using: &rng))
            }
        }
    }

    /// What a kill did: whether the process still ran when SIGKILL went, and the last step line it printed.
    struct Kill: Sendable {
        let point: KillPoint
        let landed: Bool
        let lastLine: String
        var text: String { "kill -9 \(point): " + (landed ? "landed (last step line: \(lastLine))" : "missed (it had exited)") }
    }

    /// Waits for `point` in `process`'s output, then SIGKILLs it. Deadlines only guard against a hang.
    static func kill(_ process: BackgroundBinary, at point: KillPoint) async -> Kill {
        let start = ContinuousClock.now
        func count(_ needle: String, where match: (Substring) -> Bool = { _ in true }) -> Int {
            process.stdout.split(separator: "\n").filter { $0.contains(needle) && match($0) }.count
        }
        /// Waits until `count` reaches `k`; false when the process ended first.
        func waitFor(_ k: Int, _ needle: String, where match: @escaping (Substring) -> Bool = { _ in true }) async -> Bool {
            let deadline = ContinuousClock.now + .seconds(300)
            while ContinuousClock.now < deadline {
                if count(needle, where: match) >= k { return true }
                if !process.process.isRunning { return count(needle, where: match) >= k }
                try? await Task.sleep(for: .milliseconds(5))
            }
            return false
        }
        var delay: Int
        var reached = true
        switch point {
        case .afterStart(let ms): delay = ms
        case .intoRun(let ms): delay = ms; reached = await waitFor(1, "▶")
        case .stepStart(let k, let ms): delay = ms; reached = await waitFor(k, "▶")
        case .stepEnd(let k, let ms): delay = ms; reached = await waitFor(k, "✓")
        case .drain(let k, let ms): delay = ms; reached = await waitFor(k, "▶", where: { $0.hasSuffix(" drain") })
        }
        if case .afterStart = point { delay = max(0, delay - Int((ContinuousClock.now - start) / .milliseconds(1))) }
        if reached, delay > 0 { try? await Task.sleep(for: .milliseconds(delay)) }
        let running = process.process.isRunning
        if running { process.signal(SIGKILL) }
        _ = await process.waitForExit(within: .seconds(30))
        let last = process.stdout.split(separator: "\n").last { $0.contains("▶") || $0.contains("✓") }.map(String.init) ?? "none"
        return Kill(point: point, landed: running, lastLine: last)
    }

    // MARK: one iteration

    struct Outcome: Sendable {
        let iteration: Int
        let seed: UInt64
        var kills: [Kill] = []
        var resumes = 0
        var violations: [String] = []
        var seconds = 0.0
        var notes: [String] = []
        var transcript: [String] = []

        var line: String {
            let k = kills.map(\.text).joined(separator: "; ")
            let result = violations.isEmpty ? "ok" : "FAILED (\(violations.count) violations)"
            return "kill-campaign #\(iteration) seed \(seed): \(k); \(resumes) resume(s); \(result) in \(String(format: "%.1f", seconds)) s"
                + (notes.isEmpty ? "" : " [\(notes.joined(separator: "; "))]")
        }

        var details: String {
            (["--- kill-campaign #\(iteration) seed \(seed): replay with scripts/kill-campaign --seed \(seed) --only \(iteration)"]
                + violations.map { "  violation: \($0)" } + transcript + ["--- end of #\(iteration)"]).joined(separator: "\n")
        }
    }

    struct Tally {
        var runs = 0, killsLanded = 0, killsMissed = 0, secondKills = 0, resumes = 0, violations = 0
        var failed: [Int] = []
        mutating func add(_ o: Outcome) {
            runs += 1
            killsLanded += o.kills.filter(\.landed).count
            killsMissed += o.kills.filter { !$0.landed }.count
            secondKills += o.kills.count > 1 && o.kills[1].landed ? 1 : 0
            resumes += o.resumes
            violations += o.violations.count
            if !o.violations.isEmpty { failed.append(o.iteration) }
        }
        func summary(seed: UInt64, wall: Duration) -> String {
            let s = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
            return "\(runs) runs, \(killsLanded) kills landed (\(secondKills) of them in a resume), \(killsMissed) missed, "
                + "\(resumes) resumes, \(violations) invariant violations in \(failed.count) runs \(failed), seed \(seed), "
                + String(format: "wall %.0f s", s)
        }
    }

    static func iteration(_ i: Int, _ config: Config) async -> Outcome {
        var outcome = Outcome(iteration: i, seed: config.seed)
        let started = ContinuousClock.now
        do {
            try await runIteration(&outcome, config)
        } catch {
            outcome.violations.append("the iteration could not go on: \(error)")
        }
        let d = ContinuousClock.now - started
        outcome.seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        return outcome
    }

    private static func runIteration(_ outcome: inout Outcome, _ config: Config) async throws {
        var rng = SplitMix64(seed: config.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(outcome.iteration))
        let workers = workers(config.nodes)
        let firstPoint = KillPoint.first(&rng, steps: workers.map(\.steps).reduce(0, +), drains: workers.count)
        let secondPoint: KillPoint? = Int.random(in: 0..<100, using: &rng) < 30 ? KillPoint.second(&rng) : nil

        let work = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let scenarioFile = work.appendingPathComponent("cluster.yaml")
        try scenario(workers).write(to: scenarioFile, atomically: true, encoding: .utf8)

        let sim = try await SimProcess.start(arguments: ["--scenario", scenarioFile.path, "--speed", config.speed])
        let kubeconfig = sim.kubeconfig.path
        defer {
            // Children of a killed kubeskew (a kubectl drain, say) are ended too: nothing outlives the iteration.
            for pid in processesNaming(kubeconfig, except: sim.process.processIdentifier) { Foundation.kill(pid, SIGKILL) }
            sim.stop()
        }
        let api = try await SimAPI(kubeconfig: sim.kubeconfig, url: sim.url)
        let env = ["XDG_STATE_HOME": work.appendingPathComponent("state").path, "NO_COLOR": "1"]
        let runs = work.appendingPathComponent("state/kubeskew/runs")

        let first = try BackgroundBinary(["upgrade"] + workers.map(\.name) + [
            "--yes", "--accept-blockers", "--executor", "simulated", "--concurrency", String(config.concurrency),
            "--kubeconfig", kubeconfig], environment: env)
        defer { first.stop() }
        let kill1 = await kill(first, at: firstPoint)
        outcome.kills.append(kill1)
        outcome.transcript.append("=== kubeskew upgrade (\(kill1.text)), its last output:\n" + tail(first.stdout + first.stderr, 25))

        // The run's id: the journal's only run. Killed before its state existed (before the journal, or between its
        // plan.json and its first state.json), no step ran: nothing may have changed in the cluster, there is nothing
        // to resume, and a new run does the work.
        let listedRun = (try? FileManager.default.contentsOfDirectory(atPath: runs.path))?.first
        guard let runID = listedRun, FileManager.default.fileExists(atPath: runs.appendingPathComponent("\(runID)/state.json").path) else {
            outcome.notes.append(listedRun == nil ? "killed before the journal existed" : "killed before the run's first state")
            outcome.violations += try await untouched(api, workers)
            let again = try await BinaryRunner.run(["upgrade"] + workers.map(\.name) + [
                "--yes", "--accept-blockers", "--executor", "simulated", "--concurrency", String(config.concurrency),
                "--kubeconfig", kubeconfig], environment: env, timeout: 600)
            outcome.resumes += 1
            outcome.transcript.append("=== a new run (status \(again.status)):\n" + tail(again.stdout + again.stderr, 25))
            let id = try FileManager.default.contentsOfDirectory(atPath: runs.path).first { $0 != listedRun } ?? "?"
            try await finalChecks(&outcome, api: api, runs: runs, runID: id, workers: workers, env: env,
                                  lastStatus: again.status, kubeconfig: kubeconfig, simPID: sim.process.processIdentifier)
            return
        }
        let listed = try await BinaryRunner.run(["history"], environment: env)
        if kill1.landed, !listed.stdout.contains(runID) {
            outcome.violations.append("kubeskew history does not list run \(runID): \(listed.stdout) \(listed.stderr)")
        }
        // Right after the kill: whatever the journal marks done is there, and every cordon is the run's and said.
        outcome.violations += try await journalMatchesCluster(api, runs: runs, runID: runID, when: "after kill 1")
        outcome.violations += try await cordonsAreReported(api, runID: runID, workers: workers, env: env, when: "after kill 1")

        var lastStatus: Int32 = 0
        var needsResume = try !Journal.load(runs, runID).finished
        if let secondPoint, needsResume {
            let resume = try BackgroundBinary(["upgrade", "--resume", runID, "--yes"], environment: env)
            defer { resume.stop() }
            let kill2 = await kill(resume, at: secondPoint)
            outcome.resumes += 1
            outcome.kills.append(kill2)
            outcome.transcript.append("=== kubeskew upgrade --resume (\(kill2.text)), its last output:\n" + tail(resume.stdout + resume.stderr, 25))
            outcome.violations += try await journalMatchesCluster(api, runs: runs, runID: runID, when: "after kill 2")
            outcome.violations += try await cordonsAreReported(api, runID: runID, workers: workers, env: env, when: "after kill 2")
            lastStatus = resume.process.isRunning ? -1 : resume.process.terminationStatus
            needsResume = try !Journal.load(runs, runID).finished
        }
        if needsResume {
            let resumed = try await BinaryRunner.run(["upgrade", "--resume", runID, "--yes"], environment: env, timeout: 600)
            outcome.resumes += 1
            lastStatus = resumed.status
            outcome.transcript.append("=== kubeskew upgrade --resume (status \(resumed.status)):\n" + tail(resumed.stdout + resumed.stderr, 40))
            if resumed.stdout.contains("is done in the journal, but") {
                outcome.violations.append("the resume found journal claims the cluster does not show: "
                    + resumed.stdout.split(separator: "\n").filter { $0.contains("is done in the journal, but") }.joined(separator: " | "))
            }
        } else {
            outcome.notes.append("the run had ended before the kill")
        }
        try await finalChecks(&outcome, api: api, runs: runs, runID: runID, workers: workers, env: env,
                              lastStatus: lastStatus, kubeconfig: kubeconfig, simPID: sim.process.processIdentifier)
    }

    /// The end: the run finished, every node is at the target and schedulable or reported, the journal's claims
    /// hold, and no process of the run is left.
    private static func finalChecks(_ outcome: inout Outcome, api: SimAPI, runs: URL, runID: String, workers: [Worker],
                                    env: [String: String], lastStatus: Int32, kubeconfig: String, simPID: Int32) async throws {
        var v: [String] = []
        if lastStatus != 0 { v.append("the last kubeskew exited \(lastStatus), not 0: the run did not finish") }
        let list = try await BinaryRunner.run(["history"], environment: env)
        let shown = try await BinaryRunner.run(["history", runID], environment: env)
        outcome.transcript.append("=== kubeskew history \(runID):\n" + shown.stdout + shown.stderr)
        let line = list.stdout.split(separator: "\n").first { $0.hasPrefix(runID) }.map(String.init) ?? ""
        if line.contains("INTERRUPTED") { v.append("history still shows the run INTERRUPTED: \(line)") }
        let journal = try Journal.load(runs, runID)
        if !journal.finished { v.append("the journal does not record the run as ended (endedAt \(journal.state.endedAt ?? "nil"), aborted \(journal.state.aborted ?? false))") }
        let cluster = try await api.nodes()
        let shownLines = shown.stdout.split(separator: "\n")
        for w in workers {
            guard let node = cluster[w.name] else { v.append("\(w.name) is gone from the API server"); continue }
            let record = journal.state.nodes.first { $0.node == w.name }
            let reportLine = shownLines.first { $0.hasPrefix("\(w.name) ") }.map(String.init) ?? ""
            let failedAndReported = record?.status == "failed" && reportLine.contains("failed")
            if node.kubelet != target, !failedAndReported {
                v.append("\(w.name) runs kubelet \(node.kubelet), not \(target), and the run does not report it failed (\(record?.status ?? "not in the journal"))")
            }
            if record?.status != "done" { v.append("\(w.name) is \(record?.status ?? "not in the journal") in the journal, not done") }
            if node.unschedulable {
                let reported = reportLine.contains("cordoned") || failedAndReported
                if !reported { v.append("\(w.name) is cordoned and the run's history does not say so: \(reportLine)") }
                if !w.cordoned, record?.status == "done" { v.append("\(w.name) is done but left cordoned, and it was schedulable before the run") }
            } else if w.cordoned {
                v.append("\(w.name) was cordoned by an operator before the run and is schedulable now: kubeskew lifted a cordon not its own")
            }
            if let mark = node.cordonMark { v.append("\(w.name) still carries \(SimAPI.cordonAnnotation)=\(mark)") }
        }
        for (name, node) in cluster where !workers.contains(where: { $0.name == name }) && node.unschedulable {
            v.append("\(name), not part of the run, is cordoned")
        }
        v += try await journalMatchesCluster(api, runs: runs, runID: runID, when: "at the end")
        // No process of the run is left: children of the killed kubeskew end on their own (a drain, an uncordon).
        let deadline = ContinuousClock.now + .seconds(30)
        var left = processesNaming(kubeconfig, except: simPID)
        while !left.isEmpty, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
            left = processesNaming(kubeconfig, except: simPID)
        }
        if !left.isEmpty {
            v.append("processes of the run still run 30 s after it ended: " + left.map { "\($0) \(commandLine($0))" }.joined(separator: " | "))
        }
        outcome.violations += v
    }

    /// After a kill: a node cordoned that was not cordoned before the run carries the run's cordon mark, and
    /// `kubeskew history RUN` says it is left cordoned: an operator who does not resume knows what to lift.
    private static func cordonsAreReported(_ api: SimAPI, runID: String, workers: [Worker], env: [String: String],
                                           when: String) async throws -> [String] {
        let cluster = try await api.nodes()
        let shown = try await BinaryRunner.run(["history", runID], environment: env)
        var v: [String] = []
        for w in workers where !w.cordoned {
            guard let node = cluster[w.name], node.unschedulable else { continue }
            let line = shown.stdout.split(separator: "\n").first { $0.hasPrefix("\(w.name) ") } ?? ""
            if !line.contains("(left cordoned)") { v.append("\(when): \(w.name) is cordoned and history \(runID) does not say so: \(line)") }
            if node.cordonMark != runID { v.append("\(when): \(w.name) is cordoned without the run's mark (\(SimAPI.cordonAnnotation)=\(node.cordonMark ?? "none"))") }
        }
        return v
    }

    /// Killed before the journal existed: every node as the scenario made it.
    private static func untouched(_ api: SimAPI, _ workers: [Worker]) async throws -> [String] {
        let cluster = try await api.nodes()
        var v: [String] = []
        for w in workers {
            guard let node = cluster[w.name] else { continue }
            if node.unschedulable != w.cordoned { v.append("no journal, yet \(w.name) is \(node.unschedulable ? "cordoned" : "schedulable")") }
            if node.kubelet != w.kubelet { v.append("no journal, yet \(w.name) runs kubelet \(node.kubelet)") }
        }
        return v
    }

    /// Every step the journal marks done (or skipped as already done) has its effect in the cluster and on the
    /// node, read independently of kubeskew: packages, holds and repository from the node's shell, cordon, kubelet
    /// and pods from the API server. A step in flight (running) proves nothing either way and is not read.
    static func journalMatchesCluster(_ api: SimAPI, runs: URL, runID: String, when: String) async throws -> [String] {
        let journal = try Journal.load(runs, runID)
        let cluster = try await api.nodes()
        let pods = try await api.evictablePods()
        var v: [String] = []
        for plan in journal.plan.nodes {
            guard let record = journal.state.nodes.first(where: { $0.node == plan.node }) else {
                v.append("\(when): \(plan.node) is planned but has no record in the journal's state"); continue
            }
            guard let node = cluster[plan.node] else { v.append("\(when): \(plan.node) is not in the API server"); continue }
            let gitTarget = plan.target
            let version = String(gitTarget.dropFirst())
            let minor = version.split(separator: ".").prefix(2).joined(separator: ".")
            let rhel = plan.packageManager != "apt"
            var shell: NodeShellView?
            func readShell() async throws -> NodeShellView {
                if let shell { return shell }
                let s = try await api.shellView(plan.node, rhel: rhel)
                shell = s
                return s
            }
            let uncordonState = zip(plan.steps, record.steps).first { $0.0.kind == "uncordon" }?.1.state ?? "pending"
            for (step, state) in zip(plan.steps, record.steps) where state.state == "done" || state.state == "skipped" {
                let claim = "\(when): \(plan.node) step \(step.id) is \(state.state) in the journal, but"
                switch step.kind {
                case "repository":
                    let s = try await readShell()
                    if !s.repository.contains("/core:/stable:/v\(minor)/") { v.append("\(claim) the repository file says: \(s.repository)") }
                case "install-kubeadm", "upgrade-node":
                    // `kubeadm upgrade node` leaves no trace the shell shows; it ran with the new kubeadm, which is.
                    let s = try await readShell()
                    if s.kubeadm != gitTarget { v.append("\(claim) kubeadm version says \(s.kubeadm)") }
                    if step.kind == "install-kubeadm" {
                        if !s.packages.contains(where: { $0.hasPrefix(rhel ? "kubeadm-\(version)-" : "kubeadm \(version)-") }) {
                            v.append("\(claim) the packages are \(s.packages)")
                        }
                        if !rhel, !s.holds.contains("kubeadm") { v.append("\(claim) kubeadm is not held (\(s.holds))") }
                    }
                case "install-kubelet":
                    let s = try await readShell()
                    if s.kubelet != "Kubernetes \(gitTarget)" { v.append("\(claim) kubelet --version says \(s.kubelet)") }
                    for p in ["kubelet", "kubectl"] where !s.packages.contains(where: { $0.hasPrefix(rhel ? "\(p)-\(version)-" : "\(p) \(version)-") }) {
                        v.append("\(claim) the packages are \(s.packages)")
                    }
                    if !rhel, !(s.holds.contains("kubelet") && s.holds.contains("kubectl")) { v.append("\(claim) the holds are \(s.holds)") }
                case "restart-kubelet":
                    if node.kubelet != gitTarget { v.append("\(claim) the node reports kubelet \(node.kubelet)") }
                case "wait-ready":
                    if node.kubelet != gitTarget || !node.ready { v.append("\(claim) the node is \(node.ready ? "Ready" : "NotReady") with kubelet \(node.kubelet)") }
                case "drain":
                    // Cordoned and empty until the run's uncordon starts (an operator's cordon stays for good).
                    if uncordonState == "pending" || plan.wasCordoned {
                        if !node.unschedulable { v.append("\(claim) the node is schedulable") }
                        let left = pods.filter { $0.node == plan.node }.map(\.name)
                        if uncordonState == "pending", !left.isEmpty { v.append("\(claim) pods still run on it: \(left)") }
                    }
                case "uncordon":
                    if state.state == "done", node.unschedulable { v.append("\(claim) the node is cordoned") }
                    if state.state == "skipped", !(plan.wasCordoned && node.unschedulable) {
                        v.append("\(claim) it was skipped as the operator's cordon and the node is \(node.unschedulable ? "cordoned" : "schedulable") (cordoned before the run: \(plan.wasCordoned))")
                    }
                default:
                    v.append("\(claim) the campaign does not know step kind \(step.kind)")
                }
            }
            if record.status == "done" {
                if let open = zip(plan.steps, record.steps).first(where: { $0.1.state != "done" && $0.1.state != "skipped" }) {
                    v.append("\(when): \(plan.node) is done in the journal with step \(open.0.id) \(open.1.state)")
                }
                if node.kubelet != gitTarget { v.append("\(when): \(plan.node) is done in the journal and runs kubelet \(node.kubelet)") }
            }
        }
        return v
    }

    // MARK: processes

    /// Processes whose command line names `path` (the iteration's kubeconfig), but `except`.
    static func processesNaming(_ path: String, except: Int32) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap(Int32.init).filter { pid in
            pid != except && ProcessProbe.isAlive(pid) && commandLine(pid).contains(path)
        }
    }

    static func commandLine(_ pid: Int32) -> String {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return "" }
        return String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }

    static func tail(_ text: String, _ n: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).suffix(n).joined(separator: "\n")
    }
}

// MARK: the journal, as it is on disk

/// The parts of a run's `plan.json` and `state.json` the campaign reads.
struct Journal: Sendable {
    struct Plan: Decodable, Sendable {
        struct Node: Decodable, Sendable {
            let node: String
            let target: String
            let packageManager: String
            let wasCordoned: Bool
            let steps: [Step]
        }
        struct Step: Decodable, Sendable {
            let id: String
            let kind: String
        }
        let nodes: [Node]
    }
    struct State: Decodable, Sendable {
        struct Node: Decodable, Sendable {
            let node: String
            let status: String
            let steps: [Step]
        }
        struct Step: Decodable, Sendable {
            let id: String
            let state: String
        }
        let nodes: [Node]
        let endedAt: String?
        let aborted: Bool?
    }
    let plan: Plan
    let state: State

    /// Ended, not aborted, every node settled: nothing left for a resume.
    var finished: Bool { state.endedAt != nil && state.aborted != true && state.nodes.allSatisfy { $0.status == "done" } }

    static func load(_ runs: URL, _ id: String) throws -> Journal {
        let dir = runs.appendingPathComponent(id)
        let plan = try JSONDecoder().decode(Plan.self, from: Data(contentsOf: dir.appendingPathComponent("plan.json")))
        let state = try JSONDecoder().decode(State.self, from: Data(contentsOf: dir.appendingPathComponent("state.json")))
        return Journal(plan: plan, state: state)
    }
}

// MARK: the simulator, read with curl

/// What one node's shell says: kubeadm and kubelet versions, packages, holds, the repository file.
struct NodeShellView: Sendable {
    let kubeadm: String
    let kubelet: String
    let packages: [String]
    let holds: [String]
    let repository: String
}

/// The simulator's API and node shells, read with curl and the kubeconfig's bearer-token user (fast enough to read
/// every node after every kill), independently of kubeskew's own client.
struct SimAPI: Sendable {
    static let cordonAnnotation = "kubeskew.io/cordoned-by-run"
    let url: String
    let ca: String
    let token: String

    struct NodeView: Sendable {
        let kubelet: String
        let unschedulable: Bool
        let ready: Bool
        let cordonMark: String?
    }

    struct PodView: Sendable {
        let name: String
        let node: String
    }

    init(kubeconfig: URL, url: String) async throws {
        let raw = try await BinaryRunner.kubectl(["--kubeconfig", kubeconfig.path, "config", "view", "--raw", "-o", "json"])
        struct Config: Decodable {
            struct Cluster: Decodable { let cluster: [String: String] }
            struct User: Decodable { let name: String; let user: [String: String] }
            let clusters: [Cluster]
            let users: [User]
        }
        let config = try JSONDecoder().decode(Config.self, from: Data(raw.stdout.utf8))
        guard let caData = config.clusters.first?.cluster["certificate-authority-data"].flatMap({ Data(base64Encoded: $0) }),
              let token = config.users.first(where: { $0.name == "sim-token" })?.user["token"] else {
            throw CampaignError("the simulator's kubeconfig has no CA or no sim-token user")
        }
        let caFile = kubeconfig.deletingLastPathComponent().appendingPathComponent("campaign-ca.pem")
        try caData.write(to: caFile)
        self.url = url
        self.ca = caFile.path
        self.token = token
    }

    private func curl(_ args: [String]) async throws -> String {
        let r = try await ChildProcess.run("curl", ["-sS", "--max-time", "60", "--cacert", ca,
                                                    "-H", "Authorization: Bearer \(token)"] + args, timeout: .seconds(90))
        guard r.status == 0 else { throw CampaignError("curl \(args.joined(separator: " ")) failed (\(r.status)): \(r.stderr)") }
        return r.stdout
    }

    func nodes() async throws -> [String: NodeView] {
        struct List: Decodable {
            struct Item: Decodable {
                struct Meta: Decodable { let name: String; let annotations: [String: String]? }
                struct Spec: Decodable { let unschedulable: Bool? }
                struct Status: Decodable {
                    struct Info: Decodable { let kubeletVersion: String }
                    struct Condition: Decodable { let type: String; let status: String }
                    let nodeInfo: Info
                    let conditions: [Condition]?
                }
                let metadata: Meta
                let spec: Spec?
                let status: Status
            }
            let items: [Item]
        }
        let list = try JSONDecoder().decode(List.self, from: Data(try await curl([url + "/api/v1/nodes"]).utf8))
        var out: [String: NodeView] = [:]
        for item in list.items {
            out[item.metadata.name] = NodeView(
                kubelet: item.status.nodeInfo.kubeletVersion, unschedulable: item.spec?.unschedulable ?? false,
                ready: item.status.conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false,
                cordonMark: item.metadata.annotations?[Self.cordonAnnotation])
        }
        return out
    }

    /// Pods a drain evicts: not DaemonSet pods, not finished, not being deleted.
    func evictablePods() async throws -> [PodView] {
        struct List: Decodable {
            struct Item: Decodable {
                struct Meta: Decodable {
                    struct Owner: Decodable { let kind: String }
                    let name: String
                    let ownerReferences: [Owner]?
                    let deletionTimestamp: String?
                }
                struct Spec: Decodable { let nodeName: String? }
                struct Status: Decodable { let phase: String? }
                let metadata: Meta
                let spec: Spec
                let status: Status?
            }
            let items: [Item]
        }
        let list = try JSONDecoder().decode(List.self, from: Data(try await curl([url + "/api/v1/pods"]).utf8))
        return list.items.compactMap { item in
            guard let node = item.spec.nodeName, item.metadata.deletionTimestamp == nil,
                  !(item.metadata.ownerReferences ?? []).contains(where: { $0.kind == "DaemonSet" }),
                  item.metadata.name.hasPrefix("web-") || item.metadata.name.hasPrefix("cache-"),
                  item.status?.phase != "Succeeded", item.status?.phase != "Failed" else { return nil }
            return PodView(name: item.metadata.name, node: node)
        }
    }

    /// Runs `argv` in the node's simulated shell; its stdout lines and exit status.
    func exec(_ node: String, _ argv: [String]) async throws -> (lines: [String], code: Int) {
        let body = String(decoding: try JSONEncoder().encode(["argv": argv]), as: UTF8.self)
        let out = try await curl(["-X", "POST", "-H", "Content-Type: application/json", "--data-binary", body,
                                  url + "/kubeskew-sim/v1/nodes/\(node)/exec"])
        var lines: [String] = []
        var code = -1
        for line in out.split(separator: "\n") {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
            if let o = obj["o"] as? String { lines.append(o) }
            if let e = obj["exit"] as? Int { code = e }
        }
        return (lines, code)
    }

    func shellView(_ node: String, rhel: Bool) async throws -> NodeShellView {
        let kubeadm = try await exec(node, ["kubeadm", "version", "-o", "short"]).lines.first ?? "?"
        let kubelet = try await exec(node, ["kubelet", "--version"]).lines.first ?? "?"
        let packages = rhel
            ? try await exec(node, ["rpm", "-q", "kubeadm", "kubelet", "kubectl"]).lines
            : try await exec(node, ["dpkg-query", "-W", "-f", "${Package} ${Version}\\n", "kubeadm", "kubelet", "kubectl"]).lines
        let holds = rhel ? [] : try await exec(node, ["apt-mark", "showhold"]).lines
        let file = rhel ? "/etc/yum.repos.d/kubernetes.repo" : "/etc/apt/sources.list.d/kubernetes.list"
        let repository = try await exec(node, ["cat", file]).lines.joined(separator: "\n")
        return NodeShellView(kubeadm: kubeadm, kubelet: kubelet, packages: packages, holds: holds, repository: repository)
    }
}

struct CampaignError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A small seeded generator (SplitMix64): the same seed gives the same kill points on every machine.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
