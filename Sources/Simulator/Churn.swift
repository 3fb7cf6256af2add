/// Node heartbeats at a steady rate, so watches see a live cluster.
enum Churn {
    static func run(cluster: SimulatedCluster, perSecond: Int) async {
        let tick = 0.05
        var owed = 0.0
        var next = 0
        var names: [String] = []
        var ticks = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(Int(tick * 1000)))
            owed += Double(perSecond) * tick
            // Refresh the node list once a second, not on every tick: listing 5,000 nodes is not free.
            if ticks % 20 == 0 { names = await cluster.nodeNames() }
            ticks += 1
            guard !names.isEmpty else { continue }
            while owed >= 1, !Task.isCancelled {
                owed -= 1
                try? await cluster.heartbeat(names[next % names.count])
                next += 1
            }
        }
    }
}
