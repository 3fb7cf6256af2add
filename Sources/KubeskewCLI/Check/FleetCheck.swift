import Foundation
import KubeClient
import KubeModel
import SkewCore

/// Reads and assesses every cluster of a fleet at once, each within its own deadline: one cluster that refuses,
/// rejects the credentials or hangs is a row saying so, never a stop for the others.
struct FleetCheck: Sendable {
    let kubeconfig: String?
    let context: AssessmentContext
    /// Each context's target when one was given (`--target`, or the configuration file's for that context), with
    /// where it came from: a target a cluster cannot reach is then that cluster's error, as in `check`.
    var targets: [String: FleetTarget] = [:]
    let timeout: Duration

    /// One row per context, in the order given; `warn` gets the clusters' warnings, each naming its context; `each`
    /// gets every row as soon as its cluster is read (the fleet view fills in as they come).
    func run(contexts: [String], warn: @escaping @Sendable (String) -> Void,
             each: @escaping @Sendable (Int, FleetCluster) -> Void = { _, _ in }) async -> [FleetCluster] {
        await withTaskGroup(of: (Int, FleetCluster).self) { group in
            for (i, name) in contexts.enumerated() {
                group.addTask { (i, await check(name, warn: warn)) }
            }
            var rows = [FleetCluster?](repeating: nil, count: contexts.count)
            for await (i, row) in group {
                each(i, row)
                rows[i] = row
            }
            return rows.compactMap { $0 }
        }
    }

    /// Every context of the merged kubeconfig (--kubeconfig, else KUBECONFIG, else ~/.kube/config), in file order.
    static func allContexts(kubeconfig: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [String] {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let (paths, mustExist) = KubeconfigMerger.kubeconfigPaths(explicitPath: kubeconfig, environment: environment, homeDirectory: home)
        var files: [Kubeconfig] = []
        for path in paths {
            guard FileManager.default.fileExists(atPath: path) else {
                if mustExist { throw OperatorError(message: KubeClientError.kubeconfigNotFound(path: path).description) }
                continue
            }
            do { files.append(try KubeconfigLoader.parseFile(at: path)) } catch { throw OperatorError(message: error.description) }
        }
        var seen = Set<String>()
        let names = KubeconfigMerger.merge(files).contexts.map(\.name).filter { seen.insert($0).inserted }
        if names.isEmpty {
            throw OperatorError(message: "no context in the kubeconfig (searched \(paths.joined(separator: ", "))): pass --kubeconfig FILE")
        }
        return names
    }

    private func check(_ name: String, warn: @Sendable (String) -> Void) async -> FleetCluster {
        let config: ResolvedKubeconfig
        do {
            config = try KubeconfigLoader.load(explicitPath: kubeconfig, context: name)
        } catch {
            return FleetCluster(context: name, failure: FleetFailure(error))
        }
        var settings = KubeAPIClient.Settings()
        // The client bounds itself too, so nothing it started outlives the deadline by much.
        settings.requestTimeout = min(settings.requestTimeout, timeout)
        settings.connectTimeout = min(settings.connectTimeout, timeout)
        settings.execTimeout = min(settings.execTimeout, timeout)
        let client = KubeAPIClient(config: config, settings: settings)
        let outcome = await load(client)
        for warning in client.receivedWarnings { warn("context \(name): Warning: \(warning)") }
        await client.shutdown()
        var row = FleetCluster(context: name, server: config.server)
        switch outcome {
        case .failed(let failure):
            row.failure = failure
        case .loaded(let snapshot, let warnings):
            for w in warnings { warn("context \(name): warning: \(w)") }
            assess(snapshot, into: &row)
        }
        return row
    }

    private func assess(_ snapshot: ClusterSnapshot, into row: inout FleetCluster) {
        guard !snapshot.apiserverVersions.isEmpty else {
            row.problem = "no API server version could be read (neither /version nor kube-apiserver pods)"
            return
        }
        var context = self.context
        let given = targets[row.context]
        if let given { context.target = given.choice }
        let assessment = Assessor(context: context).assess(snapshot.facts())
        row.assessment = assessment
        if let minor = assessment.controlPlane.apiservers.min()?.minorLine {
            row.endOfLife = context.calendar.release(minor).map {
                FleetCluster.EndOfLife(minor: minor.description, date: $0.endOfLife.description, past: $0.endOfLife < context.today)
            }
        }
        if let given, let problem = assessment.targetProblem { row.problem = "\(given.origin): \(problem)" }
    }

    private enum Outcome: Sendable {
        case loaded(ClusterSnapshot, [String])
        case failed(FleetFailure)
    }

    /// The snapshot, or why not: whichever comes first of the read and the deadline.
    private func load(_ client: KubeAPIClient) async -> Outcome {
        let timeout = self.timeout
        return await withTaskGroup(of: Outcome.self) { group in
            group.addTask {
                do {
                    let loaded = try await ClusterSnapshotLoader.load(client, tolerateForbidden: true)
                    return .loaded(loaded.snapshot, loaded.warnings)
                } catch {
                    return .failed(FleetFailure(error))
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return .failed(FleetFailure(reason: "timed out", detail: "not read within \(timeout.components.seconds) s (--context-timeout)"))
            }
            let first = await group.next() ?? .failed(FleetFailure(reason: "error", detail: "no result"))
            group.cancelAll()
            // A read stuck on a silent server ends when its connections close, so the group's wait is short.
            if case .failed = first { await client.shutdown() }
            return first
        }
    }
}

extension FleetCheck {
    /// This check with each context's target from `settings` (`--target`, else that context's section of the
    /// configuration file), where one is given.
    func withTargets(of contexts: [String], from settings: EffectiveSettings) -> FleetCheck {
        var check = self
        for name in contexts {
            let own = settings.forContext(name)
            if let text = own.text(.target), let choice = TargetChoice(argument: text) {
                check.targets[name] = FleetTarget(choice: choice, origin: own.origin(.target))
            }
        }
        return check
    }
}

/// A target given for one cluster of a fleet, and what gave it (`--target`, or the configuration file's line).
struct FleetTarget: Sendable {
    let choice: TargetChoice
    let origin: String
}
