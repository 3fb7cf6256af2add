import Foundation
import KubeModel
import SkewCore

/// An overlay drawn over the dashboard body.
public enum Overlay: Equatable, Sendable {
    case none
    case help(scroll: Int)
    case details(node: String, scroll: Int)
    case confirm(ConfirmDialog)
    /// The drain options dialog of `r`.
    case drain(DrainDialog)
    /// The target choices of `t`.
    case target(TargetDialog)
    /// The kubeconfig's contexts (`:ctx`).
    case contexts(ContextPicker)
}

/// Settings fixed for a run of the dashboard.
public struct DashboardOptions: Sendable {
    public var readOnly: Bool
    public var glyphs: Glyphs
    /// The time zone the stale time is written in.
    public var timeZone: TimeZone
    /// The kubeconfig's contexts for `:ctx`; nil when the input is offline (a nodes file, a dump).
    public var contexts: KubeContexts?
    /// Opened from the fleet view: `esc` with nothing else to close returns to it.
    public var returnsToFleet: Bool

    public init(readOnly: Bool = false, glyphs: Glyphs = .unicode, timeZone: TimeZone = .current,
                contexts: KubeContexts? = nil, returnsToFleet: Bool = false) {
        self.readOnly = readOnly
        self.glyphs = glyphs
        self.timeZone = timeZone
        self.contexts = contexts
        self.returnsToFleet = returnsToFleet
    }
}

/// The one state value of the dashboard. `update` changes it, `DashboardView` draws it.
public struct DashboardState: Sendable {
    public let options: DashboardOptions
    public let keyMap: KeyMap
    public var width: Int
    public var height: Int
    public private(set) var data: DashboardData?
    public var watch: WatchState
    /// Every node, built once per snapshot.
    public private(set) var rows: [NodeRow] = []
    /// Indexes into `rows` of the nodes shown, filtered and sorted (recomputed on snapshot, filter or sort change).
    public private(set) var order: [Int] = []
    /// Natural width of each table column's content over every node (recomputed on snapshot change).
    public private(set) var naturalWidths: [Int] = []
    public private(set) var sort: SortKey = .name
    public private(set) var filter: String = ""
    public var isEditingFilter = false
    /// The k9s-style command line (`:`) while it is open: what was typed after the colon.
    public internal(set) var prompt: String?
    /// Position of the cursor in `order`.
    public private(set) var cursor = 0
    /// First row of `order` on screen.
    public private(set) var scrollTop = 0
    public private(set) var marks: Set<String> = []
    public var overlay: Overlay = .none
    /// The target the operator picked with `t` (nil: the one given at start); the feeds assess with it.
    public internal(set) var chosenTarget: TargetChoice?
    /// Every pod on the node whose details are open, once read (nil until then).
    public var nodePods: NodePods?
    /// A dialog that opened by itself (the resume offer at start), not by a key, and has not been on screen yet:
    /// keys read with it were typed before the operator could see it, so they must not answer it.
    public internal(set) var dialogNotYetShown = false
    /// A one-line message for the footer, until the next key.
    public var flash: String?
    /// Nodes other kubeskews hold (their live Leases), by node name (`hold(on:)`).
    public var holds: [String: NodeHold] = [:]
    public var now: Date
    /// The guided upgrade: plan review and run panes (Upgrade/).
    public var upgrade = UpgradeScreens()
    /// What the cluster did since the dashboard opened (NotReady, cordoned, new kubelet, …).
    public private(set) var clusterEvents = ClusterEventLog()
    /// The number given to the last confirmed single action (its panes carry it).
    public internal(set) var lastActionRequestID = 0

    public init(options: DashboardOptions = DashboardOptions(), width: Int = 80, height: Int = 24,
                watch: WatchState = .connecting, now: Date = Date()) {
        self.options = options
        self.keyMap = KeyMap.dashboard(readOnly: options.readOnly, returnsToFleet: options.returnsToFleet)
        self.width = width
        self.height = height
        self.watch = watch
        self.now = now
    }

    /// The node under the cursor.
    public var cursorRow: NodeRow? {
        guard cursor >= 0, cursor < order.count else { return nil }
        return rows[order[cursor]]
    }

    /// The shown rows, in order.
    public var visibleRows: [NodeRow] { order.map { rows[$0] } }

    // MARK: changes that keep the caches right

    /// Takes a new snapshot: rebuilds rows, widths and order, keeps the cursor on the same node and drops marks of
    /// nodes that are gone.
    public mutating func setData(_ newData: DashboardData) {
        let keep = cursorRow?.name
        let hadData = data != nil
        data = newData
        let prepared = newData.prepared ?? PreparedRows(newData)
        if hadData { clusterEvents.record(ClusterEventLog.changes(from: rows, to: prepared.rows, at: now)) }
        rows = prepared.rows
        naturalWidths = prepared.naturalWidths
        if !marks.isEmpty {
            let names = Set(rows.map(\.name))
            marks = marks.filter { names.contains($0) }
        }
        recomputeOrder(keepingCursorOn: keep)
    }

    public mutating func setFilter(_ text: String) {
        let keep = cursorRow?.name
        filter = text
        recomputeOrder(keepingCursorOn: keep)
    }

    public mutating func setSort(_ key: SortKey) {
        let keep = cursorRow?.name
        sort = key
        recomputeOrder(keepingCursorOn: keep)
    }

    public mutating func toggleMark(_ name: String) {
        if marks.contains(name) { marks.remove(name) } else { marks.insert(name) }
    }

    public mutating func setMarks(_ names: Set<String>) {
        marks = names
    }

    /// Moves the cursor by `delta` rows (clamped) and scrolls to keep it on screen.
    public mutating func moveCursor(by delta: Int) {
        moveCursor(to: cursor + delta)
    }

    public mutating func moveCursor(to index: Int) {
        cursor = max(0, min(index, order.count - 1))
        scrollToCursor()
    }

    /// Rows of the node table on screen at the current size.
    public var tableBodyHeight: Int {
        RunLayout.split(tableBody: ScreenLayout(width: width, height: height, controlPlaneEntries: controlPlaneEntryCount).tableBody,
                        run: upgrade.run).table.height
    }

    var controlPlaneEntryCount: Int {
        ControlPlaneSummary.entries(data).count
    }

    /// Keeps the cursor inside the table window; called after moves, resizes and order changes.
    public mutating func scrollToCursor() {
        let visible = max(1, tableBodyHeight)
        if cursor < scrollTop { scrollTop = cursor }
        if cursor >= scrollTop + visible { scrollTop = cursor - visible + 1 }
        scrollTop = max(0, min(scrollTop, max(0, order.count - visible)))
    }

    private mutating func recomputeOrder(keepingCursorOn name: String?) {
        let needle = filter.lowercased()
        let key = sort
        let rows = self.rows
        var indexes = needle.isEmpty ? Array(rows.indices) : rows.indices.filter { rows[$0].searchText.contains(needle) }
        indexes.sort { key.before(rows[$0], rows[$1]) }
        order = indexes
        if let name, let position = order.firstIndex(where: { rows[$0].name == name }) {
            cursor = position
        } else {
            cursor = max(0, min(cursor, order.count - 1))
        }
        scrollToCursor()
    }
}

/// The kubeconfig's contexts, for `:ctx`: every name in file order, and the one on screen.
public struct KubeContexts: Sendable, Equatable {
    public var names: [String]
    public var current: String

    public init(names: [String], current: String) {
        self.names = names
        self.current = current
    }
}
