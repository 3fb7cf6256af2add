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
        let signals = SignalForwarder(inbox: inbox)
        defer { signals.stop() }
        let terminal = try CursesTerminal(requestedColor: configuration.color)
        TerminalGuard.install()
        defer { terminal.shutdown() }

        let size = terminal.size
        var state = DashboardState(options: DashboardOptions(readOnly: configuration.readOnly, glyphs: terminal.glyphs),
                                   width: size.width, height: size.height)
        terminal.draw(DashboardView.render(state))
        let tickMilliseconds = Int32(clamping: configuration.tickInterval.components.seconds * 1000
            + configuration.tickInterval.components.attoseconds / 1_000_000_000_000_000)
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: inbox.readFD, events: Int16(POLLIN), revents: 0)]
        var nextTick = ContinuousClock.now + configuration.tickInterval

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

            var messages: [DashboardMessage] = []
            let input = terminal.readInput()
            if input.resized {
                let newSize = terminal.size
                terminal.invalidate()
                messages.append(.resize(width: newSize.width, height: newSize.height))
            }
            messages += input.keys.map(DashboardMessage.key)
            let batch = InboxBatch(inbox.drain())
            if batch.shutdown { return batch.exit ?? .requested("") }
            messages = batch.messages + messages
            if ContinuousClock.now >= nextTick {
                messages.append(.tick(Date()))
                nextTick = ContinuousClock.now + configuration.tickInterval
            }
            guard !messages.isEmpty else { continue }
            for message in messages {
                for command in state.update(message) {
                    switch command {
                    case .quit:
                        return .quit
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
            terminal.draw(DashboardView.render(state))
            state.screenDrawn()
        }
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

    /// The terminal is gone (SIGHUP, or its input hung up): nobody can answer any more, so a run in flight stops
    /// at a safe point instead of being aborted.
    public var isHangup: Bool {
        switch self {
        case .terminalLost: true
        case .signal(let number): number == SIGHUP
        case .quit, .requested: false
        }
    }
}

/// Turns SIGTERM, SIGHUP and SIGINT into an orderly shutdown message, so curses always ends; SIGPIPE is ignored
/// (a write to a lost terminal or closed pipe then fails instead of killing kubeskew while its children run).
final class SignalForwarder {
    private let sources: [any DispatchSourceSignal]
    private static let signals: [Int32] = [SIGTERM, SIGHUP, SIGINT]

    init(inbox: DashboardInbox) {
        signal(SIGPIPE, SIG_IGN)
        sources = Self.signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { @Sendable in inbox.requestShutdown(.signal(number)) }
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
