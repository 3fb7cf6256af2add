import Foundation

extension DashboardState {
    /// Applies one message; returns what the runtime must do. No I/O happens here.
    public mutating func update(_ message: DashboardMessage) -> [DashboardEffect] {
        if case .key = message {
            if dialogNotYetShown, case .confirm = overlay { return [] }
            return applyMessage(message)
        }
        let hadDialog = if case .confirm = overlay { true } else { false }
        let effects = applyMessage(message)
        if !hadDialog, case .confirm = overlay { dialogNotYetShown = true }
        return effects
    }

    /// The runtime drew the current state: whatever dialog is open is now in front of the operator and takes keys.
    public mutating func screenDrawn() {
        dialogNotYetShown = false
    }

    private mutating func applyMessage(_ message: DashboardMessage) -> [DashboardEffect] {
        switch message {
        case .resize(let w, let h):
            width = max(0, w)
            height = max(0, h)
            scrollToCursor()
            return []
        case .snapshotChanged(let newData):
            setData(newData)
            return []
        case .watchState(let state):
            watch = state
            return []
        case .tick(let date):
            now = date
            return []
        case .notice(let text):
            flash = Sanitize.forScreen(text)
            return []
        case .upgrade(let event):
            let effects = apply(event)
            refreshRunDialog()
            scrollToCursor()
            return effects
        case .nodeAction(let event):
            apply(event)
            refreshRunDialog()
            scrollToCursor()
            return []
        case .nodeHolds(let newHolds):
            holds = newHolds
            return []
        case .nodePods(let pods):
            if case .details(let node, _) = overlay, node == pods.node { nodePods = pods }
            return []
        case .key(let key):
            flash = nil
            return handle(key)
        }
    }

    private mutating func handle(_ key: Key) -> [DashboardEffect] {
        if TooSmallScreen.applies(width: width, height: height) {
            // Only quitting works here, and it asks like everywhere else when a run would be aborted.
            if case .confirm = overlay { return handleDialog(key) }
            guard key == .char("q") || key == .ctrl("c") else { return [] }
            if askToQuitDuringRun() { return [] }
            if key == .char("q") { return [.quit] }
            overlay = .confirm(Self.quitDialog)
            return []
        }
        switch overlay {
        case .confirm: return handleDialog(key)
        case .drain: return handleDrainDialog(key)
        case .target: return handleTargetDialog(key)
        case .contexts: return handleContextPicker(key)
        case .help(let scroll):
            switch key {
            case .escape, .char("q"), .char("?"), .enter: overlay = .none
            case .ctrl("c"): overlay = .confirm(Self.quitDialog)
            default:
                let count = HelpContent.panel(self, scroll: 0, width: overlayTextWidth).lines.count
                if let next = scrolled(scroll, by: key, lineCount: count) { overlay = .help(scroll: next) }
            }
            return []
        case .details(let node, let scroll):
            switch key {
            case .escape, .char("q"), .enter: overlay = .none
            case .ctrl("c"): overlay = .confirm(Self.quitDialog)
            default:
                let count = DetailsContent.panel(self, node: node, scroll: 0, width: overlayTextWidth).lines.count
                if let next = scrolled(scroll, by: key, lineCount: count) { overlay = .details(node: node, scroll: next) }
            }
            return []
        case .none:
            break
        }
        if prompt != nil { return editPrompt(key) }
        if !isEditingFilter, let effects = handleUpgradeKey(key) {
            scrollToCursor()
            return effects
        }
        if isEditingFilter { return editFilter(key) }
        if key == .escape {
            // One level at a time, as in k9s: the filter first, then (opened from the fleet) back to the fleet.
            if !filter.isEmpty {
                setFilter("")
            } else if options.returnsToFleet {
                return leave(.back)
            }
            return []
        }
        if key == .char(":") {
            openPrompt()
            return []
        }
        guard let binding = keyMap.binding(for: key) else { return [] }
        if binding.action == .upgrade { return requestUpgrade() }
        if binding.action == .upgradeCluster { return requestClusterUpgrade() }
        if binding.dangerous { return requestNodeAction(binding) }
        return perform(binding.action)
    }

    private mutating func perform(_ action: DashboardAction) -> [DashboardEffect] {
        let page = max(1, tableBodyHeight - 1)
        switch action {
        case .moveUp: moveCursor(by: -1)
        case .moveDown: moveCursor(by: 1)
        case .pageUp: moveCursor(by: -page)
        case .pageDown: moveCursor(by: page)
        case .top: moveCursor(to: 0)
        case .bottom: moveCursor(to: order.count - 1)
        case .filter: isEditingFilter = true
        case .cycleSort: setSort(sort.next)
        case .toggleMark:
            if let row = cursorRow {
                if let reason = managedReason(row.name), !marks.contains(row.name) {
                    flash = "cannot mark: " + reason
                    return []
                }
                toggleMark(row.name)
                moveCursor(by: 1)
            }
        case .markBehind:
            // What the filter hides is not marked: the operator marks what they see.
            let behind = visibleRows.filter { ($0.bucket == .behind || $0.bucket == .unsupported) && managedReason($0.name) == nil }.map(\.name)
            setMarks(marks.union(behind))
            flash = "marked \(behind.count) node\(behind.count == 1 ? "" : "s") that are behind or unsupported"
        case .clearMarks:
            setMarks([])
            flash = "marks cleared"
        case .details:
            if let row = cursorRow {
                overlay = .details(node: row.name, scroll: 0)
                nodePods = nil
                return [.readNodePods(node: row.name)]
            }
        case .help: overlay = .help(scroll: 0)
        case .quit: return [.quit]
        case .interrupt: overlay = .confirm(Self.quitDialog)
        case .plan: return requestUpgrade(preview: true)
        case .probeKubeadm:
            let nodes = visibleRowsIncludingHidden.filter { marks.contains($0) }
            flash = nodes.isEmpty ? "asking every node for its kubeadm" : "asking \(nodes.count) marked node\(nodes.count == 1 ? "" : "s") for kubeadm"
            return [.probeKubeadm(nodes: nodes)]
        case .chooseTarget:
            guard let data, let dialog = TargetDialog.make(data.assessment, now: now) else {
                flash = "no target to offer: the API server version is not known yet"
                return []
            }
            overlay = .target(dialog)
        case .command: openPrompt()
        case .back: return options.returnsToFleet ? leave(.back) : []
        case .cordon, .uncordon, .drain, .upgrade, .upgradeCluster: break
        }
        return []
    }

    private mutating func handleTargetDialog(_ key: Key) -> [DashboardEffect] {
        guard case .target(var dialog) = overlay else { return [] }
        if key == .ctrl("c") {
            overlay = .confirm(Self.quitDialog)
            return []
        }
        switch dialog.handle(key) {
        case .stay:
            overlay = .target(dialog)
            return []
        case .cancel:
            overlay = .none
            return []
        case .choose(let choice):
            overlay = .none
            chosenTarget = choice
            let version = dialog.offers.first { $0.choice == choice }?.version.description ?? choice.description
            flash = "target \(version): re-assessing every node against it"
            return [.chooseTarget(choice)]
        }
    }

    private mutating func editFilter(_ key: Key) -> [DashboardEffect] {
        switch key {
        case .enter:
            isEditingFilter = false
        case .escape:
            isEditingFilter = false
            setFilter("")
        case .backspace:
            if !filter.isEmpty { setFilter(String(filter.dropLast())) }
        case .char(let c):
            if filter.count < 64 { setFilter(filter + String(c)) }
        case .ctrl("c"):
            overlay = .confirm(Self.quitDialog)
        case .ctrl("u"):
            setFilter("")
        case .up: moveCursor(by: -1)
        case .down: moveCursor(by: 1)
        default:
            break
        }
        return []
    }

    private mutating func handleDialog(_ key: Key) -> [DashboardEffect] {
        guard case .confirm(let dialog) = overlay else { return [] }
        switch key {
        case .char("y"), .char("Y"):
            overlay = .none
            switch dialog.onConfirm {
            case .quit:
                return [.quit]
            case .nodeAction(let request):
                return beginNodeAction(request)
            case .stopNodeAction(let id):
                flash = "stopping the action"
                return [.stopNodeAction(requestID: id)]
            case .upgrade(let request):
                if request == .abort { upgrade.run?.phase = .aborting }
                return [.upgrade(request)]
            }
        case .char("n"), .char("N"), .escape, .char("q"):
            overlay = .none
            if key == .char("n") || key == .char("N"), case .upgrade(let request)? = dialog.onDecline { return [.upgrade(request)] }
        case .ctrl("c"):
            if dialog.onConfirm == .quit { return [.quit] }
            overlay = .confirm(Self.quitDialog)
        default:
            break
        }
        return []
    }

    /// Dangerous actions act on the marked nodes, else the node under the cursor, and always ask first.
    private mutating func requestNodeAction(_ binding: KeyBinding) -> [DashboardEffect] {
        let kind: NodeActionRequest.Kind
        switch binding.action {
        case .cordon: kind = .cordon
        case .uncordon: kind = .uncordon
        case .drain: kind = .drain
        default: return []
        }
        let targets: [String]
        if !marks.isEmpty {
            targets = visibleRowsIncludingHidden.filter { marks.contains($0) }
        } else if let row = cursorRow {
            targets = [row.name]
        } else {
            flash = "no node to \(kind.rawValue)"
            return []
        }
        if let refusal = holdRefusal(targets) {
            flash = refusal
            return []
        }
        if kind == .drain {
            openDrainDialog(targets)
            return []
        }
        let request = NodeActionRequest(kind: kind, nodes: targets)
        var message = ["\(kind.rawValue.capitalized) \(targets.count) node\(targets.count == 1 ? "" : "s"): \(Self.list(targets))?"]
        let shown = Set(visibleRows.map(\.name))
        let hidden = targets.filter { !shown.contains($0) }.count
        if hidden > 0 { message.append("(\(hidden) of them hidden by the filter)") }
        if kind == .uncordon, let run = upgrade.run {
            message += targets.compactMap(run.upgradeInFlightWarning)
        }
        overlay = .confirm(ConfirmDialog(title: "\(kind.rawValue) nodes", message: message, onConfirm: .nodeAction(request)))
        return []
    }

    /// Every node name in table order, hidden by the filter or not (marks survive filtering).
    private var visibleRowsIncludingHidden: [String] {
        let shown = order.map { rows[$0].name }
        let shownSet = Set(shown)
        return shown + rows.map(\.name).filter { !shownSet.contains($0) }.sorted()
    }

    static let quitDialog = ConfirmDialog(title: "quit kubeskew", message: ["Quit kubeskew?"], onConfirm: .quit)

    static func list(_ names: [String]) -> String {
        names.count <= 3 ? names.joined(separator: ", ") : names.prefix(3).joined(separator: ", ") + " and \(names.count - 3) more"
    }
}
