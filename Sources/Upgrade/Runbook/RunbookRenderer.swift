import NodeExec
import SkewCore

/// Fills a runbook's templates for one node: pure, and total once the runbook has loaded.
public enum RunbookRenderer {
    /// The steps of every hop, in order: each hop's steps (the repository switch only on minor changes), then the
    /// next hop's.
    public static func steps(_ runbook: Runbook, node: NodeTarget, hops: [Hop], drain: DrainOptions = DrainOptions(),
                             kubectl: KubectlTarget = .default) -> [RenderedStep] {
        hops.enumerated().flatMap { index, hop in
            steps(runbook, values: RunbookValues(node: node, hop: hop, hopNumber: index + 1, drain: drain, kubectl: kubectl))
        }
    }

    /// The steps of one hop.
    public static func steps(_ runbook: Runbook, values: RunbookValues) -> [RenderedStep] {
        runbook.steps.compactMap { step in
            if step.condition == .minorChange && !values.hop.changesMinor { return nil }
            let timeout = step.kind == .drain && step.timeoutSeconds == 0 ? values.drain.timeoutSeconds : step.timeoutSeconds
            return RenderedStep(
                id: "h\(values.hopNumber)-\(step.id)",
                name: fill(step.name, values),
                kind: step.kind,
                location: step.location,
                commands: step.commands.map { render($0, values) },
                privileged: step.privileged,
                idempotent: step.idempotent,
                skippable: step.skippable,
                timeoutSeconds: timeout,
                check: step.check.map { RenderedCheck(argv: render($0.argv, values), expectOutput: $0.expectOutput.map { fill($0, values) }) },
                waitForVersion: step.waitsForNode ? values.hop.version.release : nil,
                hop: values.hopNumber
            )
        }
    }

    /// An argv template: list placeholders expand in place, scalar ones are replaced inside elements.
    static func render(_ template: [String], _ values: RunbookValues) -> [String] {
        template.flatMap { element -> [String] in
            if let name = RunbookPlaceholder.listName(of: element) { return values.list(name) ?? [] }
            return [fill(element, values)]
        }
    }

    /// Replaces every known `{name}` in a string; the loader has refused unknown ones.
    static func fill(_ template: String, _ values: RunbookValues) -> String {
        var result = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "}") else { return result + rest[open...] }
            let name = String(rest[afterOpen..<close])
            result += values.scalar(name) ?? "{\(name)}"
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}
