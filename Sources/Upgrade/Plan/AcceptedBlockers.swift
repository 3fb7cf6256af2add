import SkewCore

extension NodePlan {
    /// The plan with its blockers acknowledged: the drain gets `--delete-emptydir-data` for emptyDir pods and
    /// `--force` for pods without a controller (the drain dialog's boxes). A PodDisruptionBudget has no such option:
    /// the drain waits for it until its timeout. The flags are rebuilt by `DrainOptions`, so they read exactly as
    /// the same options give anywhere else.
    public func acceptingBlockers() -> NodePlan {
        let emptyDir = blockers.contains(where: { $0.kind == .emptyDirData })
        let orphans = blockers.contains(where: { $0.kind == .podWithoutController })
        guard emptyDir || orphans else { return self }
        let steps = self.steps.map { step -> PlannedStep in
            guard step.kind == .drain, case let .commands(argvs, privileged) = step.action else { return step }
            let patched = argvs.map { argv -> [String] in
                // `… drain NODE FLAGS`: found from the end, so a context or path named "drain" is not mistaken for it.
                guard let drain = argv.indices.dropLast().last(where: { argv[$0] == "drain" && argv[$0 + 1] == node }),
                      var options = try? DrainOptions.parse(flags: Array(argv[(drain + 2)...])) else { return argv }
                options.deleteEmptyDirData = options.deleteEmptyDirData || emptyDir
                options.force = options.force || orphans
                return Array(argv[...(drain + 1)]) + options.kubectlFlags
            }
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
