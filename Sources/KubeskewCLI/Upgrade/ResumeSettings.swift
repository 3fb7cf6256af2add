import Foundation
import KubeClient
import SkewCore
import Upgrade

/// What `upgrade --resume RUN` runs with: the run's own kubeconfig, context, executor and options, from its journal.
/// A flag given again overrides its recorded value and says so; the resume check then decides whether the run may go
/// on with it (another cluster, context, kubeconfig or executor is refused there, with the reason).
struct ResumeSettings {
    /// The plan to run: the journaled one, with the drains still to run and the concurrency changed by flags.
    let plan: RunPlan
    /// The plan differs from the journal's: written back before anything runs, so the journal says what runs.
    let planChanged: Bool
    let executors: ExecutorOptions
    let concurrency: Int
    /// `--kubeconfig` given, else the run's one kubeconfig file; nil when the run merged several (see `environment`).
    let kubeconfigPath: String?
    /// The environment the kubeconfig is loaded with: KUBECONFIG set to the run's files when it merged several.
    let environment: [String: String]
    let context: String?
    /// One line per flag that overrides the record, and per flag that does not apply to a resumed run.
    let notices: [String]

    static func resolve(_ plan: RunPlan, state: RunState?, cluster: ClusterOptions, executors: ExecutorOptions,
                        concurrency: Int?, planning: PlanningOptions, acceptBlockers: Bool,
                        environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ResumeSettings {
        guard let recorded = plan.identity else {
            // Refused by the resume check with its own message; nothing to restore.
            return ResumeSettings(plan: plan, planChanged: false, executors: executors, concurrency: concurrency ?? plan.concurrency,
                                  kubeconfigPath: cluster.kubeconfig, environment: environment, context: cluster.context, notices: [])
        }
        var notices: [String] = []

        var kubeconfigPath: String?
        var env = environment
        if let given = cluster.kubeconfig {
            kubeconfigPath = given
            if [ClusterOptions.absolute(given)] != recorded.kubeconfigFiles {
                notices.append("--kubeconfig \(given) overrides the run's \(recorded.kubeconfigFiles.joined(separator: ":"))")
            }
        } else if recorded.kubeconfigFiles.count == 1 {
            kubeconfigPath = recorded.kubeconfigFiles[0]
        } else if !recorded.kubeconfigFiles.isEmpty {
            env["KUBECONFIG"] = recorded.kubeconfigFiles.joined(separator: ":")
        }
        if let given = cluster.context, given != recorded.context {
            notices.append("--context \(given) overrides the run's context \(recorded.context)")
        }
        let (restored, executorNotices) = executors.restoring(recorded.executor)
        notices += executorNotices

        var nodes = plan.nodes
        var changed = false
        let runConcurrency = concurrency ?? plan.concurrency
        if runConcurrency != plan.concurrency {
            notices.append("--concurrency \(runConcurrency) overrides the run's \(plan.concurrency)")
            changed = true
        }
        if planning.drainTimeout != nil || !planning.drainOption.isEmpty {
            let given: DrainOptions?
            do {
                given = planning.drainOption.isEmpty ? nil
                    : try DrainOptions.parse(flags: planning.drainOption, timeoutSeconds: planning.drainTimeout)
            } catch { throw OperatorError(message: error.description) }
            let timeoutGiven = planning.drainTimeout != nil || planning.drainOption.contains { $0.hasPrefix("--timeout=") }
            var touched: [String] = []
            for (n, node) in nodes.enumerated() {
                let record = state?.nodes.first { $0.node == node.node }
                // Only drains still to run: a done step's record stays what ran.
                let toRun = { (s: Int) in
                    guard let record, s < record.steps.count else { return true }
                    return record.steps[s].state != .done && record.steps[s].state != .skipped
                }
                let rewritten = node.rewritingDrains(including: toRun) { options in
                    let timeout = options.timeoutSeconds
                    if let given { options = given }
                    if !timeoutGiven { options.timeoutSeconds = timeout }
                    if let t = planning.drainTimeout { options.timeoutSeconds = t }
                }
                if rewritten.steps != node.steps {
                    nodes[n] = rewritten
                    touched.append(node.node)
                }
            }
            if touched.isEmpty {
                notices.append("drain options given, but no drain is left to run in this run")
            } else {
                let what = [planning.drainTimeout.map { "--drain-timeout \($0)" }, planning.drainOption.isEmpty ? nil
                            : planning.drainOption.map { "--drain-option=\($0)" }.joined(separator: " ")].compactMap { $0 }
                notices.append("\(what.joined(separator: " ")) overrides the run's drain options for the drains still to run (\(touched.joined(separator: ", ")))")
                changed = true
            }
        }
        if planning.packageManager != nil {
            notices.append("--package-manager does not apply to a resumed run: its commands are in its plan")
        }
        if acceptBlockers {
            notices.append("--accept-blockers does not apply to a resumed run: its drains are as planned")
        }
        let newPlan = changed
            ? RunPlan(id: plan.id, createdAt: plan.createdAt, target: plan.target, concurrency: runConcurrency, nodes: nodes,
                      identity: plan.identity)
            : plan
        return ResumeSettings(plan: newPlan, planChanged: changed, executors: restored, concurrency: runConcurrency,
                              kubeconfigPath: kubeconfigPath, environment: env, context: cluster.context ?? recorded.context,
                              notices: notices)
    }

    /// A client for the run's cluster as restored; the caller must `shutdown()` it.
    func client() throws -> KubeAPIClient {
        do {
            return KubeAPIClient(config: try KubeconfigLoader.load(explicitPath: kubeconfigPath, context: context, environment: environment))
        } catch {
            throw OperatorError(message: error.description)
        }
    }
}
