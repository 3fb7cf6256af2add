import Foundation
import KubeModel
import Simulator
import Synchronization
import Testing

@testable import KubeClient

@Suite("watching nodes: bookmarks, resume, 410 relist, reconnect")
struct LiveWatchTests {
    @Test func watchDeliversChangesAndBookmarks() async throws {
        try await SimulatorHarness.with(faults: FaultSettings(bookmarkIntervalSeconds: 0.2)) { sim, dir in
            try await SimulatorHarness.withClient(sim, dir) { client in
                let listed = try await client.listNodes()
                let stream = client.watchNodes(from: listed.resourceVersion, timeoutSeconds: 30)
                let cluster = sim.cluster
                // Change a node once the watch is open, then something else: the version moves past the last
                // node event, and a bookmark carries it.
                let mutate = Task {
                    try await Task.sleep(for: .milliseconds(200))
                    try await cluster.setKubeletVersion("node02", "v1.31.1")
                    try await cluster.deletePod(namespace: "default", name: "agent-q8w3e")
                }
                defer { mutate.cancel() }
                let seen = Mutex<[String]>([])
                let bookmark = try await firstElement(of: stream, within: .seconds(120)) { event in
                    switch event {
                    case .modified(let node):
                        seen.withLock { $0.append("\(node.name)=\(node.nodeInfo?.kubeletVersion ?? "")") }
                        return false
                    case .bookmark: return true
                    default: return false
                    }
                }
                guard case .bookmark(let version)? = bookmark else {
                    Issue.record("no bookmark within 10 s")
                    return
                }
                #expect(Int(version) ?? 0 > Int(listed.resourceVersion) ?? .max)
                #expect(seen.withLock { $0 }.contains("node02=v1.31.1"))
            }
        }
    }

    @Test func goneRelistsAndKeepsWatching() async throws {
        try await SimulatorHarness.with(faults: FaultSettings(goneAfterWatchEvents: 2)) { sim, dir in
            try await SimulatorHarness.withClient(sim, dir) { client in
                let watcher = NodeWatcher(client: client, backoff: Backoff(initial: .milliseconds(50), maximum: .milliseconds(200)))
                let cluster = sim.cluster
                let listings = Mutex(0)
                let driver = Task {
                    // Keep changing node01 until the test has what it needs.
                    var version = 0
                    while !Task.isCancelled {
                        version += 1
                        try await cluster.setKubeletVersion("node01", "v1.33.\(version % 3)")
                        try await Task.sleep(for: .milliseconds(50))
                    }
                }
                defer { driver.cancel() }
                // Wait for a change that arrives after a relist: the watch continued past the 410.
                let after = try await firstElement(of: watcher, within: .seconds(120)) { update in
                    switch update {
                    case .listed(let nodes, _):
                        #expect(nodes.count == 5)
                        listings.withLock { $0 += 1 }
                        return false
                    case .changed(let node):
                        return node.name == "node01" && listings.withLock { $0 } >= 2
                    case .interrupted(let error, _):
                        Issue.record("interrupted: \(error)")
                        return false
                    case .deleted, .resumed:
                        return false
                    }
                }
                #expect(after != nil, "a change arrived after the 410 relist")
                #expect(listings.withLock { $0 } >= 2)
            }
        }
    }

    @Test func droppedConnectionsResumeFromTheLastVersionWithoutRelisting() async throws {
        try await SimulatorHarness.with(faults: FaultSettings(dropWatchAfterEvents: 1)) { sim, dir in
            try await SimulatorHarness.withClient(sim, dir) { client in
                let watcher = NodeWatcher(client: client)
                let cluster = sim.cluster
                // Change the node only once the watcher has listed, so every change must come as an event.
                let (listedSignal, signal) = AsyncStream.makeStream(of: Void.self)
                let driver = Task {
                    for await _ in listedSignal { break }
                    for version in ["v1.30.10", "v1.30.11", "v1.30.12", "v1.30.13"] {
                        try await Task.sleep(for: .milliseconds(150))
                        try await cluster.setKubeletVersion("node02", version)
                    }
                }
                defer { driver.cancel() }
                let listings = Mutex(0)
                let versions = Mutex<[String]>([])
                let last = try await firstElement(of: watcher, within: .seconds(120)) { update in
                    switch update {
                    case .listed:
                        listings.withLock { $0 += 1 }
                        signal.yield()
                    case .changed(let node) where node.name == "node02":
                        versions.withLock { $0.append(node.nodeInfo?.kubeletVersion ?? "") }
                        return node.nodeInfo?.kubeletVersion == "v1.30.13"
                    default:
                        break
                    }
                    return false
                }
                #expect(last != nil)
                // Every connection carried one event; each change still arrived exactly once, in order.
                #expect(versions.withLock { $0 } == ["v1.30.10", "v1.30.11", "v1.30.12", "v1.30.13"])
                #expect(listings.withLock { $0 } == 1, "resumed from the last resourceVersion, no relist")
            }
        }
    }

    @Test func unreachableServerIsReportedAndRetriedWithBackoff() async throws {
        let config = try KubeconfigLoader.resolve(
            try KubeconfigLoader.parse("""
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:9", insecure-skip-tls-verify: true}}]
                contexts: [{name: x, context: {cluster: c}}]
                current-context: x
                """, path: "test"), context: nil)
        var settings = SimulatorHarness.quickSettings
        // Port 9 refuses at once; the timeout only has to be longer than a busy machine takes to say so.
        settings.connectTimeout = .seconds(3)
        try await SimulatorHarness.withClient(config, settings: settings) { client in
            let watcher = NodeWatcher(client: client, backoff: Backoff(initial: .milliseconds(10), maximum: .milliseconds(40), jitter: 0))
            let delays = Mutex<[Duration]>([])
            // The limit only guards against a hang: a busy machine may take long to refuse four times.
            _ = try await firstElement(of: watcher, within: .seconds(120)) { update in
                guard case .interrupted(let error, let delay) = update else { return false }
                #expect(error == .connectionRefused(server: "https://127.0.0.1:9"))
                return delays.withLock { $0.append(delay); return $0.count == 4 }
            }
            #expect(delays.withLock { $0 } == [.milliseconds(10), .milliseconds(20), .milliseconds(40), .milliseconds(40)])
        }
    }
}

@Suite("watching from a snapshot, and coming back after an outage")
struct LiveWatchResumeTests {
    @Test func watcherStartsFromTheSnapshotsVersionWithoutListing() async throws {
        try await SimulatorHarness.with { sim, dir in
            try await SimulatorHarness.withClient(sim, dir) { client in
                let loaded = try await ClusterSnapshotLoader.load(client, tolerateForbidden: true)
                #expect(loaded.warnings.isEmpty)
                let before = client.transport.requestsSent.withLock { $0 }
                let watcher = NodeWatcher(client: client, resumeFrom: loaded.nodesResourceVersion)
                let cluster = sim.cluster
                let driver = Task {
                    try await Task.sleep(for: .milliseconds(200))
                    try await cluster.setReady("node03", false)
                }
                defer { driver.cancel() }
                let update = try await firstElement(of: watcher, within: .seconds(120)) { update in
                    if case .listed = update { Issue.record("listed again") }
                    if case .changed(let node) = update { return node.name == "node03" }
                    return false
                }
                guard case .changed(let node)? = update else {
                    Issue.record("no change within 10 s")
                    return
                }
                #expect(node.readyStatus != "True", "the simulator marks the node not ready")
                #expect(client.transport.requestsSent.withLock { $0 } - before == 1, "one watch request, no list")
            }
        }
    }

    @Test func interruptionIsFollowedByResumedWhenTheServerAnswersAgain() async throws {
        try await SimulatorHarness.with { sim, dir in
            try await SimulatorHarness.withClient(sim, dir) { client in
                let listed = try await client.listNodes()
                // Every request fails with 500 for a while, then the server heals.
                await sim.setFaults(FaultSettings(errorRate: 1))
                let watcher = NodeWatcher(
                    client: client, resumeFrom: listed.resourceVersion,
                    backoff: Backoff(initial: .milliseconds(20), maximum: .milliseconds(100)))
                let sawInterruption = Mutex(false)
                let result = try await firstElement(of: watcher, within: .seconds(120)) { update in
                    switch update {
                    case .interrupted(let error, _):
                        #expect(error.isTransient)
                        if !sawInterruption.withLock({ $0 }) {
                            sawInterruption.withLock { $0 = true }
                            Task { await sim.setFaults(.none) }
                        }
                        return false
                    case .resumed:
                        return sawInterruption.withLock { $0 }
                    default:
                        return false
                    }
                }
                guard case .resumed? = result else {
                    Issue.record("never resumed")
                    return
                }
            }
        }
    }
}

@Suite("resuming from a version the server no longer has")
struct LiveWatchExpiredTests {
    @Test func tooOldVersionRelistsFirst() async throws {
        try await SimulatorHarness.with { sim, dir in
            try await SimulatorHarness.withClient(sim, dir) { client in
                let old = try await client.listNodes().resourceVersion
                try await sim.cluster.setKubeletVersion("node04", "v1.33.4")
                await sim.cluster.compactHistory()
                let watcher = NodeWatcher(client: client, resumeFrom: old)
                let first = try await firstElement(of: watcher, within: .seconds(120)) { _ in true }
                guard case .listed(let nodes, let version)? = first else {
                    Issue.record("expected a relist first, got \(String(describing: first))")
                    return
                }
                #expect(nodes.first { $0.name == "node04" }?.nodeInfo?.kubeletVersion == "v1.33.4")
                #expect(Int(version) ?? 0 > Int(old) ?? .max)
            }
        }
    }
}

@Suite("a server that closes every watch at once is not hammered")
struct LiveWatchHotLoopTests {
    @Test func emptyWatchesAreRetriedWithBackoff() async throws {
        try await SimulatorHarness.with(faults: FaultSettings(dropWatchEverySeconds: 0.001)) { sim, dir in
            try await SimulatorHarness.withClient(sim, dir) { client in
                let listed = try await client.listNodes()
                let before = client.transport.requestsSent.withLock { $0 }
                let watcher = NodeWatcher(
                    client: client, resumeFrom: listed.resourceVersion,
                    backoff: Backoff(initial: .milliseconds(100), maximum: .seconds(1), jitter: 0))
                // Nothing happens in the cluster: let the watcher reconnect three times and time it. Backoff of 100 ms
                // doubling waits at least 100 + 200 + 400 ms before the fourth watch; a tight loop takes milliseconds.
                // A busy machine only makes it slower, so no deadline decides the outcome (the limit is a hang guard).
                let started = ContinuousClock.now
                let consumer = Task { for try await _ in watcher {} }
                defer { consumer.cancel() }
                while client.transport.requestsSent.withLock({ $0 }) - before < 4 {
                    try await Task.sleep(for: .milliseconds(5))
                    try #require(ContinuousClock.now - started < .seconds(120), "the watcher stopped reconnecting")
                }
                let elapsed = ContinuousClock.now - started
                #expect(elapsed >= .milliseconds(700), "4 watches in \(elapsed): the reconnects are not backed off")
            }
        }
    }
}
