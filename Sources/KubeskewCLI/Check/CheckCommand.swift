import ArgumentParser
import Foundation
import KubeClient
import KubeModel
import NodeExec
import SkewCore
import Upgrade

/// `kubeskew check`: every node's skew verdicts and risks as a table or JSON, with an exit status for CI.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Report every node's version skew and risks (table or JSON); the exit status tells CI the worst.",
        discussion: """
        Exit status: 0 all current; 3 all supported but something is behind or at risk; 2 anything unsupported \
        (or a version that cannot be read), or an API version the hop to the target removes still in use; 1 bad \
        input or error.

        When the target is a newer minor than the control plane, check also lists the API versions the hop \
        removes or deprecates that are still in use: from each API server's /metrics \
        (apiserver_requested_deprecated_apis), objects' last-applied-configuration, and Helm releases.

        Many clusters: --all-contexts (every context of the kubeconfig) or --contexts A,B reads the clusters at once, \
        each within --context-timeout, and prints one row per context: server, API server version(s), target, end \
        of life, control-plane CVEs, node counts, and whether it could be read (else why: connection refused, \
        unauthorized, timed out, …). The exit status is the worst over the clusters; a cluster that could not be \
        read counts as 2, never as fine. It does not scan API removals: run check per cluster for those.

        Examples:
          kubeskew check                          # the current kubeconfig context
          kubeskew check --context prod -o json   # JSON, for CI
          kubeskew check --target next-minor      # judged against the next minor
          kubeskew check --all-contexts -o json   # a row per kubeconfig context
          kubeskew check --nodes-file nodes.json --control-plane v1.33.3

        --target, --probe-concurrency, the executor and colour may also come from the configuration file (see \
        `kubeskew config`); with many clusters, each context's own section gives its target.
        """
    )

    @OptionGroup var input: InputOptions

    @Option(name: .shortAndLong, help: "Output format: table or json.")
    var output: OutputFormat = .table

    // Optional: nil is "no flag", and the configuration file or the default applies (see `applyConfig`).
    @Flag(name: .long, inversion: .prefixedNo, help: "--no-color: no colour, even on a terminal (NO_COLOR is honoured too); --color: colour on a terminal (the default) despite the configuration file's color: never.")
    var color: Bool?

    @OptionGroup var data: DataOptions

    @OptionGroup(title: "Live cluster (when no file is given)") var cluster: ClusterOptions

    @Flag(name: .long, help: "Ask every node for its kubeadm (kubeadm version -o short, through --executor; live cluster).")
    var probeKubeadm = false

    @Option(name: .long, help: ArgumentHelp("kubeadm probes run at once (default 8).", valueName: "N"))
    var probeConcurrency: Int?

    @OptionGroup(title: "kubeadm probes (--probe-kubeadm)") var executors: ExecutorOptions

    @OptionGroup(title: "Many clusters") var fleet: FleetOptions

    func validate() throws {
        if let probeConcurrency, probeConcurrency < 1 { throw ValidationError("--probe-concurrency must be at least 1") }
        try fleet.validate(context: cluster.context, input: input, probeKubeadm: probeKubeadm)
        if probeKubeadm && !input.isLive { throw ValidationError("--probe-kubeadm asks the nodes of a live cluster; it cannot be used with --nodes-file or --from-dump") }
    }

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @OptionGroup(title: "Configuration file") var config: ConfigOptions

    @OptionGroup(title: "Logging") var logging: LoggingOptions

    func run() async throws {
        try logging.install(for: "check")
        var command = self
        let settings: EffectiveSettings
        do { settings = try command.applyConfig() } catch let e as OperatorError {
            Output.err("kubeskew check: \(e.message)\n")
            throw ExitCode(e.status)
        }
        try await command.execute(settings)
    }

    /// Takes what the flags did not give from the configuration file, for the context in use.
    mutating func applyConfig() throws -> EffectiveSettings {
        var flags = executors.flagValues.adding(data.flagValues)
        flags.given(.probeConcurrency, probeConcurrency.map(SettingValue.number))
        flags.given(.color, color.map { .text($0 ? "auto" : "never") }, flag: color == false ? "--no-color" : "--color")
        let settings = try config.settings(flags: flags, cluster: cluster)
        executors = executors.resolved(settings)
        // Many clusters: each row takes its own context's target (`checkFleet`), not the current context's.
        if !fleet.isFleet { data = data.resolved(settings) }
        probeConcurrency = settings.number(.probeConcurrency)
        color = settings.text(.color).map { $0 != "never" }
        return settings
    }

    private func execute(_ settings: EffectiveSettings) async throws {
        do {
            let context = try data.context()
            if fleet.isFleet { return try await checkFleet(context: context, settings: settings) }
            let removedAPIs = try data.removedAPITable()
            let client = input.isLive ? try cluster.client() : nil
            do {
                try await check(context: context, removedAPIs: removedAPIs, client: client, settings: settings)
                await client?.shutdown()
            } catch {
                await client?.shutdown()
                throw error
            }
        } catch let e as OperatorError {
            Output.err("kubeskew check: \(e.message)\n")
            throw ExitCode(e.status)
        }
    }

    private func check(context: AssessmentContext, removedAPIs: RemovedAPIs, client: KubeAPIClient?, settings: EffectiveSettings) async throws {
        var snapshot = try await loadSnapshot(client)
        try input.applyControlPlane(to: &snapshot)
        let facts = snapshot.facts()
        let assessment = Assessor(context: context).assess(facts)
        if let problem = assessment.targetProblem, data.target != nil {
            throw OperatorError(message: "\(settings.origin(.target)): \(problem)")
        }
        var report = CheckReport(snapshot: snapshot, assessment: assessment, context: context)
        // A minor hop removes API versions: who still uses them is read from the live cluster (offline input has
        // neither /metrics nor the objects).
        if let client, let target = assessment.target, let current = assessment.controlPlane.apiservers.min() {
            report.apiRemovals = await APIUsageScan(client: client, table: removedAPIs, current: current, target: target,
                                                    apiserverPods: snapshot.apiserverPods).run()
            report.removedAPIsTakenOn = report.apiRemovals == nil ? nil : removedAPIs.dataTakenOn
        }
        if let client {
            // Deprecations the server announced on kubeskew's own reads are shown, never dropped.
            for warning in client.receivedWarnings { Output.err("Warning: \(warning)\n") }
        }
        try emit(json: report.json, table: report.table)
        // 2 is the worst status short of an error: a removed API in use ranks with an unsupported node.
        let status = report.apiRemovals?.exitStatus == 2 ? 2 : assessment.exitStatus
        if status != 0 { throw ExitCode(status) }
    }

    /// `--all-contexts` / `--contexts`: one row per cluster, the worst cluster's status as the exit status.
    private func checkFleet(context: AssessmentContext, settings: EffectiveSettings) async throws {
        let known = try FleetCheck.allContexts(kubeconfig: cluster.kubeconfig)
        let names = fleet.requestedContexts ?? known
        // A mistyped name is the operator's to fix, not a cluster that "cannot be read".
        let unknown = names.filter { !known.contains($0) }
        if !unknown.isEmpty {
            throw OperatorError(message: "no context \(unknown.map { DisplaySafe.quote($0) }.joined(separator: ", ")) in the kubeconfig; "
                                + "its contexts: \(known.map { DisplaySafe.quote($0) }.joined(separator: ", "))")
        }
        let check = FleetCheck(kubeconfig: cluster.kubeconfig, context: context, timeout: .seconds(fleet.contextTimeout))
            .withTargets(of: names, from: settings)
        let report = FleetReport(clusters: await check.run(contexts: names) { Output.err("kubeskew check: \($0)\n") })
        try emit(json: report.json, table: report.table)
        if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
    }

    /// Prints a report in the chosen form: JSON, or the table fitted to the terminal.
    private func emit(json: () throws -> String, table: (_ width: Int, _ color: Bool) -> String) throws {
        switch output {
        case .json:
            Output.out(try json())
        case .table:
            let term = TerminalInfo.forStdout(noColorFlag: color == false)
            Output.out(table(term.width, term.color))
        }
    }

    private func loadSnapshot(_ client: KubeAPIClient?) async throws -> ClusterSnapshot {
        guard let client else { return try input.offlineSnapshot().snapshot }
        var (snapshot, warnings) = try await loadLiveSnapshot(client)
        for w in warnings { Output.err("kubeskew check: warning: \(w)\n") }
        if probeKubeadm { try await probe(&snapshot, client) }
        return snapshot
    }

    /// Asks every node for its kubeadm, the cache answering for nodes on the boot and kubelet it was read on.
    private func probe(_ snapshot: inout ClusterSnapshot, _ client: KubeAPIClient) async throws {
        let probes = KubeadmProbes()
        let uid = try? await client.namespaceUID("kube-system")
        let prober = KubeadmProber.make(probes: probes, executor: try executors.make(client), concurrency: probeConcurrency ?? ProbeOptions.defaultConcurrency,
                                        onOpen: .probe, clusterUID: uid, journalRoot: Journal.defaultRoot())
        await prober.consider(snapshot.nodes)
        await prober.waitUntilIdle()
        if let problem = await prober.cacheProblem { Output.err("kubeskew check: warning: the kubeadm cache: \(problem)\n") }
        probes.merge(into: &snapshot)
    }
}
