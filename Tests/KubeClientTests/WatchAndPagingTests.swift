import Foundation
import KubeModel
import NIOCore
import Testing

@testable import KubeClient

@Suite("watch events, line splitting, list heads, backoff")
struct WatchAndPagingTests {
    @Test func decodesCapturedWatchStream() throws {
        var splitter = LineSplitter()
        // Feed the capture in awkward chunks: events split across chunks, several per chunk.
        let bytes = Array((Captured.watchFromRV + "\n").utf8)
        var events: [WatchEvent<Node>] = []
        var offset = 0
        var size = 1
        while offset < bytes.count {
            let end = min(bytes.count, offset + size)
            splitter.append(ByteBuffer(bytes: bytes[offset..<end]))
            while let line = try splitter.nextLine() {
                events.append(try WatchEventDecoding.decode(Node.self, line: line, operation: .init(verb: "watch", resource: "nodes")))
            }
            offset = end
            size = size * 3 + 7
        }
        #expect(splitter.remainder == 0)
        let expectedLines = Captured.watchFromRV.split(separator: "\n").count
        #expect(events.count == expectedLines)
        guard case .modified(let first) = events.first else {
            Issue.record("first event is not MODIFIED")
            return
        }
        #expect(first.name == "node01")
        #expect(first.metadata.resourceVersion == "310")
        let bookmarks = events.compactMap { event -> String? in
            if case .bookmark(let version) = event { return version }
            return nil
        }
        #expect(bookmarks.contains("313"))
    }

    @Test func decodesThe410ErrorEvent() throws {
        let line = ByteBuffer(string: Captured.watchTooOld410.trimmingCharacters(in: .newlines))
        let event = try WatchEventDecoding.decode(Node.self, line: line, operation: .init(verb: "watch", resource: "nodes"))
        guard case .error(let status) = event else {
            Issue.record("not an error event")
            return
        }
        #expect(status.code == 410 && status.reason == "Expired")
        #expect(NodeWatchLoop.next(afterErrorEvent: status, server: "s") == .relist)
        let other = APIStatus(status: "Failure", message: "boom", reason: "InternalError", code: 500)
        #expect(NodeWatchLoop.next(afterErrorEvent: other, server: "s")
            == .retry(.serverError(code: 500, operation: "watch nodes", serverMessage: "boom")))
    }

    @Test func garbageLineIsAnInvalidResponse() {
        #expect(throws: KubeClientError.self) {
            try WatchEventDecoding.decode(Node.self, line: ByteBuffer(string: #"{"type":"SURPRISE","object":{}}"#), operation: .init(verb: "watch", resource: "nodes"))
        }
    }

    @Test func splitterHandlesCRLFAndBlankLinesAndLimits() throws {
        var splitter = LineSplitter(maxLineLength: 16)
        splitter.append(ByteBuffer(string: "a\r\n\n\nbc\n"))
        #expect(try splitter.nextLine().map { String(buffer: $0) } == "a\r")
        #expect(try splitter.nextLine().map { String(buffer: $0) } == "bc")
        #expect(try splitter.nextLine() == nil)
        splitter.append(ByteBuffer(string: String(repeating: "x", count: 20)))
        #expect(throws: LineSplitter.LineTooLong.self) { try splitter.nextLine() }
    }

    @Test func listHeadReadsTheContinueTokenWithoutTheItems() throws {
        let head = try #require(ListHead.read(ByteBuffer(string: Captured.nodesListLimit2)))
        #expect(head.kind == "NodeList")
        #expect(head.metadata?.resourceVersion == "294")
        #expect(head.metadata?.continue == "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6Mjk0LCJzdGFydCI6Ii9ub2RlMDFcdTAwMDAifQ")
        let last = try #require(ListHead.read(ByteBuffer(string: Captured.nodesListLimit2Page2)))
        #expect(last.metadata?.continue == nil)
        #expect(ListHead.read(ByteBuffer(string: #"{"items":[],"metadata":{"continue":"x"}}"#)) == nil)
        #expect(ListHead.read(ByteBuffer(string: "[1,2]")) == nil)
    }

    @Test func capturedListsDecodeIntoTheModels() throws {
        let nodes = try JSONDecoder().decode(KubeList<Node>.self, from: Data(Captured.nodesListLimit2.utf8))
        #expect(nodes.items.map(\.name) == ["cp-1", "node01"])
        #expect(nodes.items.first?.isControlPlane == true)
        let pdbs = try JSONDecoder().decode(KubeList<PodDisruptionBudget>.self, from: Data(Captured.pdbsListAll.utf8))
        let pdb = try #require(pdbs.items.first)
        #expect(pdb.name == "web-pdb" && pdb.blocksEviction)
        #expect(pdb.spec?.maxUnavailable == .int(0))
        let pods = try JSONDecoder().decode(KubeList<Pod>.self, from: Data(Captured.podsListKubeSystem.utf8))
        #expect(pdb.covers(Pod(metadata: .init(name: "web-1", namespace: "default", labels: ["app": "web"]))))
        #expect(!pdb.covers(Pod(metadata: .init(name: "web-1", namespace: "other", labels: ["app": "web"]))))
        let snapshot = ClusterSnapshot(
            nodes: nodes.items, systemPods: pods.items,
            kubeProxyDaemonSet: try JSONDecoder().decode(DaemonSet.self, from: Data(Captured.daemonSetKubeProxy.utf8)),
            kubeadmConfig: try JSONDecoder().decode(ConfigMap.self, from: Data(Captured.configMapKubeadmConfig.utf8)))
        #expect(snapshot.apiserverVersions == ["v1.33.3"])
        #expect(snapshot.kubeProxyVersionsByNode["node01"] == "v1.33.3")
        #expect(snapshot.kubeadmConfig?.kubeadmKubernetesVersion == "v1.33.3")
        let version = try JSONDecoder().decode(ServerVersion.self, from: Data(Captured.version.utf8))
        #expect(version.gitVersion == "v1.36.2")
    }

    @Test func labelSelectorSemantics() {
        let selector = LabelSelector(
            matchLabels: ["app": "web"],
            matchExpressions: [.init(key: "tier", operator: "In", values: ["a", "b"]), .init(key: "canary", operator: "DoesNotExist")])
        #expect(selector.matches(["app": "web", "tier": "a"]))
        #expect(!selector.matches(["app": "web", "tier": "c"]))
        #expect(!selector.matches(["app": "web", "tier": "a", "canary": "1"]))
        #expect(!LabelSelector(matchExpressions: [.init(key: "x", operator: "Bogus")]).matches(["x": "1"]))
        #expect(LabelSelector().matches(["anything": "1"]))
    }

    @Test func backoffDoublesUpToTheCapAndResets() {
        var backoff = Backoff(initial: .milliseconds(500), maximum: .seconds(4), jitter: 0.5)
        let delays = (0..<6).map { _ in backoff.next(random: 0) }
        #expect(delays == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(4), .seconds(4)])
        #expect(backoff.next(random: 1) == .seconds(6))
        backoff.reset()
        #expect(backoff.next(random: 0.5) == .milliseconds(625))
    }
}
