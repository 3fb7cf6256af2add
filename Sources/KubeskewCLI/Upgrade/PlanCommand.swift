import ArgumentParser
import Foundation
import KubeClient
import NodeExec
import SkewCore
import Upgrade

/// `kubeskew plan NODE…`: the exact commands per node and per hop, where each runs, and the blockers; nothing runs.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print the exact upgrade commands for the named nodes (or the whole cluster), with the drain blockers. Nothing runs.",
        discussion: """
        --cluster plans the whole cluster the way the official kubeadm page does it: per minor hop, the control-plane \
        nodes one at a time (the first with kubeadm upgrade plan, an etcd snapshot and kubeadm upgrade apply, the others \
        with kubeadm upgrade node), then the workers; a control plane caught mid-upgrade is finished first, and workers a \
        hop would leave more than three minors behind move first. --target may be newer than the control plane.

        Examples:
          kubeskew plan node01 node04
          kubeskew plan --cluster --target v1.35.0

        The executor, ssh, drain, package manager and target settings not given as flags come from the \
        configuration file (see `kubeskew config`).
        """
    )

    @Argument(help: "The nodes to plan (by name); none with --cluster.", completion: ShellCompletion.nodes)
    var nodes: [String] = []

    @Flag(name: .long, help: "Plan the whole cluster: the control plane first, one minor at a time, then the workers.")
    var cluster = false

    @Flag(name: .long, help: "With --cluster: no etcd snapshot before kubeadm upgrade apply (not recommended).")
    var skipEtcdBackup = false

    func validate() throws {
        if cluster && !nodes.isEmpty { throw ValidationError("--cluster plans every node; name no nodes with it") }
        if !cluster && nodes.isEmpty { throw ValidationError("name the nodes to plan, or pass --cluster") }
        if skipEtcdBackup && !cluster { throw ValidationError("--skip-etcd-backup is for --cluster") }
    }

    @OptionGroup(title: "Planning") var planning: PlanningOptions

    @OptionGroup(title: "Executor (where node commands go, shown per node)") var executors: ExecutorOptions

    @OptionGroup var data: DataOptions
    @OptionGroup(title: "Cluster") var clusterOptions: ClusterOptions

    @OptionGroup(title: "Configuration file") var config: ConfigOptions

    @OptionGroup(title: "Logging") var logging: LoggingOptions

    func run() async throws {
        try logging.install(for: "plan")
        var command = self
        do { try command.applyConfig() } catch let e as OperatorError {
            Output.err("kubeskew plan: \(e.message)\n")
            throw ExitCode(e.status)
        }
        try await command.execute()
    }

    /// Takes what the flags did not give from the configuration file, for the context in use.
    mutating func applyConfig() throws {
        let flags = executors.flagValues.adding(planning.flagValues).adding(data.flagValues)
        let settings = try config.settings(flags: flags, cluster: clusterOptions)
        executors = executors.resolved(settings)
        planning = planning.resolved(settings)
        data = data.resolved(settings)
    }

    private func execute() async throws {
        do {
            if cluster {
                try await runCluster()
                return
            }
            let cluster = clusterOptions
            let client = try cluster.client()
            do {
                let (plans, refused) = try await PlanSession.plans(nodes, client: client, cluster: cluster, data: data,
                                                                   planning: planning, executor: try executors.make(client))
                await client.shutdown()
                Output.out(PlanPrinter.text(plans, refused: refused))
                if refused.contains(where: { !$0.alreadyCurrent }) { throw ExitCode(2) }
            } catch {
                await client.shutdown()
                throw error
            }
        } catch let e as OperatorError {
            Output.err("kubeskew plan: \(e.message)\n")
            throw ExitCode(e.status)
        }
    }

    /// `--cluster`: the whole sequence, control plane first, with every node's commands; nothing runs.
    private func runCluster() async throws {
        let client = try clusterOptions.client()
        do {
            let options = try planning.plannerOptions(kubectl: clusterOptions.kubectlArgv(for: client))
            // The plan upgrade --cluster and the dashboard's C make, from the same code.
            let plan = try await ClusterPhases(client: client, context: try data.context(), plannerOptions: options,
                                               packageManagerOverride: planning.packageManager, etcdBackup: !skipEtcdBackup,
                                               removedAPIs: try data.removedAPITable()).currentPlan()
            await client.shutdown()
            Output.out(ClusterPlanPrinter.text(plan))
        } catch {
            await client.shutdown()
            throw error
        }
    }
}


/// Reads the cluster, assesses it, and plans the named nodes with their blockers and where `executor` sends their
/// commands: shared by `plan` and `upgrade`.
enum PlanSession {
    static func plans(
        _ names: [String], client: KubeAPIClient, cluster: ClusterOptions, data: DataOptions,
        planning: PlanningOptions, executor: any NodeExecutor
    ) async throws -> ([NodePlan], [NodePlanning.Refusal]) {
        let context = try data.context()
        let (snapshot, _) = try await loadLiveSnapshot(client)
        let assessment = Assessor(context: context).assess(snapshot.facts())
        if let problem = assessment.targetProblem { throw OperatorError(message: "target: \(problem)") }
        let options = try planning.plannerOptions(kubectl: cluster.kubectlArgv(for: client))
        if let problem = await KubectlVersionCheck.problem(kubectl: options.kubectl, apiservers: snapshot.apiserverVersions) { throw OperatorError(message: problem.message) }
        let planning = NodePlanning(snapshot: snapshot, assessment: assessment, planner: Planner(options: options),
                                    packageManagerOverride: planning.packageManager)
        var (plans, refused) = planning.plans(for: names)
        do { plans = try await NodePlanning.withBlockers(plans, client: client) } catch let e as KubeClientError {
            throw OperatorError(message: "reading pods and PodDisruptionBudgets: \(e.description)")
        }
        let destinations = await DestinationCheck.resolve(plans, executor: executor)
        return (destinations.plans, refused + destinations.refused.map { NodePlanning.Refusal(node: $0.node, reason: $0.reason) })
    }
}
