import Foundation
import NodeExec
import SkewCore
import Testing
@testable import Upgrade

/// Where each node's commands go, checked before anything runs (issue 10, findings 5 and 6).
struct DestinationCheckTests {
    static let addresses = [PlannedAddress(type: "InternalIP", address: "10.0.0.5"), PlannedAddress(type: "Hostname", address: "node01"),
                            PlannedAddress(type: "InternalIP", address: "fd00::5")]

    func destination(_ host: String, source: String = "InternalIP") -> NodeDestination {
        NodeDestination(address: "ops@\(host):22", source: source, connectsTo: host)
    }

    @Test func theNodesOwnAddressIsNoBlocker() {
        #expect(DestinationCheck.blocker(node: "node01", destination: destination("10.0.0.5"), addresses: Self.addresses) == nil)
        #expect(DestinationCheck.blocker(node: "node01", destination: destination("NODE01", source: "ssh config alias"), addresses: Self.addresses) == nil)
        #expect(DestinationCheck.blocker(node: "node01", destination: destination("fd00:0:0:0::5"), addresses: Self.addresses) == nil,
                "IPv6 compared as addresses")
        #expect(DestinationCheck.blocker(node: "node01", destination: NodeDestination(address: "privileged pod on node01", source: "--executor pod"),
                                         addresses: Self.addresses) == nil, "no host chosen from cluster data")
    }

    @Test func loopbackAndForeignHostsAreBlockersNamingEverything() throws {
        for host in ["127.0.0.1", "127.0.1.1", "::1", "0:0:0:0:0:0:0:1", "localhost", "LOCALHOST", "::ffff:127.0.0.1"] {
            let blocker = try #require(DestinationCheck.blocker(node: "node01", destination: destination(host, source: "--ssh-host template"),
                                                                addresses: Self.addresses), "\(host)")
            #expect(blocker.kind == .loopbackDestination, "\(host)")
            #expect(blocker.object == "node01")
            #expect(blocker.advice.contains("ops@\(host):22 (from: --ssh-host template)") && blocker.advice.contains("InternalIP 10.0.0.5, Hostname node01"),
                    "\(blocker.advice)")
        }
        let foreign = try #require(DestinationCheck.blocker(node: "node01", destination: destination("10.0.0.99"), addresses: Self.addresses))
        #expect(foreign.kind == .foreignDestination)
        #expect(foreign.advice.contains("none of the node's addresses"))
        // A node reporting a loopback address as its own (the demo's 127.0.1.x) is still this machine.
        let own = [PlannedAddress(type: "InternalIP", address: "127.0.1.1")]
        #expect(DestinationCheck.blocker(node: "node01", destination: destination("127.0.1.1"), addresses: own)?.kind == .loopbackDestination)
        #expect(!DestinationCheck.isLoopback("10.127.0.1") && !DestinationCheck.isLoopback("localhost.example.com"))
    }

    static func plan(_ node: String, machineID: String?) -> NodePlan {
        var plan = NodePlan(node: node, internalIP: "10.0.0.5", from: KubeVersion.parse("v1.33.2")!, target: KubeVersion.parse("v1.33.3")!,
                            hops: [Hop(version: KubeVersion.parse("v1.33.3")!, changesMinor: false)], packageManager: .apt, steps: [])
        plan.machineID = machineID
        plan.addresses = addresses
        return plan
    }

    func machineIDFile(_ id: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("machine-id-\(UUID().uuidString)")
        try Data((id + "\n").utf8).write(to: url)
        return url.path
    }

    @Test func localTakesOneNodeAndOnlyThisMachine() async throws {
        let here = "3d1219c7c4c5404aaa1f6d2a48adfda4"
        let file = try machineIDFile(here)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let local = LocalExecutor(machineIDFile: file)

        let two = await DestinationCheck.resolve([Self.plan("node01", machineID: here), Self.plan("node02", machineID: "ab")], executor: local)
        #expect(two.plans.isEmpty)
        #expect(two.refused.count == 2 && two.refused.allSatisfy { $0.reason.contains("exactly one node") && $0.reason.contains("--executor ssh") })

        let same = await DestinationCheck.resolve([Self.plan("node01", machineID: here)], executor: local)
        #expect(same.refused.isEmpty)
        #expect(same.plans.first?.destination?.address == "this machine (machine ID \(here))")
        #expect(same.plans.first?.blockers.isEmpty == true)

        let other = await DestinationCheck.resolve([Self.plan("node02", machineID: "0123456789abcdef0123456789abcdef")], executor: local)
        let reason = try #require(other.refused.first?.reason)
        #expect(reason.contains(here) && reason.contains("0123456789abcdef0123456789abcdef") && reason.contains("use --executor ssh"), "\(reason)")

        let none = await DestinationCheck.resolve([Self.plan("node03", machineID: nil)], executor: local)
        #expect(none.refused.first?.reason.contains("reports no machine ID") == true)

        let unreadable = await DestinationCheck.resolve([Self.plan("node01", machineID: here)], executor: LocalExecutor(machineIDFile: "/nonexistent/machine-id"))
        #expect(unreadable.refused.first?.reason.contains("/nonexistent/machine-id") == true)
    }
}
