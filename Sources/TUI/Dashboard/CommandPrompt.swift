import Foundation

/// The k9s-style command line (`:`) and the context picker of `:ctx`, and the rule for leaving a cluster.
///
/// Leaving the cluster on screen — `esc` back to the fleet view, `:ctx` to another context — tears down everything
/// that belongs to it (watch, feeds, prober, scans, the guided-upgrade engine, the client). So while a guided
/// upgrade, a cluster upgrade or a single action (cordon, uncordon, drain) is in flight, leaving is REFUSED with a
/// notice, never done silently: a run must not go on unseen, nor be stopped by a key that does not say so. The
/// operator stops it (`A`, which says what it leaves the nodes in) or waits for it; `q` keeps its own question
/// ("quit during a run"), which says what quitting aborts. A paused or finished run may be left, as `q` leaves it
/// without asking: the journal offers a paused one for resume when that cluster is opened again.
extension DashboardState {
    /// The context on screen, for notices.
    var contextName: String {
        options.contexts?.current ?? data?.snapshot.context.map(Sanitize.forScreen) ?? "this cluster"
    }

    /// Why the cluster may not be left now; nil when it may.
    public var leaveRefusal: String? {
        guard let run = upgrade.run, run.isActive || upgrade.clusterRunActive else { return nil }
        let what = run.upgradeIsActive || upgrade.clusterRunActive ? "a run" : "an action"
        return "\(what) is in progress on \(Sanitize.forScreen(contextName)); stop it (A) or wait before leaving"
    }

    /// `effect` (back to the fleet, another context) when the cluster may be left, else the refusal in the footer.
    mutating func leave(_ effect: DashboardEffect) -> [DashboardEffect] {
        if let refusal = leaveRefusal {
            flash = refusal
            return []
        }
        return [effect]
    }

    /// `:` typed on the table: opens the command line.
    mutating func openPrompt() {
        prompt = ""
    }

    /// Keys while the command line is open: text, backspace, ctrl-u, tab (completes a context name), enter runs it,
    /// esc cancels.
    mutating func editPrompt(_ key: Key) -> [DashboardEffect] {
        guard let text = prompt else { return [] }
        switch key {
        case .escape:
            prompt = nil
        case .enter:
            prompt = nil
            return runCommand(text)
        case .backspace:
            if text.isEmpty { prompt = nil } else { prompt = String(text.dropLast()) }
        case .ctrl("u"):
            prompt = ""
        case .ctrl("c"):
            prompt = nil
            overlay = .confirm(Self.quitDialog)
        case .tab:
            prompt = completed(text)
        case .char(let c):
            if text.count < 128 { prompt = text + String(c) }
        default:
            break
        }
        return []
    }

    /// `ctx`, `ctx NAME`, `q`/`quit`, `help`.
    mutating func runCommand(_ line: String) -> [DashboardEffect] {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let command = words.first else { return [] }
        switch command {
        case "ctx", "context", "contexts":
            guard let contexts = options.contexts else {
                flash = "contexts are not available here: this dashboard is not on a kubeconfig cluster (a nodes file, a dump, the demo)"
                return []
            }
            guard words.count > 1 else {
                overlay = .contexts(ContextPicker(contexts))
                return []
            }
            return switchContext(to: words.dropFirst().joined(separator: " "), contexts)
        case "q", "q!", "quit", "exit":
            if askToQuitDuringRun() { return [] }
            return [.quit]
        case "help", "?":
            overlay = .help(scroll: 0)
            return []
        default:
            flash = "unknown command :\(Sanitize.forScreen(command)) (try :ctx, :ctx NAME, :q)"
            return []
        }
    }

    /// Reopens the dashboard on `name` (refused during a run, like every way of leaving).
    mutating func switchContext(to name: String, _ contexts: KubeContexts) -> [DashboardEffect] {
        guard contexts.names.contains(name) else {
            let near = ContextPicker.near(name, in: contexts.names)
            let listed = (near.isEmpty ? Array(contexts.names.prefix(5)) : near).map { "\"\(Sanitize.forScreen($0))\"" }
            flash = "no context \"\(Sanitize.forScreen(name))\" in the kubeconfig; "
                + (near.isEmpty ? "its contexts: " : "did you mean ") + listed.joined(separator: ", ")
                + (near.isEmpty && contexts.names.count > 5 ? ", …" : "")
            return []
        }
        if name == contexts.current {
            flash = "already on \(Sanitize.forScreen(name))"
            return []
        }
        return leave(.switchContext(name))
    }

    mutating func handleContextPicker(_ key: Key) -> [DashboardEffect] {
        guard case .contexts(var picker) = overlay, let contexts = options.contexts else {
            overlay = .none
            return []
        }
        if key == .ctrl("c") {
            overlay = .confirm(Self.quitDialog)
            return []
        }
        switch picker.handle(key) {
        case .stay:
            overlay = .contexts(picker)
            return []
        case .cancel:
            overlay = .none
            return []
        case .choose(let name):
            overlay = .none
            return switchContext(to: name, contexts)
        }
    }

    /// `ctx pr` + tab → `ctx prod-eu` when one context starts so (else the longest common start).
    private func completed(_ text: String) -> String {
        guard let contexts = options.contexts, let space = text.firstIndex(of: " "),
              ["ctx", "context"].contains(String(text[..<space])) else { return text }
        let typed = String(text[text.index(after: space)...]).trimmingCharacters(in: .whitespaces)
        let matches = contexts.names.filter { $0.hasPrefix(typed) }
        guard var common = matches.first else { return text }
        for m in matches.dropFirst() {
            while !m.hasPrefix(common) { common.removeLast() }
        }
        return String(text[..<space]) + " " + common
    }
}

/// The `:ctx` picker: every context of the kubeconfig, the one on screen marked; enter switches to the selected one.
public struct ContextPicker: Equatable, Sendable {
    public enum Outcome: Equatable, Sendable {
        case stay
        case cancel
        case choose(String)
    }

    public let names: [String]
    public let current: String
    public private(set) var selected: Int

    public init(_ contexts: KubeContexts) {
        names = contexts.names
        current = contexts.current
        selected = contexts.names.firstIndex(of: contexts.current) ?? 0
    }

    /// j/k or arrows move, g/G the ends, enter chooses, esc or q cancels.
    public mutating func handle(_ key: Key) -> Outcome {
        guard !names.isEmpty else { return .cancel }
        switch key {
        case .escape, .char("q"): return .cancel
        case .enter: return .choose(names[selected])
        case .char("j"), .down, .tab: selected = min(names.count - 1, selected + 1)
        case .char("k"), .up, .backTab: selected = max(0, selected - 1)
        case .char("g"), .home: selected = 0
        case .char("G"), .end: selected = names.count - 1
        default: break
        }
        return .stay
    }

    /// Draws the list centred in `area`, scrolled to keep the selection in view.
    public func render(into grid: inout Grid, area: Rect, glyphs: Glyphs) {
        let keys = "j/k move · enter switch · esc cancel"
        let shown = names.map { Sanitize.forScreen($0) + ($0 == current ? "  (current)" : "") }
        let contentWidth = max(TextWidth.of(keys), (shown.map { TextWidth.of($0) }.max() ?? 0) + 3)
        let box = area.centered(width: min(area.width, contentWidth + 4), height: min(area.height, names.count + 3))
        let inner = Box.draw(into: &grid, box, title: "contexts", glyphs: glyphs, style: Style(.accent, bold: true))
        let rows = max(0, inner.height - 1)
        guard rows > 0 else { return }
        let top = max(0, min(selected - rows / 2, names.count - rows))
        for line in 0..<min(rows, names.count - top) {
            let index = top + line
            let isSelected = index == selected
            let marker = isSelected ? glyphs.cursor : " "
            let current = names[index] == self.current ? "*" : " "
            grid.put(marker + current + " " + shown[index], x: inner.x, y: inner.y + line, maxWidth: inner.width,
                     style: isSelected ? Style(.normal, bold: true, reverse: true) : (names[index] == self.current ? Style(.normal, bold: true) : .plain))
        }
        grid.put(" " + keys, x: inner.x, y: inner.maxY - 1, maxWidth: inner.width, style: Style(.accent, bold: true))
    }

    /// The names close to a mistyped one: containing it or contained in it, or within a few edits; nearest first.
    public static func near(_ typed: String, in names: [String], limit: Int = 5) -> [String] {
        let lower = typed.lowercased()
        let scored: [(String, Int)] = names.compactMap { name in
            let n = name.lowercased()
            if n.contains(lower) || lower.contains(n) { return (name, 0) }
            let d = distance(Array(lower), Array(n))
            return d <= max(2, lower.count / 3) ? (name, d) : nil
        }
        return scored.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(limit).map(\.0)
    }

    private static func distance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var row = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = row
        }
        return previous[b.count]
    }
}
