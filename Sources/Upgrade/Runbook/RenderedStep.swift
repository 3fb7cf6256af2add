import NodeExec
import SkewCore

/// One step of a runbook filled in for a node and hop: concrete argvs, ready for the plan and the engine.
public struct RenderedStep: Sendable, Hashable {
    /// `h<hop>-<runbook step id>`, unique within the node's plan.
    public let id: String
    public let name: String
    public let kind: PlannedStep.Kind
    public let location: PlannedStep.Location
    /// Run one after the other, stopping at the first failure; empty for the wait step.
    public let commands: [[String]]
    public let privileged: Bool
    public let idempotent: Bool
    public let skippable: Bool
    public let timeoutSeconds: Int
    /// The probe that tells the effect is already there.
    public let check: RenderedCheck?
    /// For the gate: the kubelet version the node must report, Ready.
    public let waitForVersion: KubeVersion?
    public let hop: Int

    /// Each command as an operator would type it (`sudo kubeadm upgrade node`).
    public var displayLines: [String] {
        if let waitForVersion { return ["wait until the node is Ready with kubelet \(waitForVersion)"] }
        return commands.map { ShellQuoting.displayLine((privileged ? ["sudo"] : []) + $0) }
    }

    /// The whole step on one line, commands joined with `&&` as in the official procedure.
    public var displayLine: String { displayLines.joined(separator: " && ") }
}

/// A rendered probe.
public struct RenderedCheck: Sendable, Hashable {
    public let argv: [String]
    /// The exact output (trimmed) that means "already done"; nil when exit 0 is enough.
    public let expectOutput: String?
}
