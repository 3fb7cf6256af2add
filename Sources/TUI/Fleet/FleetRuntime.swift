import Foundation

/// Runs the fleet view on a thread of its own, like the dashboard: until the operator quits or opens a cluster, a
/// signal arrives or the terminal goes away. The state is handed back, so the view comes back as it was left (the
/// cursor, the rows read so far; rows read meanwhile arrive through the inbox).
public enum FleetRuntime {
    public static func run(configuration: DashboardRuntime.Configuration, inbox: Inbox<FleetMessage>, state: FleetState?,
                           contexts: [String], onReload: @escaping @Sendable (Int) -> Void) async throws -> (DashboardExit, FleetState) {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(DashboardExit, FleetState), any Error>) in
            let thread = Thread {
                do {
                    continuation.resume(returning: try runOnThisThread(configuration: configuration, inbox: inbox, state: state,
                                                                       contexts: contexts, onReload: onReload))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "kubeskew-fleet"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    static func runOnThisThread(configuration: DashboardRuntime.Configuration, inbox: Inbox<FleetMessage>, state initial: FleetState?,
                                contexts: [String], onReload: (Int) -> Void) throws -> (DashboardExit, FleetState) {
        var kept: FleetState?
        let exit = try configuration.withTerminal(inbox: inbox) { terminal in
            let size = terminal.size
            var state = initial ?? FleetState(contexts: contexts, glyphs: terminal.glyphs, width: size.width, height: size.height)
            _ = state.update(.resize(width: size.width, height: size.height))
            if let notice = configuration.notice { state.flash = Sanitize.forScreen(notice) }
            defer { kept = state }
            return try TerminalLoop.run(terminal: terminal, wakeFD: inbox.readFD, tickInterval: configuration.tickInterval,
                                        render: { FleetView.render(state) }, drawn: {}) { input in
                var messages: [FleetMessage] = []
                var shutdown: DashboardExit?
                for item in inbox.drain() {
                    switch item {
                    case .message(let message): messages.append(message)
                    case .shutdown(let why): shutdown = shutdown ?? why
                    }
                }
                if let shutdown { return .exit(shutdown) }
                if let size = input.resized { messages.append(.resize(width: size.width, height: size.height)) }
                messages += input.keys.map(FleetMessage.key)
                if let tick = input.tick { messages.append(.tick(tick)) }
                guard !messages.isEmpty else { return .idle }
                for message in messages {
                    for effect in state.update(message) {
                        switch effect {
                        case .quit: return .exit(.quit)
                        case .open(let context): return .exit(.openContext(context))
                        case .reload(let generation): onReload(generation)
                        }
                    }
                }
                return .redraw
            }
        }
        return (exit, kept ?? initial ?? FleetState(contexts: contexts))
    }
}
