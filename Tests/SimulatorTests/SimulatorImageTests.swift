import Foundation
@testable import Simulator
import Testing

/// Saving a simulated cluster and starting a new simulator from it (the demo keeps its cluster across restarts).
@Suite("simulator image")
struct SimulatorImageTests {
    /// Runs a shell command on a node; returns its exit status and output.
    func shell(_ shells: SimulatedNodeShells, _ node: String, _ argv: [String]) async -> (Int32, [String]) {
        let lines = LineBox()
        let code = await shells.run(node: node, argv: argv) { line, _ in lines.append(line) }
        return (code, lines.all)
    }

    @Test("save → load keeps objects, cordons, node status and every node shell")
    func roundTrip() async throws {
        let directory = try TemporaryDirectory()
        let file = URL(fileURLWithPath: directory.path).appendingPathComponent("demo-cluster.json")
        let demo = try Scenario.named("demo")

        // Half a node02 upgrade: repository at 1.33, kubeadm installed and configured, drained; node01 upgraded.
        let first = try await RunningSimulator.start(SimulatorOptions(scenario: demo, shellSpeed: 0))
        let saved: SimulatorImage
        let node02Before: SimulatorImage.Extra
        let podsOnNode08: [String]
        do {
            let shells = try #require(first.shells)
            #expect(await shell(shells, "node02", ["sed", "-i", "s#/core:/stable:/v[0-9][0-9]*\\.[0-9][0-9]*/#/core:/stable:/v1.33/#g",
                                                   "/etc/apt/sources.list.d/kubernetes.list"]).0 == 0)
            #expect(await shell(shells, "node02", ["apt-mark", "unhold", "kubeadm"]).0 == 0)
            #expect(await shell(shells, "node02", ["apt-get", "install", "-y", "kubeadm=1.33.3-*"]).0 == 0)
            #expect(await shell(shells, "node02", ["kubeadm", "upgrade", "node"]).0 == 0)
            try await first.cluster.setUnschedulable("node02", true)
            try await first.cluster.setUnschedulable("node06", false)
            try await first.cluster.setKubeletVersion("node01", "v1.33.3")
            try await first.cluster.setKubeadmVersion("node07", "v1.33.2")
            saved = await first.image(runID: "20261125T170000Z-abc123")
            node02Before = saved.extra
            podsOnNode08 = await first.cluster.podNames(onNode: "node08")
            try saved.write(to: file)
            try await first.stop()
        } catch {
            try? await first.stop()
            throw error
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        let loaded = try SimulatorImage.read(from: file)
        #expect(loaded.scenario == "demo")
        #expect(loaded.runID == "20261125T170000Z-abc123")
        #expect(loaded.extra.shells == node02Before.shells)
        #expect(loaded.extra.packages == node02Before.packages)
        #expect(loaded.objects(of: .nodes) == saved.objects(of: .nodes))
        #expect(loaded.objects(of: .pods).count == saved.objects(of: .pods).count)

        var options = SimulatorOptions(scenario: demo, shellSpeed: 0)
        options.image = loaded
        let second = try await RunningSimulator.start(options)
        do {
            let cluster = second.cluster
            #expect(await cluster.node("node02")?[["spec", "unschedulable"]]?.boolValue == true, "the run's cordon survives")
            #expect(await cluster.node("node06")?[["spec", "unschedulable"]] == nil, "an uncordon survives")
            #expect(await cluster.node("node01")?[["status", "nodeInfo", "kubeletVersion"]]?.stringValue == "v1.33.3")
            #expect(await cluster.node("node05")?[["status", "conditions"]] == saved.objects(of: .nodes)
                .first { $0[["metadata", "name"]]?.stringValue == "node05" }?[["status", "conditions"]], "NotReady stays")
            #expect(await cluster.packages(of: "node07")?.kubeadm == "v1.33.2")
            let shells = try #require(second.shells)
            #expect(await shells.allStates() == node02Before.shells)
            // The node shell goes on where it stopped: repository 1.33, kubeadm 1.33.3, kubelet still 1.32.
            #expect(await shell(shells, "node02", ["grep", "-q", "/core:/stable:/v1.33/", "/etc/apt/sources.list.d/kubernetes.list"]).0 == 0)
            #expect(await shell(shells, "node02", ["kubeadm", "version", "-o", "short"]).1 == ["v1.33.3"])
            #expect(await shell(shells, "node02", ["kubelet", "--version"]).1 == ["Kubernetes v1.32.7"])
            // A minor-version step that needs the new repository works on the restored node.
            #expect(await shell(shells, "node02", ["apt-mark", "unhold", "kubelet", "kubectl"]).0 == 0)
            #expect(await shell(shells, "node02", ["apt-get", "install", "-y", "kubelet=1.33.3-*", "kubectl=1.33.3-*"]).0 == 0)
            #expect(await shell(shells, "node02", ["kubelet", "--version"]).1 == ["Kubernetes v1.33.3"])
            // The API serves the restored objects with fresh resourceVersions.
            #expect(await cluster.podNames(onNode: "node08") == podsOnNode08)
            #expect(podsOnNode08.contains("shop/postgres-0"))
            try await second.stop()
        } catch {
            try? await second.stop()
            throw error
        }
    }

    @Test("an image of another scenario, or a damaged file, is refused with the reason")
    func refusals() async throws {
        let directory = try TemporaryDirectory()
        let file = URL(fileURLWithPath: directory.path).appendingPathComponent("demo-cluster.json")
        try Data("{\"kind\":\"Something\"}".utf8).write(to: file)
        #expect(throws: SimulatorImage.ImageError.self) { try SimulatorImage.read(from: file) }
        #expect(throws: SimulatorImage.ImageError.self) {
            try SimulatorImage.read(from: URL(fileURLWithPath: directory.path).appendingPathComponent("missing.json"))
        }

        let sim = try await RunningSimulator.start(SimulatorOptions(scenario: try Scenario.named("demo"), shellSpeed: 0))
        let image = await sim.image(runID: nil)
        try await sim.stop()
        var options = SimulatorOptions(scenario: try Scenario.named("default"))
        options.image = image
        await #expect(throws: SimulatorError.self) { _ = try await RunningSimulator.start(options) }
    }
}

/// Lines collected from a node shell.
final class LineBox: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
