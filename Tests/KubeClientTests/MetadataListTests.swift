import Foundation
import KubeModel
import Simulator
import Testing

@testable import KubeClient

/// Lists of metadata only, for the search of last-applied manifests before a minor hop (issue 14): asked as client-go's
/// metadata client asks, answered in the form of the captured kube-apiserver
/// (apiserver-captures/nodes-list-partialobjectmetadata: `PartialObjectMetadataList`, items with kind, apiVersion and
/// metadata only, managedFields included), and paged like any list.
@Suite struct MetadataListTests {
    @Test func aMetadataListIsWhatTheCapturedServerSendsAndKeepsTheAnnotations() async throws {
        try await SimulatorHarness.with(scenario: try Scenario.named("removed-apis")) { sim, dir in
            try await SimulatorHarness.withClient(sim, dir) { client in
                let raw = try await client.transport.send(APIRequest(method: .GET, path: "/api/v1/nodes",
                                                                     accept: KubeAPIClient.partialMetadataList,
                                                                     operation: .init(verb: "list", resource: "nodes")))
                let doc = try #require(try JSONSerialization.jsonObject(with: Data(raw.body.readableBytesView)) as? [String: Any])
                // The captured answer: {"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1","metadata":
                // {"resourceVersion":…},"items":[{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{…}}]}
                #expect(doc["kind"] as? String == "PartialObjectMetadataList")
                #expect(doc["apiVersion"] as? String == "meta.k8s.io/v1")
                #expect((doc["metadata"] as? [String: Any]).map { Set($0.keys) } == ["resourceVersion"])
                let items = try #require(doc["items"] as? [[String: Any]])
                #expect(items.count == 4)
                #expect(items.allSatisfy { Set($0.keys) == ["kind", "apiVersion", "metadata"] }, "kind, apiVersion, metadata and nothing else")
                #expect(items[0]["kind"] as? String == "PartialObjectMetadata")
                #expect((items[0]["metadata"] as? [String: Any])?["managedFields"] != nil)

                let ingresses = try await client.listObjectMetadata(group: "networking.k8s.io", version: "v1", resource: "ingresses")
                let storefront = try #require(ingresses.first { $0.name == "storefront" })
                #expect(storefront.namespace == "shop")
                let annotation = try #require(storefront.annotations?[LastAppliedConfiguration.annotation])
                #expect(LastAppliedConfiguration.apiVersionAndKind(annotation)?.apiVersion == "extensions/v1beta1")
            }
        }
    }

    @Test func aMetadataListIsPaged() async throws {
        try await SimulatorHarness.with(scenario: Scenario.generated(nodes: 1_203, seed: 7)) { sim, dir in
            try await SimulatorHarness.withClient(sim, dir) { client in
                let before = client.transport.requestsSent.withLock { $0 }
                let nodes = try await client.listObjectMetadata(group: "", version: "v1", resource: "nodes")
                #expect(client.transport.requestsSent.withLock { $0 } - before == 3, "1,203 in pages of 500")
                #expect(Set(nodes.map(\.name)).count == 1_203)
            }
        }
    }
}
