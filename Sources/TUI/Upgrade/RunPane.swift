import DequeModule
import Foundation

/// Where one step of a node's upgrade stands, as its pane shows it.
public enum PaneStepState: Equatable, Sendable {
    case pending
    case running(since: Date)
    case done
    case skipped(reason: String?)
    case failed(exitStatus: String?, message: String?)
}

/// Where one node stands in a run.
public enum PaneNodeStatus: String, Equatable, Sendable {
    /// `refused`: the node's Lease was not taken (another kubeskew holds it, or the API refused it); nothing was done.
    case pending, running, done, failed, aborted, refused
}

/// What a single action's pane is for: the action's name (`drain`) and the request's number.
public struct PaneAction: Equatable, Sendable {
    public var name: String
    public var requestID: Int

    public init(name: String, requestID: Int) {
        self.name = name
        self.requestID = requestID
    }
}

/// One step in a pane: its name, where it runs, its state.
public struct PaneStep: Equatable, Sendable {
    public var name: String
    /// `node` or `cp`.
    public var location: String
    public var state: PaneStepState

    public init(name: String, location: String, state: PaneStepState = .pending) {
        self.name = Sanitize.forScreen(name)
        self.location = Sanitize.forScreen(location)
        self.state = state
    }
}

/// A node's pane in a run: its steps, a bounded scrollback of sanitized output, follow mode and scroll position.
public struct RunPane: Equatable, Sendable {
    /// Lines kept per pane; older ones are dropped (the full output is in the journal's logs).
    public static let scrollbackLimit = 2_000

    public let node: String
    /// For a single action's pane (cordon, uncordon, drain): which one, and the request it belongs to; nil for a
    /// node's pane in an upgrade run.
    public let action: PaneAction?
    public var steps: [PaneStep]
    public var status: PaneNodeStatus
    public private(set) var lines: Deque<String> = []
    /// Lines dropped from the front so far (to keep a scrolled view still).
    public private(set) var droppedLines = 0
    /// When on, the newest output stays in view.
    public var follow = true
    /// First line shown when not following.
    public private(set) var scrollTop = 0

    public init(node: String, steps: [PaneStep], status: PaneNodeStatus = .pending, action: PaneAction? = nil) {
        self.node = Sanitize.forScreen(node)
        self.action = action
        self.steps = steps
        self.status = status
    }

    /// Adds one line of output (sanitized here: nothing from a command reaches the terminal raw).
    public mutating func append(_ line: String) {
        lines.append(Sanitize.forScreen(line))
        if lines.count > Self.scrollbackLimit {
            lines.removeFirst()
            droppedLines += 1
            if !follow { scrollTop = max(0, scrollTop - 1) }
        }
    }

    /// Steps done or skipped, and the total.
    public var progress: (done: Int, total: Int) {
        (steps.filter { if case .done = $0.state { return true }; if case .skipped = $0.state { return true }; return false }.count,
         steps.count)
    }

    /// The step running now, else the failed one.
    public var currentStep: Int? {
        steps.firstIndex { if case .running = $0.state { return true }; return false }
            ?? steps.firstIndex { if case .failed = $0.state { return true }; return false }
    }

    /// The failed step, if the node stopped on one.
    public var failedStep: (index: Int, exitStatus: String?, message: String?)? {
        for (index, step) in steps.enumerated() {
            if case .failed(let exit, let message) = step.state { return (index, exit, message) }
        }
        return nil
    }

    /// The first line shown in an output area `height` lines tall.
    public func firstVisibleLine(height: Int) -> Int {
        let maxTop = max(0, lines.count - max(1, height))
        return follow ? maxTop : min(scrollTop, maxTop)
    }

    /// Scrolls by `delta` lines; reaching the end turns follow back on, scrolling up turns it off.
    public mutating func scroll(by delta: Int, height: Int) {
        let maxTop = max(0, lines.count - max(1, height))
        let top = firstVisibleLine(height: height) + delta
        if top >= maxTop {
            follow = true
            scrollTop = maxTop
        } else {
            follow = false
            scrollTop = max(0, top)
        }
    }

    /// To the first line kept (`g`).
    public mutating func scrollToTop() {
        follow = false
        scrollTop = 0
    }

    /// To the newest line, following again (`G`).
    public mutating func scrollToBottom() {
        follow = true
    }

    /// Follow on or off; turning it off keeps the current view still.
    public mutating func toggleFollow(height: Int) {
        if follow {
            scrollTop = firstVisibleLine(height: height)
            follow = false
        } else {
            follow = true
        }
    }
}
