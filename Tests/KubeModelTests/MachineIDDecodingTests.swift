import Foundation
import Testing
@testable import KubeModel

/// `status.nodeInfo.machineID` is read by both decoders: the local executor checks it against this machine.
struct MachineIDDecodingTests {
    @Test func bothDecodersReadTheMachineID() throws {
        let json = Data(#"{"items":[{"metadata":{"name":"node01"},"status":{"nodeInfo":{"machineID":"3d1219c7c4c5404aaa1f6d2a48adfda4","kubeletVersion":"v1.33.2"},"addresses":[{"type":"InternalIP","address":"10.0.0.5"},{"type":"Hostname","address":"node01"}]}}]}"#.utf8)
        let fast = try FastNodeDecoding.list(json).nodes
        let plain = try JSONDecoder().decode(KubeList<Node>.self, from: json).items
        #expect(fast == plain)
        #expect(fast.first?.nodeInfo?.machineID == "3d1219c7c4c5404aaa1f6d2a48adfda4")
        #expect(fast.first?.addresses.map(\.type) == ["InternalIP", "Hostname"])
    }
}
