import CNCursesW
import Dispatch
import Foundation
import Glibc
import SkewCore
import Synchronization

/// Runs the dashboard: one thread owns the terminal, polls stdin and the inbox, applies messages with `update`,
/// renders at most once per pass and flushes only the cells that changed.
public enum DashboardRuntime {
    /// How the dashboard is started.
    public struct Configuration: Sendable {
        public var readOnly: Bool
        public var color: ColorMode
        /// How often the clock ticks (the poll timeout when nothing happens).
        public var tickInterval: Duration

        /// The terminal shared with the screens before and after this one; nil: the dashboard starts and ends its own.
        public var terminalHost: TerminalHost?
        /// The kubeconfig's contexts for `:ctx` (nil: offline input, no context to switch to).
        public var contexts: KubeContexts?
        /// Opened from the fleet view: `esc` at the top level returns to it.
        public var returnsToFleet = false
        /// A notice shown in the footer at start (why the last switch did not happen, …).
        public var notice: String?

        public init(readOnly: Bool = false, color: ColorMode = .palette256, tickInterval: Duration = .seconds(1)) {
            self.readOnly = readOnly
            self.color = color
            self.tickInterval = tickInterval
        }
    }

    /// Runs until the operator quits, the terminal goes away or `inbox.requestShutdown` is called, on a thread of its
    /// own; the terminal is restored on every way out, and the result says which way it was (a lost terminal is not
    /// a quit: the caller stops a run at a safe point instead of aborting it). `onAction` receives confirmed node
    /// actions (on the UI thread: keep it short); `onReadNodePods` is asked for the pods of a node whose details opened;
    /// `onChooseTarget` gets the target picked with `t`, which the feeds must assess with from then on.
    @discardableResult
    public static func run(configuration: Configuration, inbox: DashboardInbox,
                           onAction: @escaping @Sendable (NodeActionRequest) -> Void,
                           onStopAction: @escaping @Sendable (Int) -> Void = { _ in },
                           onUpgrade: @escaping @Sendable (UpgradeRequest) -> Void = { _ in },
                           onProbeKubeadm: @escaping @Sendable ([String]) -> Void = { _ in },
                           onReadNodePods: @escaping @Sendable (String) -> Void = { _ in },
                           onChooseTarget: @escaping @Sendable (TargetChoice) -> Void = { _ in }) async throws -> DashboardExit {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<DashboardExit, any Error>) in
            let thread = Thread {
                do {
                    let exit = try runOnThisThread(configuration: configuration, inbox: inbox, onAction: onAction,
                                                   onStopAction: onStopAction, onUpgrade: onUpgrade,
                                                   onProbeKubeadm: onProbeKubeadm, onReadNodePods: onReadNodePods,
                                                   onChooseTarget: onChooseTarget)
                    continuation.resume(returning: exit)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "kubeskew-ui"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// The loop itself, on the calling thread (which then owns the terminal until it returns).
    @discardableResult
    public static func runOnThisThread(configuration: Configuration, inbox: DashboardInbox,
                                       onAction: (NodeActionRequest) -> Void,
                                       onStopAction: (Int) -> Void = { _ in },
                                       onUpgrade: (UpgradeRequest) -> Void = { _ in },
                                       onProbeKubeadm: ([String]) -> Void = { _ in },
                                       onReadNodePods: (String) -> Void = { _ in },
                                       onChooseTarget: (TargetChoice) -> Void = { _ in }) throws -> DashboardExit {
        try configuration.withTerminal(inbox: inbox) { terminal in
            let size = terminal.size
            var state = DashboardState(options: configuration.dashboardOptions(glyphs: terminal.glyphs),
                                       width: size.width, height: size.height)
            if let notice = configuration.notice { state.flash = Sanitize.forScreen(notice) }
            return try TerminalLoop.run(terminal: terminal, wakeFD: inbox.readFD, tickInterval: configuration.tickInterval,
                                        render: { DashboardView.render(state) }, drawn: { state.screenDrawn() }) { input in
                var messages: [DashboardMessage] = []
                if let size = input.resized { messages.append(.resize(width: size.width, height: size.height)) }
                messages += input.keys.map(DashboardMessage.key)
                let batch = InboxBatch(inbox.drain())
                if batch.shutdown { return .exit(batch.exit ?? .requested("")) }
                messages = batch.messages + messages
                if let tick = input.tick { messages.append(.tick(tick)) }
                guard !messages.isEmpty else { return .idle }
                for message in messages {
                    for command in state.update(message) {
                        switch command {
                        case .quit:
                            return .exit(.quit)
                        case .back:
                            return .exit(.back)
                        case .switchContext(let name):
                            return .exit(.switchContext(name))
                        case .nodeAction(let request):
                            onAction(request)
                        case .stopNodeAction(let id):
                            onStopAction(id)
                        case .upgrade(let request):
                            onUpgrade(request)
                        case .probeKubeadm(let nodes):
                            onProbeKubeadm(nodes)
                        case .readNodePods(let node):
                            onReadNodePods(node)
                        case .chooseTarget(let choice):
                            onChooseTarget(choice)
                        }
                    }
                }
                return .redraw
            }
        }
    }
}

/// The poll loop every screen shares: waits on the terminal and an inbox's wake-up pipe with the next tick as the
/// timeout, hands each pass's input to `pass`, and draws when it says the state changed.
enum TerminalLoop {
    /// What one pass of input did.
    struct Input {
        var keys: [Key]
        var resized: (width: Int, height: Int)?
        /// Set when the clock ticked in this pass.
        var tick: Date?
    }

    enum Outcome {
        case idle
        case redraw
        case exit(DashboardExit)
    }

    static func run(terminal: CursesTerminal, wakeFD: Int32, tickInterval: Duration, render: () -> Grid, drawn: () -> Void,
                    pass: (Input) throws -> Outcome) throws -> DashboardExit {
        terminal.draw(render())
        drawn()
        let tickMilliseconds = Int32(clamping: tickInterval.components.seconds * 1000
            + tickInterval.components.attoseconds / 1_000_000_000_000_000)
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
        var nextTick = ContinuousClock.now + tickInterval

        while true {
            let untilTick = ContinuousClock.now.duration(to: nextTick)
            let timeout = max(0, min(tickMilliseconds, Int32(clamping: untilTick.components.seconds * 1000
                + untilTick.components.attoseconds / 1_000_000_000_000_000)))
            let ready = poll(&fds, nfds_t(fds.count), timeout)
            if ready < 0 && errno != EINTR {
                throw DashboardError("waiting for input failed: \(String(cString: strerror(errno)))")
            }
            if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                // The terminal went away: nothing can be shown any more.
                return .terminalLost
            }
            let read = terminal.readInput()
            var input = Input(keys: read.keys)
            if read.resized {
                terminal.invalidate()
                input.resized = terminal.size
            }
            if ContinuousClock.now >= nextTick {
                input.tick = Date()
                nextTick = ContinuousClock.now + tickInterval
            }
            switch try pass(input) {
            case .idle:
                continue
            case .exit(let exit):
                return exit
            case .redraw:
                terminal.draw(render())
                drawn()
            }
        }
    }
}

/// The terminal of a whole kubeskew session, kept up while it moves between screens (the fleet, one cluster's
/// dashboard, another's): the shell's screen never flashes between them. Used by one screen at a time, each on its
/// own thread in turn; `shutdown` ends curses once.
public final class TerminalHost: @unchecked Sendable {
    private let lock = NSLock()
    private var terminal: CursesTerminal?

    public init() {}

    deinit { terminal?.shutdown() }

    /// The terminal, started on first use (with `color` asked for then).
    func acquire(color: ColorMode) throws(DashboardError) -> CursesTerminal {
        lock.lock()
        defer { lock.unlock() }
        if let terminal {
            terminal.invalidate()
            return terminal
        }
        let started = try CursesTerminal(requestedColor: color)
        TerminalGuard.install()
        terminal = started
        return started
    }

    /// Shows one line while the caller works between two screens (leaving a cluster, connecting to the next),
    /// so the last screen does not stand frozen; nothing when curses is not up.
    public func showTransition(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        guard let terminal else { return }
        let size = terminal.size
        var grid = Grid(width: size.width, height: size.height)
        grid.put([Span(" kubeskew ", Style(.title, bold: true, reverse: true)), Span("  " + Sanitize.forScreen(text), Style(.dim))],
                 x: 0, y: 0, width: size.width, ellipsis: terminal.glyphs.ellipsis)
        terminal.draw(grid)
    }

    /// Ends curses (once) and gives the shell its screen back; the next screen would start it again.
    public func shutdown() {
        lock.lock()
        defer { lock.unlock() }
        terminal?.shutdown()
        terminal = nil
    }
}

extension DashboardRuntime.Configuration {
    /// Runs `body` with the terminal: the host's when there is one (left up), else one of its own (ended after).
    func withTerminal<Message: Sendable>(inbox: Inbox<Message>, _ body: (CursesTerminal) throws -> DashboardExit) throws -> DashboardExit {
        let signals = SignalForwarder { inbox.requestShutdown($0) }
        defer { signals.stop() }
        if let host = terminalHost {
            return try body(try host.acquire(color: color))
        }
        let terminal = try CursesTerminal(requestedColor: color)
        TerminalGuard.install()
        defer { terminal.shutdown() }
        return try body(terminal)
    }

    func dashboardOptions(glyphs: Glyphs) -> DashboardOptions {
        var options = DashboardOptions(readOnly: readOnly, glyphs: glyphs)
        options.contexts = contexts
        options.returnsToFleet = returnsToFleet
        return options
    }
}

/// How the dashboard ended.
public enum DashboardExit: Sendable, Equatable {
    /// The operator quit.
    case quit
    /// The terminal went away (its input hung up).
    case terminalLost
    /// A signal asked it to close.
    case signal(Int32)
    /// `DashboardInbox.requestShutdown(reason:)`.
    case requested(String)
    /// `esc` on a cluster opened from the fleet view: back to the fleet (no run was in progress).
    case back
    /// `:ctx NAME`: reopen the dashboard on that kubeconfig context (no run was in progress).
    case switchContext(String)
    /// `enter` on the fleet view: open that context's dashboard.
    case openContext(String)

    /// The terminal is gone (SIGHUP, or its input hung up): nobody can answer any more, so a run in flight stops
    /// at a safe point instead of being aborted.
    public var isHangup: Bool {
        switch self {
        case .terminalLost: true
        case .signal(let number): number == SIGHUP
        case .quit, .requested, .back, .switchContext, .openContext: false
        }
    }
}

/// Turns SIGTERM, SIGHUP and SIGINT into an orderly shutdown message, so curses always ends; SIGPIPE is ignored
/// (a write to a lost terminal or closed pipe then fails instead of killing kubeskew while its children run).
final class SignalForwarder {
    private let sources: [any DispatchSourceSignal]
    private static let signals: [Int32] = [SIGTERM, SIGHUP, SIGINT]

    init(shutdown: @escaping @Sendable (DashboardExit) -> Void) {
        signal(SIGPIPE, SIG_IGN)
        sources = Self.signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { @Sendable in shutdown(.signal(number)) }
            source.resume()
            return source
        }
    }

    /// SIGHUP stays ignored: once the terminal is gone, the caller is still stopping a run at a safe point, and the
    /// kernel's or the multiplexer's next hangup must not kill it (and orphan its children) halfway.
    func stop() {
        for source in sources { source.cancel() }
        for number in Self.signals where number != SIGHUP { signal(number, SIG_DFL) }
    }
}

/// Ends curses at process exit if nothing else did (exactly one `endwin`, guarded by `isendwin`).
enum TerminalGuard {
    private static let installed = Mutex(false)

    static func install() {
        let first = installed.withLock { done in
            defer { done = true }
            return !done
        }
        if first {
            atexit {
                if !isendwin() { endwin() }
            }
        }
    }
}
