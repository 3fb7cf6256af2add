/// The node-upgrade procedure for one package manager, as data (`Assets/runbooks/<manager>.yaml`).
///
/// A runbook holds templates only; ``RunbookRenderer`` turns it into concrete steps for one node and hop, filling
/// placeholders from validated values (``RunbookValues``) and nothing else.
public struct Runbook: Sendable, Hashable {
    /// The package tools this runbook is written for.
    public let packageManager: PackageManager
    /// The steps of one hop, in order.
    public let steps: [RunbookStep]
    /// Where the runbook came from, for messages (`apt.yaml`).
    public let origin: String
}

/// One step template of a runbook.
public struct RunbookStep: Sendable, Hashable {
    /// When a step takes part in a hop.
    public enum Condition: String, Sendable, Hashable {
        /// On every hop.
        case always
        /// Only on a hop that moves to a new minor (the package repository switch).
        case minorChange = "minor-change"
    }

    /// Stable within the runbook (`install-kubeadm`); rendered step ids are `h<hop>-<id>`.
    public let id: String
    /// What an operator reads, with placeholders (`install kubeadm {package}`).
    public let name: String
    public let kind: PlannedStep.Kind
    public let location: PlannedStep.Location
    public let condition: Condition
    /// Runs under `sudo -n` unless the executor connects as root; only node steps may be privileged.
    public let privileged: Bool
    /// Running it twice does no harm.
    public let idempotent: Bool
    /// An operator may skip it after a failure.
    public let skippable: Bool
    /// Seconds the whole step may take; 0 for the drain means the drain options' timeout.
    public let timeoutSeconds: Int
    /// Argv templates run one after the other, stopping at the first failure; empty for the wait step.
    public let commands: [[String]]
    /// A probe telling that the step's effect is already there.
    public let check: RunbookCheck?
    /// True for the gate that waits for the node to be Ready on the hop's version.
    public let waitsForNode: Bool
}

/// A probe template: the step is already done when it exits 0 (and prints exactly `expectOutput`, when given).
public struct RunbookCheck: Sendable, Hashable {
    public let argv: [String]
    public let expectOutput: String?
}
