import Foundation

/// One cluster of the fleet view, as the screen shows it; the CLI fills it from the fleet check of that context.
public struct FleetRow: Sendable, Equatable {
    /// Where the cluster's row is.
    public enum Status: Sendable, Equatable {
        /// Not read yet (the spinner).
        case loading
        /// Read and judged: the worst verdict over its nodes and control plane, as `check` says it.
        case read(Verdict)
        /// Read, but not judged (no API server version, or a target it cannot reach): why.
        case notJudged(String)
        /// Not read: a short reason (connection refused, timed out, unauthorized, …) and the client's whole message.
        case unreachable(reason: String, detail: String)
    }

    /// `check`'s verdict words for a cluster.
    public enum Verdict: String, Sendable, Equatable {
        case current, behind, unsupported
    }

    public var context: String
    /// The kubeconfig's server URL (nil when the context could not be resolved).
    public var server: String?
    public var status: Status
    /// The API server version(s): `v1.33.3`, `v1.33.3×3` when HA instances agree.
    public var controlPlane: String?
    /// The control plane's minor end of life (`2026-06-28`), and whether it is past.
    public var endOfLife: String?
    public var endOfLifePast = false
    /// CVEs fixed in a newer patch that the control plane runs with.
    public var cves: Int?
    /// Nodes per verdict: current, behind (supported), unsupported.
    public var current: Int?
    public var behind: Int?
    public var unsupported: Int?

    public init(context: String, server: String? = nil, status: Status = .loading) {
        self.context = context
        self.server = server
        self.status = status
    }

    /// This row waiting to be read again (`r`): what it knew goes, so nothing old passes for new.
    public var reloading: FleetRow { FleetRow(context: context, server: server, status: .loading) }

    public var isUnreachable: Bool {
        if case .unreachable = status { return true }
        return false
    }

    public var isLoading: Bool { status == .loading }
}

/// What can happen to the fleet view.
public enum FleetMessage: Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    case tick(Date)
    /// A cluster was read (or could not be) by the load numbered `generation`; older loads' rows are dropped.
    case row(generation: Int, FleetRow)
    case notice(String)
}

/// What the fleet view asks its runtime to do.
public enum FleetEffect: Equatable, Sendable {
    case quit
    /// Open this context's live dashboard.
    case open(String)
    /// Read every cluster again, numbering the load `generation`.
    case reload(generation: Int)
}

/// The fleet view (`kubeskew --all-contexts`): one row per kubeconfig context, filled in as each cluster is read.
public struct FleetState: Sendable {
    /// A box over the table.
    public enum Overlay: Sendable, Equatable {
        case none
        case help
        /// Why this context cannot be opened (its row is unreachable).
        case reason(context: String)
    }

    public let glyphs: Glyphs
    public var width: Int
    public var height: Int
    public private(set) var rows: [FleetRow]
    public private(set) var cursor = 0
    public private(set) var scrollTop = 0
    public var overlay: Overlay = .none
    /// A one-line message for the footer, until the next key.
    public var flash: String?
    /// The load whose rows are taken (`r` starts a new one).
    public private(set) var generation = 0
    /// Turns of the loading spinner.
    public private(set) var spinnerFrame = 0
    public var now: Date

    public init(contexts: [String], servers: [String: String] = [:], glyphs: Glyphs = .unicode, width: Int = 80,
                height: Int = 24, now: Date = Date()) {
        rows = contexts.map { FleetRow(context: $0, server: servers[$0]) }
        self.glyphs = glyphs
        self.width = width
        self.height = height
        self.now = now
    }

    public var cursorRow: FleetRow? { rows.indices.contains(cursor) ? rows[cursor] : nil }

    /// Rows of the table on screen.
    var bodyHeight: Int { max(1, FleetLayout(width: width, height: height).body.height) }

    public mutating func update(_ message: FleetMessage) -> [FleetEffect] {
        switch message {
        case .resize(let w, let h):
            width = max(0, w)
            height = max(0, h)
            scrollToCursor()
        case .tick(let date):
            now = date
            if rows.contains(where: \.isLoading) { spinnerFrame &+= 1 }
        case .row(let generation, let row):
            guard generation == self.generation, let i = rows.firstIndex(where: { $0.context == row.context }) else { return [] }
            rows[i] = row
        case .notice(let text):
            flash = Sanitize.forScreen(text)
        case .key(let key):
            flash = nil
            return handle(key)
        }
        return []
    }

    private mutating func handle(_ key: Key) -> [FleetEffect] {
        if key == .ctrl("c") { return [.quit] }
        switch overlay {
        case .help, .reason:
            let closes: [Key] = [.escape, .enter, .char("q"), .char("?")]
            if closes.contains(key) { overlay = .none }
            // The reason's box offers `r`: it closes and reads every cluster again.
            guard key == .char("r"), case .reason = overlay else { return [] }
            overlay = .none
        case .none:
            break
        }
        let page = max(1, bodyHeight - 1)
        switch key {
        case .char("k"), .up: move(to: cursor - 1)
        case .char("j"), .down: move(to: cursor + 1)
        case .pageUp, .ctrl("b"): move(to: cursor - page)
        case .pageDown, .ctrl("f"): move(to: cursor + page)
        case .char("g"), .home: move(to: 0)
        case .char("G"), .end: move(to: rows.count - 1)
        case .enter:
            guard let row = cursorRow else { return [] }
            // A cluster that could not be read is not opened: its reason is shown instead (r tries again).
            if row.isUnreachable {
                overlay = .reason(context: row.context)
                return []
            }
            return [.open(row.context)]
        case .char("r"):
            generation += 1
            rows = rows.map(\.reloading)
            flash = "reading \(rows.count) cluster\(rows.count == 1 ? "" : "s") again"
            return [.reload(generation: generation)]
        case .char("?"): overlay = .help
        case .char("q"): return [.quit]
        case .escape: flash = "this is the fleet view: enter opens a cluster, q quits"
        default: break
        }
        return []
    }

    private mutating func move(to index: Int) {
        cursor = max(0, min(index, rows.count - 1))
        scrollToCursor()
    }

    private mutating func scrollToCursor() {
        let visible = bodyHeight
        if cursor < scrollTop { scrollTop = cursor }
        if cursor >= scrollTop + visible { scrollTop = cursor - visible + 1 }
        scrollTop = max(0, min(scrollTop, max(0, rows.count - visible)))
    }
}

/// Where the fleet view's parts go.
struct FleetLayout {
    let header: Rect
    let tableHeader: Rect
    let body: Rect
    /// The cursor row's error in full (an unreachable or unjudged cluster), above the footer.
    let detail: Rect
    let footer: Rect

    init(width: Int, height: Int) {
        let parts = Layout.vertical(Rect(x: 0, y: 0, width: width, height: height),
                                    [.length(2), .length(1), .fill(1), .length(1), .length(1)])
        header = parts[0]
        tableHeader = parts[1]
        body = parts[2]
        detail = parts[3]
        footer = parts[4]
    }
}
