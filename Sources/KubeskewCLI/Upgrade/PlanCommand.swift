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
        abstract: "Print the exact upgrade commands for the named nodes, per pass, with the drain blockers. Nothing runs."
    )

    @Argument(help: "The nodes to plan (by name).")
    var nodes: [String]

    @OptionGroup(title: "Planning") var planning: PlanningOptions

    @OptionGroup(title: "Executor (where node commands go, shown per node)") var executors: ExecutorOptions

    @OptionGroup var data: DataOptions
    @OptionGroup(title: "Cluster") var cluster: ClusterOptions

    func run() async throws {
        do {
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
        let options = try Planner.Options(kubectl: cluster.kubectlArgv(for: client),
                                          drainOptions: planning.drainOption.isEmpty ? Planner.defaultDrainOptions : planning.drainOption,
                                          drainTimeoutSeconds: planning.drainTimeout)
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
