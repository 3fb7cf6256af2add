import SkewCore

/// A confirmation asked before something changes the cluster (or before quitting).
public struct ConfirmDialog: Equatable, Sendable {
    public var title: String
    public var message: [String]
    /// What confirming does.
    public var onConfirm: ConfirmedAction
    /// What answering `n` does, when that is more than closing the dialog (declining a resume is remembered);
    /// `esc` always just closes it.
    public var onDecline: ConfirmedAction?
    /// Set when the message describes the run in flight: it is rewritten after every run event while open.
    public var followsRun: RunQuestion?

    /// The questions whose text is the run's live state.
    public enum RunQuestion: Equatable, Sendable {
        case quit, abort
    }

    public init(title: String, message: [String], onConfirm: ConfirmedAction, onDecline: ConfirmedAction? = nil,
                followsRun: RunQuestion? = nil) {
        self.title = title
        self.message = message
        self.onConfirm = onConfirm
        self.onDecline = onDecline
        self.followsRun = followsRun
    }

    /// Draws the dialog centred in `area`; a message line too long for the screen wraps (under its own indent)
    /// instead of being cut.
    public func render(into grid: inout Grid, area: Rect, glyphs: Glyphs) {
        let buttons = onDecline == nil ? "y confirm   n/esc cancel" : "y confirm   n decline   esc later"
        let message = self.message.flatMap { ParagraphWrap.hanging($0, width: max(10, area.width - 5)) }
        let contentWidth = max(TextWidth.of(title) + 4, TextWidth.of(buttons), message.map { TextWidth.of($0) }.max() ?? 0)
        let box = area.centered(width: min(area.width, contentWidth + 4), height: min(area.height, message.count + 4))
        let inner = Box.draw(into: &grid, box, title: title, glyphs: glyphs, style: Style(.warning, bold: true))
        for (index, line) in message.enumerated() where index < inner.height - 1 {
            grid.put(" " + line, x: inner.x, y: inner.y + index, maxWidth: inner.width)
        }
        if inner.height > 0 {
            let answers = onDecline == nil
                ? [Span("n/esc", Style(.accent, bold: true)), Span(" cancel")]
                : [Span("n", Style(.accent, bold: true)), Span(" decline   "), Span("esc", Style(.accent, bold: true)), Span(" later")]
            grid.put([Span(" y", Style(.danger, bold: true)), Span(" confirm   ")] + answers,
                     x: inner.x, y: inner.maxY - 1, maxWidth: inner.width)
        }
    }
}

/// What a confirmed dialog does.
public enum ConfirmedAction: Equatable, Sendable {
    case quit
    case nodeAction(NodeActionRequest)
    /// Stop a single action in flight (and the nodes queued after it in the same request).
    case stopNodeAction(requestID: Int)
    case upgrade(UpgradeRequest)
}

/// An action on nodes the operator asked for and confirmed; the runtime hands it to the caller.
public struct NodeActionRequest: Equatable, Hashable, Sendable {
    /// The kind of action.
    public enum Kind: String, Sendable, CaseIterable {
        case cordon, uncordon, drain
    }

    public var kind: Kind
    public var nodes: [String]
    /// Tells this request's output panes apart (the dashboard numbers its requests).
    public var id: Int
    /// The drain dialog's choices; nil for the other kinds.
    public var drain: DrainOptions?

    public init(kind: Kind, nodes: [String], id: Int = 0, drain: DrainOptions? = nil) {
        self.kind = kind
        self.nodes = nodes
        self.id = id
        self.drain = drain
    }
}
