import SkewCore

// DrainOptions (the options and their kubectl flags) lives in SkewCore, where the upgrade's drain step builds them too.

/// The drain options dialog: the nodes, the options with the one selected, and what is being typed into a number.
public struct DrainDialog: Equatable, Sendable {
    /// One line of the dialog the cursor can be on.
    public enum Field: Int, CaseIterable, Sendable {
        case ignoreDaemonSets, deleteEmptyDirData, force, disableEviction, gracePeriod, timeout, drain
    }

    /// What a key did to the dialog.
    public enum Outcome: Equatable, Sendable {
        case stay
        case cancel
        case confirm
    }

    public let nodes: [String]
    /// How many of `nodes` the table's filter hides (marked earlier, not on screen now): said in the dialog.
    public var hiddenByFilter = 0
    public var options = DrainOptions()
    public var selected: Field = .drain
    /// True until a digit is typed on the selected number: the first digit replaces the value, the next ones add.
    var replacing = true

    /// The longest number typed into the grace period or the timeout (a day of seconds is plenty).
    static let maxDigits = 6

    public init(nodes: [String], options: DrainOptions = DrainOptions()) {
        self.nodes = nodes
        self.options = options
    }

    /// Applies one key: j/k or arrows move, space toggles or starts over a number, digits and backspace edit it,
    /// `enter` on the drain line or `y` confirms, `esc`, `n` or `q` cancels.
    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .escape, .char("n"), .char("q"): return .cancel
        case .char("y"), .char("Y"): return options.timeoutSeconds > 0 ? .confirm : .stay
        case .enter:
            if selected == .drain { return options.timeoutSeconds > 0 ? .confirm : .stay }
            move(by: 1)
        case .char("j"), .down, .tab: move(by: 1)
        case .char("k"), .up, .backTab: move(by: -1)
        case .char(" "): toggle()
        case .char(let c) where c.isASCII && c.wholeNumberValue != nil: type(digit: c.wholeNumberValue ?? 0)
        case .backspace, .delete: erase()
        default: break
        }
        return .stay
    }

    private mutating func move(by delta: Int) {
        let all = Field.allCases
        selected = all[(selected.rawValue + delta + all.count) % all.count]
        replacing = true
    }

    private mutating func toggle() {
        switch selected {
        case .ignoreDaemonSets: options.ignoreDaemonSets.toggle()
        case .deleteEmptyDirData: options.deleteEmptyDirData.toggle()
        case .force: options.force.toggle()
        case .disableEviction: options.disableEviction.toggle()
        case .gracePeriod: options.gracePeriodSeconds = options.gracePeriodSeconds == nil ? 30 : nil
        case .timeout, .drain: break
        }
    }

    private mutating func type(digit: Int) {
        defer { replacing = false }
        switch selected {
        case .gracePeriod:
            let current = replacing ? 0 : options.gracePeriodSeconds ?? 0
            if String(current).count < Self.maxDigits { options.gracePeriodSeconds = current * 10 + digit }
        case .timeout:
            let current = replacing ? 0 : options.timeoutSeconds
            if String(current).count < Self.maxDigits { options.timeoutSeconds = current * 10 + digit }
        default: break
        }
    }

    private mutating func erase() {
        replacing = false
        switch selected {
        case .gracePeriod:
            guard let current = options.gracePeriodSeconds else { return }
            options.gracePeriodSeconds = current < 10 ? nil : current / 10
        case .timeout: options.timeoutSeconds /= 10
        default: break
        }
    }

    /// The dialog's lines: each option with its flag and what it does.
    func lines(glyphs: Glyphs) -> [(field: Field?, text: String)] {
        let box = { (on: Bool) in on ? "[x]" : "[ ]" }
        let grace = options.gracePeriodSeconds.map { "\($0) s" } ?? "each pod's own"
        return [
            (nil, "Drain \(DashboardState.list(nodes))\(hiddenByFilter > 0 ? " (\(hiddenByFilter) of them hidden by the filter)" : ""): cordon, then evict every pod."),
            (nil, ""),
            (.ignoreDaemonSets, "\(box(options.ignoreDaemonSets)) ignore DaemonSets      --ignore-daemonsets"),
            (.deleteEmptyDirData, "\(box(options.deleteEmptyDirData)) delete emptyDir data   --delete-emptydir-data (that data is lost)"),
            (.force, "\(box(options.force)) force                  --force (pods without a controller are gone for good)"),
            (.disableEviction, "\(box(options.disableEviction)) disable eviction       --disable-eviction (bypasses PodDisruptionBudgets)"),
            (.gracePeriod, "    grace period           \(grace)"),
            (.timeout, "    timeout                \(options.timeoutSeconds) s\(options.timeoutSeconds == 0 ? " (must be more than 0)" : "")"),
            (nil, ""),
            (.drain, "  \(glyphs == .unicode ? "▶" : ">") drain"),
            (nil, ""),
            (nil, "kubectl drain NODE " + options.kubectlFlags.joined(separator: " ")),
        ]
    }

    /// Draws the dialog centred in `area`; a line too long for the screen wraps under its flag (the options) or
    /// its first words (the rest), so nothing is cut at 80 columns.
    public func render(into grid: inout Grid, area: Rect, glyphs: Glyphs) {
        let content = lines(glyphs: glyphs)
        let keys = "j/k move · space toggle · digits edit · enter/y drain · esc cancel"
        // One column for the cursor marker, two for the border, two for the padding.
        let textWidth = max(10, area.width - 5)
        var rows: [(field: Field?, text: String, last: Bool)] = []
        for (index, line) in content.enumerated() {
            for part in Self.wrap(line.text, hang: Self.hang(line.text, field: line.field), width: textWidth) {
                rows.append((line.field, part, index == content.count - 1))
            }
        }
        let contentWidth = max(TextWidth.of(keys), rows.map { TextWidth.of($0.text) + 1 }.max() ?? 0)
        let box = area.centered(width: min(area.width, contentWidth + 4), height: min(area.height, rows.count + 3))
        let inner = Box.draw(into: &grid, box, title: "drain nodes", glyphs: glyphs, style: Style(.warning, bold: true))
        for (index, row) in rows.enumerated() where index < inner.height - 1 {
            let isSelected = row.field == selected
            let style: Style
            if isSelected {
                style = Style(.normal, bold: true, reverse: true)
            } else if row.field == .drain {
                style = Style(.danger, bold: true)
            } else if row.field == nil && row.last {
                style = Style(.dim)
            } else {
                style = .plain
            }
            let first = index == 0 || rows[index - 1].field != row.field || row.field == nil
            let marker = isSelected && first ? (glyphs == .unicode ? "▸" : ">") : " "
            grid.put(marker + row.text, x: inner.x, y: inner.y + index, maxWidth: inner.width, style: style)
        }
        if inner.height > 0 {
            grid.put(" " + keys, x: inner.x, y: inner.maxY - 1, maxWidth: inner.width, style: Style(.accent, bold: true))
        }
    }

    /// Where a line's continuation starts: under the flag of an option, four columns in for the command.
    static func hang(_ text: String, field: Field?) -> Int {
        if field != nil, let flag = text.range(of: "  --") { return TextWidth.of(String(text[..<flag.upperBound])) - 2 }
        return text.hasPrefix("kubectl ") ? 4 : 0
    }

    /// `text` in lines of at most `width` columns, the continuations indented by `hang`.
    static func wrap(_ text: String, hang: Int, width: Int) -> [String] {
        guard TextWidth.of(text) > width else { return [text] }
        let hang = width - hang < 20 ? 0 : hang
        let pad = String(repeating: " ", count: hang)
        // An option's label stays whole in front of its first line; other lines wrap from their start.
        let head = text.prefix(hang).hasSuffix(" ") ? String(text.prefix(hang)) : ""
        return WordWrap.lines(String(text.dropFirst(head.count)), width: width - hang).enumerated().map { index, line in
            (index == 0 ? head : pad) + line
        }
    }
}
