import ArgumentParser

/// `--all-contexts` / `--contexts a,b,c`: one row per kubeconfig context instead of one cluster's nodes — `check`'s
/// fleet report, the dashboard's fleet view.
struct FleetOptions: ParsableArguments {
    @Flag(name: .long, help: "Every context of the kubeconfig: one row per cluster (check: a report; the dashboard: the fleet view).")
    var allContexts = false

    @Option(name: .long, help: ArgumentHelp("These kubeconfig contexts, comma-separated: one row per cluster.", valueName: "A,B,…"),
            completion: ShellCompletion.contexts)
    var contexts: String?

    @Option(name: .long, help: ArgumentHelp("How long one cluster may take to be read before it is reported as timed out (--all-contexts, --contexts).",
                                            valueName: "SECONDS"))
    var contextTimeout = 20

    /// True when more than one cluster is asked for (or one, through --contexts): the fleet report runs instead of `check`.
    var isFleet: Bool { allContexts || contexts != nil }

    /// The contexts `--contexts` names, in the order given, each once.
    var requestedContexts: [String]? {
        guard let contexts else { return nil }
        var seen = Set<String>()
        return contexts.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// Refuses the options that select or replace one cluster: the fleet report reads every cluster live, itself.
    func validate(context: String?, input: InputOptions, probeKubeadm: Bool) throws {
        guard isFleet else { return }
        let flag = allContexts ? "--all-contexts" : "--contexts"
        if allContexts && contexts != nil { throw ValidationError("give --all-contexts or --contexts, not both") }
        if requestedContexts?.isEmpty == true { throw ValidationError("--contexts needs at least one context name (e.g. --contexts prod,staging)") }
        if contextTimeout < 1 { throw ValidationError("--context-timeout must be at least 1 second") }
        if context != nil { throw ValidationError("\(flag) checks several contexts; it cannot be used with --context (use --contexts A,B)") }
        if input.nodesFile != nil { throw ValidationError("\(flag) reads live clusters; it cannot be used with --nodes-file") }
        if input.fromDump != nil { throw ValidationError("\(flag) reads live clusters; it cannot be used with --from-dump") }
        if input.controlPlane != nil { throw ValidationError("\(flag) reads each cluster's API server version; it cannot be used with --control-plane") }
        if probeKubeadm { throw ValidationError("\(flag) does not probe nodes; run `check --context NAME --probe-kubeadm` per cluster") }
    }
}
