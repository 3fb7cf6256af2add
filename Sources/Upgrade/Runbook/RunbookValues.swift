import NodeExec
import SkewCore

/// How `kubectl drain` is run: typed options, rendered into flags by kubeskew, never text from the operator.
public struct DrainOptions: Sendable, Hashable, Codable {
    /// `--delete-emptydir-data`: allow evicting pods whose emptyDir data is then lost.
    public var deleteEmptyDirData: Bool
    /// `--force`: allow deleting pods that no controller manages (they are not recreated).
    public var force: Bool
    /// `--grace-period`: seconds each pod gets to stop; nil leaves each pod's own.
    public var gracePeriodSeconds: Int?
    /// How long the drain step may take before it is stopped (and the node left cordoned).
    public var timeoutSeconds: Int

    /// The official procedure's drain: `--ignore-daemonsets` only, ten minutes at most.
    public init(deleteEmptyDirData: Bool = false, force: Bool = false, gracePeriodSeconds: Int? = nil,
                timeoutSeconds: Int = 600) {
        self.deleteEmptyDirData = deleteEmptyDirData
        self.force = force
        self.gracePeriodSeconds = gracePeriodSeconds.map { max(0, $0) }
        self.timeoutSeconds = min(max(1, timeoutSeconds), 86_400)
    }

    /// The flags after `kubectl drain NODE`.
    public var flags: [String] {
        var flags = ["--ignore-daemonsets"]
        if deleteEmptyDirData { flags.append("--delete-emptydir-data") }
        if force { flags.append("--force") }
        if let gracePeriodSeconds { flags.append("--grace-period=\(gracePeriodSeconds)") }
        return flags
    }
}

/// Which cluster the control-plane steps' `kubectl` talks to; validated so it can only ever be one flag's value.
public struct KubectlTarget: Sendable, Hashable, Codable {
    public let kubeconfig: String?
    public let context: String?

    /// kubectl's defaults (`KUBECONFIG`, current context).
    public static let `default` = KubectlTarget(uncheckedKubeconfig: nil, context: nil)

    /// Validates both values: no control characters, no leading `-`, a sane length.
    public init(kubeconfig: String?, context: String?) throws(RunbookError) {
        for (label, value) in [("--kubeconfig", kubeconfig), ("--context", context)] {
            guard let value else { continue }
            guard !value.isEmpty, value.utf8.count <= 4096, !value.hasPrefix("-"),
                  value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
                throw RunbookError("kubectl", "\(label) \(ShellQuoting.displayQuote(value)) is not a usable value")
            }
        }
        self.kubeconfig = kubeconfig
        self.context = context
    }

    private init(uncheckedKubeconfig: String?, context: String?) {
        self.kubeconfig = uncheckedKubeconfig
        self.context = context
    }

    /// `--kubeconfig=…` and `--context=…`, one argv element each, as needed.
    public var flags: [String] {
        (kubeconfig.map { ["--kubeconfig=\($0)"] } ?? []) + (context.map { ["--context=\($0)"] } ?? [])
    }
}

/// Everything a runbook template may be filled with, each value already validated by its own type.
public struct RunbookValues: Sendable, Hashable {
    /// The node (name validated as RFC 1123 by ``NodeTarget``).
    public let node: NodeTarget
    /// The hop: its version (a parsed ``KubeVersion``) and whether it changes minor.
    public let hop: Hop
    /// The 1-based number of the hop.
    public let hopNumber: Int
    public let drain: DrainOptions
    public let kubectl: KubectlTarget

    /// Collects the values of one hop.
    public init(node: NodeTarget, hop: Hop, hopNumber: Int, drain: DrainOptions = DrainOptions(),
                kubectl: KubectlTarget = .default) {
        self.node = node
        self.hop = hop
        self.hopNumber = max(1, hopNumber)
        self.drain = drain
        self.kubectl = kubectl
    }

    /// The text of a scalar placeholder.
    func scalar(_ name: String) -> String? {
        switch name {
        case "node": node.name
        case "version": hop.version.release.description
        case "package": hop.version.packageVersion
        case "minor": hop.repositoryMinor.description
        default: nil
        }
    }

    /// The elements of a list placeholder.
    func list(_ name: String) -> [String]? {
        switch name {
        case "drainFlags": drain.flags
        case "kubectlFlags": kubectl.flags
        default: nil
        }
    }
}
