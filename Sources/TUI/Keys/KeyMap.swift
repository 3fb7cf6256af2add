/// What a key does on the dashboard.
public enum DashboardAction: Hashable, Sendable {
    case moveUp, moveDown, pageUp, pageDown, top, bottom
    case filter, cycleSort, toggleMark, markBehind, clearMarks, details, help, quit, interrupt
    case cordon, uncordon, drain, upgrade, plan
    /// Upgrade the whole cluster to the target (`C`): the cluster plan review, then the phases.
    case upgradeCluster
    /// Ask the marked nodes (else every node) for their kubeadm again.
    case probeKubeadm
    /// Offer the targets (`t`): latest patch, next minor, … with what each fixes.
    case chooseTarget
    /// The k9s-style command line (`:ctx`, `:q`).
    case command
    /// Back to the fleet view (a cluster opened from it).
    case back
}

/// One key binding: keys, words for the footer and help, and its flags.
public struct KeyBinding: Equatable, Sendable {
    public var keys: [Key]
    public var action: DashboardAction
    /// Short words for the footer ("mark behind").
    public var hint: String
    /// A sentence for the help screen.
    public var description: String
    /// Shown in the footer (help lists every binding).
    public var visible: Bool
    /// Changes the cluster: asks for confirmation, and is not bound under `--read-only`.
    public var dangerous: Bool

    public init(_ keys: [Key], _ action: DashboardAction, hint: String, description: String, visible: Bool = true,
                dangerous: Bool = false) {
        self.keys = keys
        self.action = action
        self.hint = hint
        self.description = description
        self.visible = visible
        self.dangerous = dangerous
    }

    /// How the keys are written ("j/↓").
    public var keyLabel: String { keys.map(\.description).joined(separator: "/") }
}

/// The key bindings of a screen, as data: the footer and the help are generated from it.
public struct KeyMap: Equatable, Sendable {
    public private(set) var bindings: [KeyBinding]

    public init(_ bindings: [KeyBinding]) {
        self.bindings = bindings
    }

    /// The action bound to `key`, if any.
    public func action(for key: Key) -> DashboardAction? {
        binding(for: key)?.action
    }

    /// The binding for `key`, if any.
    public func binding(for key: Key) -> KeyBinding? {
        bindings.first { $0.keys.contains(key) }
    }

    /// The binding of `action`, if bound.
    public func binding(of action: DashboardAction) -> KeyBinding? {
        bindings.first { $0.action == action }
    }

    /// The footer bindings, in footer order.
    public var visibleBindings: [KeyBinding] { bindings.filter(\.visible) }

    /// The dashboard's keys (k9s-like); under `readOnly` the dangerous ones are not bound at all.
    public static func dashboard(readOnly: Bool, returnsToFleet: Bool = false) -> KeyMap {
        let all: [KeyBinding] = [
            KeyBinding([.char(" ")], .toggleMark, hint: "mark", description: "mark or unmark the node under the cursor"),
            KeyBinding([.char("a")], .markBehind, hint: "mark behind",
                       description: "mark every node that is behind or outside the supported skew"),
            KeyBinding([.char("/")], .filter, hint: "filter",
                       description: "filter nodes by a piece of their name, role, version or verdict (esc clears)"),
            KeyBinding([.char("s")], .cycleSort, hint: "sort",
                       description: "sort by name, verdict, kubelet version, role (cycles)"),
            KeyBinding([.enter], .details, hint: "details",
                       description: "details of the node: nodeInfo, conditions, taints, pods, verdicts explained"),
            KeyBinding([.char("U")], .upgrade, hint: "upgrade",
                       description: "upgrade the marked nodes (or the node under the cursor) to the target",
                       dangerous: true),
            KeyBinding([.char("C")], .upgradeCluster, hint: "cluster upgrade",
                       description: "upgrade the whole cluster to the target, control plane first (opens the plan review)",
                       dangerous: true),
            KeyBinding([.char("p")], .plan, hint: "plan",
                       description: "show the upgrade plan of the marked nodes: commands, hops, blockers (changes nothing)"),
            KeyBinding([.char("c")], .cordon, hint: "cordon", description: "cordon the marked nodes", dangerous: true),
            KeyBinding([.char("u")], .uncordon, hint: "uncordon", description: "uncordon the marked nodes",
                       dangerous: true),
            KeyBinding([.char("r")], .drain, hint: "drain", description: "drain the marked nodes, with an options dialog", dangerous: true),
            KeyBinding([.char("x")], .clearMarks, hint: "clear marks", description: "clear every mark"),
            // Reads only (kubeadm version on the node): bound under --read-only too.
            KeyBinding([.char("K")], .probeKubeadm, hint: "probe kubeadm",
                       description: "ask the marked nodes (else every node) for their kubeadm version again", visible: false),
            // Changes what the nodes are measured against, not the cluster: bound under --read-only too.
            KeyBinding([.char("t")], .chooseTarget, hint: "target",
                       description: "choose the target: latest patch, next minor, … with the CVEs each closes and its end of life",
                       visible: false),
            KeyBinding([.char(":")], .command, hint: "command",
                       description: "command line: :ctx picks another context, :ctx NAME switches to it, :q quits",
                       visible: false),
        ] + (returnsToFleet ? [
            KeyBinding([.escape], .back, hint: "fleet", description: "back to the fleet view (refused while a run is in progress)"),
        ] : []) + [
            KeyBinding([.char("?")], .help, hint: "help", description: "this help"),
            KeyBinding([.char("q")], .quit, hint: "quit", description: "quit"),
            KeyBinding([.char("k"), .up], .moveUp, hint: "up", description: "move up", visible: false),
            KeyBinding([.char("j"), .down], .moveDown, hint: "down", description: "move down", visible: false),
            KeyBinding([.pageUp, .ctrl("b")], .pageUp, hint: "page up", description: "one page up", visible: false),
            KeyBinding([.pageDown, .ctrl("f")], .pageDown, hint: "page down", description: "one page down",
                       visible: false),
            KeyBinding([.home, .char("g")], .top, hint: "top", description: "first node", visible: false),
            KeyBinding([.end, .char("G")], .bottom, hint: "bottom", description: "last node", visible: false),
            KeyBinding([.ctrl("c")], .interrupt, hint: "quit", description: "quit (asks first)", visible: false),
        ]
        return KeyMap(readOnly ? all.filter { !$0.dangerous } : all)
    }
}
