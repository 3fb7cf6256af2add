extension NodePlan {
    /// The drain options that make `kubectl drain` go through the acknowledged blockers: `--delete-emptydir-data`
    /// for emptyDir pods, `--force` for pods without a controller. A PodDisruptionBudget has no such option: the
    /// drain waits for it until its timeout.
    public var drainOptionsForBlockers: [String] {
        var options: [String] = []
        if blockers.contains(where: { $0.kind == .emptyDirData }) { options.append("--delete-emptydir-data") }
        if blockers.contains(where: { $0.kind == .podWithoutController }) { options.append("--force") }
        return options
    }

    /// The plan with its blockers acknowledged: drain steps get the options above (when not already there).
    public func acceptingBlockers() -> NodePlan {
        let extra = drainOptionsForBlockers
        guard !extra.isEmpty else { return self }
        let steps = self.steps.map { step -> PlannedStep in
            guard step.kind == .drain, case let .commands(argvs, privileged) = step.action else { return step }
            let patched = argvs.map { argv in argv + extra.filter { !argv.contains($0) } }
            return PlannedStep(id: step.id, name: step.name, kind: step.kind, location: step.location,
                               action: .commands(argvs: patched, privileged: privileged), idempotent: step.idempotent,
                               check: step.check, skippable: step.skippable, timeoutSeconds: step.timeoutSeconds, hop: step.hop)
        }
        var accepted = NodePlan(node: node, internalIP: internalIP, from: from, target: target, hops: hops,
                                packageManager: packageManager, steps: steps, blockers: blockers, wasCordoned: wasCordoned)
        accepted.carryFacts(of: self)
        return accepted
    }
}
