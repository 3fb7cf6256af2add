/// What one loop pass takes from the inbox: bursts of snapshots collapse to the newest (each carries the whole
/// cluster, so applying the older ones would only cost time), everything else stays in order.
struct InboxBatch {
    var messages: [DashboardMessage] = []
    var shutdown = false
    /// Why the dashboard is asked to close (the first request wins).
    var exit: DashboardExit?

    init(_ items: [InboxItem<DashboardMessage>]) {
        var latestSnapshot: DashboardData?
        var rest: [DashboardMessage] = []
        for item in items {
            switch item {
            case .shutdown(let why):
                shutdown = true
                exit = exit ?? why
            case .message(.snapshotChanged(let data)): latestSnapshot = data
            case .message(let message): rest.append(message)
            }
        }
        if let latestSnapshot { messages.append(.snapshotChanged(latestSnapshot)) }
        messages += rest
    }
}
