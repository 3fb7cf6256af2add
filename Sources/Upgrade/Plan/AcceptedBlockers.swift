import SkewCore

extension NodePlan {
    /// The plan with its blockers acknowledged: the drain gets `--delete-emptydir-data` for emptyDir pods and
    /// `--force` for pods without a controller (the drain dialog's boxes). A PodDisruptionBudget has no such option:
    /// the drain waits for it until its timeout.
    public func acceptingBlockers() -> NodePlan {
        let emptyDir = blockers.contains(where: { $0.kind == .emptyDirData })
        let orphans = blockers.contains(where: { $0.kind == .podWithoutController })
        guard emptyDir || orphans else { return self }
        return rewritingDrains { options in
            options.deleteEmptyDirData = options.deleteEmptyDirData || emptyDir
            options.force = options.force || orphans
        }
    }

    /// The plan with the options of its drain steps changed (those `including` selects by step index): flags and
    /// the process deadline are rebuilt by `DrainOptions`, so they read exactly as the same options give anywhere
    /// else. A drain command kubeskew cannot read back is left as it is.
    public func rewritingDrains(including: (Int) -> Bool = { _ in true }, _ change: (inout DrainOptions) -> Void) -> NodePlan {
        let steps = self.steps.enumerated().map { index, step -> PlannedStep in
            guard step.kind == .drain, including(index), case let .commands(argvs, privileged) = step.action else { return step }
            var deadline = step.timeoutSeconds
            let patched = argvs.map { argv -> [String] in
                // `… drain NODE FLAGS`: found from the end, so a context or path named "drain" is not mistaken for it.
                guard let drain = argv.indices.dropLast().last(where: { argv[$0] == "drain" && argv[$0 + 1] == node }),
                      var options = try? DrainOptions.parse(flags: Array(argv[(drain + 2)...])) else { return argv }
                change(&options)
                deadline = options.processTimeoutSeconds
                return Array(argv[...(drain + 1)]) + options.kubectlFlags
            }
            return PlannedStep(id: step.id, name: step.name, kind: step.kind, location: step.location,
                               action: .commands(argvs: patched, privileged: privileged), idempotent: step.idempotent,
                               check: step.check, skippable: step.skippable, timeoutSeconds: deadline, hop: step.hop)
        }
        var rewritten = NodePlan(node: node, internalIP: internalIP, from: from, target: target, hops: hops,
                                 packageManager: packageManager, steps: steps, blockers: blockers, wasCordoned: wasCordoned)
        rewritten.carryFacts(of: self)
        return rewritten
    }
}
