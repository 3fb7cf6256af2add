import Foundation
import Simulator
import Testing

/// Watch (bookmarks, resume, 410 relist, faults) and list paging, driven through the real kubectl's raw mode.
@Suite("watch and paging")
struct WatchAndPagingTests {
    func listVersion(_ sim: SimulatorHarness) async throws -> Int {
        let list = try await sim.raw("/api/v1/nodes")
        return Int(((list["metadata"] as? [String: Any])?["resourceVersion"] as? String) ?? "") ?? -1
    }

    /// Waits (with a deadline) until the simulator has `count` open watches.
    func waitForWatches(_ sim: SimulatorHarness, _ count: Int) async throws {
        let deadline = Date().addingTimeInterval(20)
        while await sim.simulator.cluster.openWatches < count {
            guard Date() < deadline else { Issue.record("no watch opened within 20 s"); return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func startWatch(_ sim: SimulatorHarness, _ query: String) -> Task<ProcessResult, any Error> {
        Task { try await sim.kubectl(["get", "--raw", "/api/v1/nodes?watch=1&" + query], timeout: 60) }
    }

    @Test("a watch resumes from a resourceVersion and gets BOOKMARKs when the version moves")
    func watchWithBookmarks() async throws {
        var faults = FaultSettings()
        faults.bookmarkIntervalSeconds = 0.5
        try await SimulatorHarness.with(try Scenario.named("default"), faults: faults) { sim in
            let rv = try await listVersion(sim)
            try await sim.simulator.cluster.setKubeletVersion("node01", "v1.33.3")
            let watch = startWatch(sim, "resourceVersion=\(rv)&allowWatchBookmarks=true&timeoutSeconds=3")
            try await waitForWatches(sim, 1)
            // A write to another type moves the resourceVersion without a node event: the watch learns it by bookmark.
            try await sim.simulator.cluster.deletePod(namespace: "default", name: "agent-h5j2k")
            let moved = await sim.simulator.cluster.resourceVersion
            let result = try await watch.value
            #expect(result.status == 0, "\(result.stderr)")
            let events = watchEvents(result.stdout)
            let first = try #require(events.first)
            #expect(first["type"] as? String == "MODIFIED")
            let node = try #require(first["object"] as? [String: Any])
            #expect(node["kind"] as? String == "Node")
            #expect(((node["status"] as? [String: Any])?["nodeInfo"] as? [String: Any])?["kubeletVersion"] as? String == "v1.33.3")
            let bookmarks = events.filter { $0["type"] as? String == "BOOKMARK" }
            #expect(!bookmarks.isEmpty)
            let bookmarkVersions = bookmarks.compactMap { (($0["object"] as? [String: Any])?["metadata"] as? [String: Any])?["resourceVersion"] as? String }
            #expect(bookmarkVersions.contains(String(moved)))
            #expect(events.count == 1 + bookmarks.count)
        }
    }

    @Test("resourceVersion=0 sends every node as ADDED, then the initial-events-end bookmark")
    func initialEvents() async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            let result = try await sim.kubectl(["get", "--raw", "/api/v1/nodes?watch=1&resourceVersion=0&allowWatchBookmarks=true&timeoutSeconds=1"])
            let events = watchEvents(result.stdout)
            #expect(events.count == 6)
            #expect(events.prefix(5).allSatisfy { $0["type"] as? String == "ADDED" })
            let bookmark = try #require(events.last)
            #expect(bookmark["type"] as? String == "BOOKMARK")
            let annotations = ((bookmark["object"] as? [String: Any])?["metadata"] as? [String: Any])?["annotations"] as? [String: String]
            #expect(annotations == ["k8s.io/initial-events-end": "true"])
        }
    }

    @Test("a watch from a compacted resourceVersion gets one 410 ERROR event; a relist and a new watch recover")
    func goneAndRelist() async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            let old = try await listVersion(sim)
            await sim.simulator.cluster.compactHistory()
            let gone = try await sim.kubectl(["get", "--raw", "/api/v1/nodes?watch=1&resourceVersion=\(old)&allowWatchBookmarks=true&timeoutSeconds=300"])
            #expect(gone.status == 0)
            let events = watchEvents(gone.stdout)
            #expect(events.count == 1)
            let status = try #require(events.first?["object"] as? [String: Any])
            #expect(events.first?["type"] as? String == "ERROR")
            #expect(status["code"] as? Int == 410)
            #expect(status["reason"] as? String == "Expired")
            #expect((status["message"] as? String)?.hasPrefix("too old resource version: \(old) (") == true)
            // The stream closes right after the ERROR event, not at timeoutSeconds (300 s: far from what kubectl's own
            // start costs on a loaded machine, so the bound tells the two apart).
            #expect(gone.seconds < 240)

            let fresh = try await listVersion(sim)
            #expect(fresh > old)
            try await sim.simulator.cluster.setReady("node02", false)
            let resumed = try await sim.kubectl(["get", "--raw", "/api/v1/nodes?watch=1&resourceVersion=\(fresh)&timeoutSeconds=1"])
            let modified = watchEvents(resumed.stdout)
            #expect(modified.count == 1)
            let conditions = ((modified.first?["object"] as? [String: Any])?["status"] as? [String: Any])?["conditions"] as? [[String: Any]]
            #expect(conditions?.first { $0["type"] as? String == "Ready" }?["status"] as? String == "Unknown")
            #expect(tableRows(try await sim.kubectl(["get", "nodes"]).stdout)["node02"]?[1] == "NotReady")
        }
    }

    @Test("fault: 410 after N events forces a relist")
    func goneAfterEventsFault() async throws {
        var faults = FaultSettings()
        faults.goneAfterWatchEvents = 2
        try await SimulatorHarness.with(try Scenario.named("default"), faults: faults) { sim in
            let rv = try await listVersion(sim)
            for node in ["node01", "node02", "node03"] { try await sim.simulator.cluster.setUnschedulable(node, true) }
            let first = watchEvents(try await sim.kubectl(["get", "--raw", "/api/v1/nodes?watch=1&resourceVersion=\(rv)&timeoutSeconds=5"]).stdout)
            #expect(first.map { $0["type"] as? String } == ["MODIFIED", "MODIFIED", "ERROR"])
            let lastSeen = ((first[1]["object"] as? [String: Any])?["metadata"] as? [String: Any])?["resourceVersion"] as? String ?? ""
            let resumed = watchEvents(try await sim.kubectl(["get", "--raw", "/api/v1/nodes?watch=1&resourceVersion=\(lastSeen)&timeoutSeconds=5"]).stdout)
            #expect(resumed.count == 1)
            #expect((resumed.first?["object"] as? [String: Any])?["code"] as? Int == 410)
        }
    }

    @Test("fault: watches are dropped after N events, well before their timeout")
    func dropAfterEventsFault() async throws {
        var faults = FaultSettings()
        faults.dropWatchAfterEvents = 1
        try await SimulatorHarness.with(try Scenario.named("default"), faults: faults) { sim in
            let rv = try await listVersion(sim)
            try await sim.simulator.cluster.setUnschedulable("node01", true)
            try await sim.simulator.cluster.setUnschedulable("node02", true)
            let result = try await sim.kubectl(["get", "--raw", "/api/v1/nodes?watch=1&resourceVersion=\(rv)&timeoutSeconds=300"])
            #expect(watchEvents(result.stdout).count == 1)
            #expect(result.seconds < 240, "dropped after one event, not at timeoutSeconds")
        }
    }

    @Test("fault: error rate 1 turns every API request into a 500 Status")
    func errorRateFault() async throws {
        var faults = FaultSettings()
        faults.errorRate = 1
        try await SimulatorHarness.with(try Scenario.named("default"), faults: faults) { sim in
            let result = try await sim.kubectl(["get", "--raw", "/api/v1/nodes"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("Error from server (InternalError)"))
            await sim.simulator.setFaults(.none)
            #expect(try await sim.kubectl(["get", "--raw", "/api/v1/nodes"]).status == 0)
        }
    }

    @Test("lists page with limit/continue at one resourceVersion; expired tokens get 410")
    func paging() async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            var names: [String] = []
            var token: String?
            var versions = Set<String>()
            var remaining: [Int] = []
            repeat {
                let page = try await sim.raw("/api/v1/nodes?limit=2" + (token.map { "&continue=\($0)" } ?? ""))
                let metadata = page["metadata"] as? [String: Any] ?? [:]
                versions.insert(metadata["resourceVersion"] as? String ?? "")
                token = metadata["continue"] as? String
                if let count = metadata["remainingItemCount"] as? Int { remaining.append(count) }
                names += (page["items"] as? [[String: Any]] ?? []).compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String }
            } while token != nil
            #expect(names == ["cp-1", "node01", "node02", "node03", "node04"])
            #expect(versions.count == 1)
            #expect(remaining == [3, 1])

            let chunked = try await sim.kubectl(["get", "nodes", "--chunk-size=2"])
            #expect(chunked.status == 0)
            #expect(tableRows(chunked.stdout).count == 5)

            let first = try await sim.raw("/api/v1/nodes?limit=2")
            let expired = try #require((first["metadata"] as? [String: Any])?["continue"] as? String)
            await sim.simulator.cluster.compactHistory()
            let result = try await sim.kubectl(["get", "--raw", "/api/v1/nodes?limit=2&continue=\(expired)"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("Error from server (Expired): The provided continue parameter is too old"))
        }
    }

    @Test("churn delivers heartbeat updates to watches")
    func churn() async throws {
        try await SimulatorHarness.with(try Scenario.named("default"), churn: 100) { sim in
            let rv = try await listVersion(sim)
            let result = try await sim.kubectl(["get", "--raw", "/api/v1/nodes?watch=1&resourceVersion=\(rv)&timeoutSeconds=2"])
            let modified = watchEvents(result.stdout).filter { $0["type"] as? String == "MODIFIED" }
            // How many heartbeats fit in the window depends on the machine's load (a busy CI run saw 45 of 200);
            // what must hold is that none is lost or reordered: each heartbeat is one resourceVersion, and only
            // heartbeats write, so the events carry every version after the list's, in order.
            #expect(!modified.isEmpty)
            let versions = modified.compactMap { Int((($0["object"] as? [String: Any])?["metadata"] as? [String: Any])?["resourceVersion"] as? String ?? "") }
            #expect(versions.count == modified.count)
            #expect(versions == Array((rv + 1)..<(rv + 1 + versions.count)))
        }
    }

    @Test("a watch whose client went away is closed by the server")
    func disconnectedWatchIsClosed() async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            let result = try await sim.kubectl(["get", "--raw", "/api/v1/nodes?watch=1&timeoutSeconds=600"], timeout: 2)
            #expect(result.timedOut)
            let deadline = Date().addingTimeInterval(60)
            while await sim.simulator.cluster.openWatches > 0, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(await sim.simulator.cluster.openWatches == 0)
        }
    }

    @Test("fault: latency delays every API response")
    func latencyFault() async throws {
        var faults = FaultSettings()
        faults.latencyMilliseconds = 1_000
        try await SimulatorHarness.with(try Scenario.named("default"), faults: faults) { sim in
            // kubectl makes three requests for get nodes (discovery /api, /apis, then the list).
            let slow = try await sim.kubectl(["get", "nodes"])
            #expect(slow.status == 0)
            #expect(slow.seconds >= 3)
            await sim.simulator.setFaults(.none)
            let fast = try await sim.kubectl(["get", "nodes"])
            #expect(fast.status == 0)
            // Compared with the slow one, not with a fixed bound: a busy machine slows both alike.
            #expect(fast.seconds + 2 < slow.seconds)
        }
    }

    @Test("fault: tokens with a lifetime expire, and rotateToken issues a working one")
    func tokenLifetime() async throws {
        var faults = FaultSettings()
        faults.tokenLifetimeSeconds = 1
        try await SimulatorHarness.with(try Scenario.named("default"), faults: faults) { sim in
            let expiry = try #require(sim.simulator.tokenExpiry)
            #expect(expiry.timeIntervalSinceNow <= 1)
            let deadline = Date().addingTimeInterval(15)
            var refused = false
            while !refused, Date() < deadline {
                let nodes = try await sim.kubectl(["get", "--raw", "/api/v1/nodes"], context: "sim-token")
                refused = nodes.status != 0 && nodes.stderr.contains("Unauthorized")
            }
            #expect(refused)
            // A longer lifetime, so the new token outlives kubectl's start-up on a busy machine.
            faults.tokenLifetimeSeconds = 120
            await sim.simulator.setFaults(faults)
            let expiredKubeconfig = sim.directory.path + "/expired-kubeconfig"
            try FileManager.default.copyItem(atPath: sim.kubeconfig, toPath: expiredKubeconfig)
            _ = await sim.simulator.rotateToken()
            try sim.simulator.writeKubeconfig(to: sim.kubeconfig)
            #expect(try await sim.kubectl(["get", "--raw", "/api/v1/nodes"], context: "sim-token").status == 0)
            // The old token stays refused after rotation.
            let old = try await ProcessRunner.run(SimulatorHarness.kubectlPath,
                                                  ["get", "--raw", "/api/v1/nodes", "--context", "sim-token",
                                                   "--cache-dir", sim.directory.path + "/old-cache"],
                                                  environment: ["KUBECONFIG": expiredKubeconfig, "HOME": sim.directory.path])
            #expect(old.status != 0)
        }
    }
}
