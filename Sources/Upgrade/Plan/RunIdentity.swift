/// What a run belongs to: one cluster, reached through one kubeconfig and context, its nodes through one executor.
/// Recorded in the plan when the run is made; a resume anywhere else is refused, with the reason.
public struct RunIdentity: Sendable, Codable, Hashable {
    /// The kube-system namespace's uid: made when the cluster was created, unique to it, never changed.
    public var clusterUID: String
    /// The API server URL the run reached the cluster at (shown; a cluster may have several).
    public var server: String
    /// The kubeconfig files the context was read from, absolute, in precedence order (kubectl steps name them).
    public var kubeconfigFiles: [String]
    /// The context, resolved (the kubeconfig's current-context when none was given); kubectl steps name it.
    public var context: String
    /// How the nodes are reached.
    public var executor: ExecutorIdentity
    /// The kubeconfig user the context names (who the API server saw), for the audit trail; nil in runs recorded
    /// before it was kept. Not part of which cluster a run belongs to.
    public var user: String?

    public init(clusterUID: String, server: String, kubeconfigFiles: [String], context: String, executor: ExecutorIdentity,
                user: String? = nil) {
        self.clusterUID = clusterUID
        self.server = server
        self.kubeconfigFiles = kubeconfigFiles
        self.context = context
        self.executor = executor
        self.user = user
    }

    /// The uid cut short for messages.
    public var shortUID: String { clusterUID.count > 8 ? String(clusterUID.prefix(8)) + "…" : clusterUID }

    /// `cluster https://… (kube-system uid 6f1…), context sim`, for messages.
    public var clusterDescription: String {
        "cluster \(server) (kube-system uid \(shortUID)), context \(context)"
    }

    /// Whether a run recorded with this identity is one of `current`'s cluster, reached the same way (what the resume
    /// offer lists). The executor is checked when the run is resumed, with its own message.
    public func sameCluster(as current: RunIdentity) -> Bool {
        clusterUID == current.clusterUID && context == current.context && kubeconfigFiles == current.kubeconfigFiles
    }

    /// Why the run `runID`, recorded with this identity, must not go on with `current`; nil when it may.
    public func refusal(runID: String, current: RunIdentity) -> String? {
        if clusterUID != current.clusterUID || context != current.context {
            return "run \(runID) belongs to \(clusterDescription); this is \(current.clusterDescription): not resumed"
        }
        if kubeconfigFiles != current.kubeconfigFiles {
            return "run \(runID) was planned with kubeconfig \(kubeconfigFiles.joined(separator: ":")); this is \(current.kubeconfigFiles.joined(separator: ":")): not resumed (name the same kubeconfig, --kubeconfig \(kubeconfigFiles.first ?? "?"))"
        }
        if executor != current.executor {
            return "run \(runID) reached its nodes with \(executor.description); this is \(current.executor.description): not resumed (start kubeskew with the same executor options)"
        }
        return nil
    }

    /// Why `plan` must not be resumed with `current`; nil when it may. A plan recorded before runs recorded their
    /// cluster is never resumed: nothing says which cluster its steps were meant for.
    public static func resumeRefusal(_ plan: RunPlan, current: RunIdentity) -> String? {
        guard let recorded = plan.identity else {
            return "run \(plan.id) has no recorded cluster (it was made by a kubeskew that did not record one), so nothing tells which cluster it belongs to: not resumed; `kubeskew history \(plan.id)` shows where each node stopped, to finish by hand or plan a new run"
        }
        return recorded.refusal(runID: plan.id, current: current)
    }
}

/// The executor of a run and the options that decide where its commands go.
public struct ExecutorIdentity: Sendable, Codable, Hashable, CustomStringConvertible {
    /// `ssh`, `local`, `pod`, `simulated`, `demo`.
    public var kind: String
    /// The options that matter, by name (`ssh-user`, `ssh-port`, `pod-namespace`…); absent ones are not listed.
    public var options: [String: String]

    public init(kind: String, options: [String: String] = [:]) {
        self.kind = kind
        self.options = options
    }

    /// `--executor ssh (ssh-user ops, ssh-port 2222)`.
    public var description: String {
        let listed = options.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        return "--executor \(kind)" + (listed.isEmpty ? "" : " (" + listed.joined(separator: ", ") + ")")
    }
}
