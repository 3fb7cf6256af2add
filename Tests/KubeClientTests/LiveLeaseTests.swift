import Foundation
import KubeModel
import Simulator
import Testing

@testable import KubeClient

/// The typed Lease calls against the simulator: the server's clock comes back with each answer, and 409s (a name
/// taken, a stale resourceVersion, stale delete preconditions) are `.conflict`.
@Suite struct LiveLeaseTests {
    @Test func leaseCallsAndTheirConflicts() async throws {
        try await SimulatorHarness.with { sim, dir in
            try await SimulatorHarness.withClient(sim, dir) { client in
                var metadata = ObjectMeta(name: "kubeskew-node-node01", namespace: "kube-system", labels: ["app.kubernetes.io/managed-by": "kubeskew"])
                metadata.annotations = ["kubeskew.io/node": "node01"]
                let now = MicroTime.format(Date())
                let lease = Lease(metadata: metadata, spec: .init(holderIdentity: "alice@laptop run r1", leaseDurationSeconds: 60,
                                                                  acquireTime: now, renewTime: now, leaseTransitions: 0))
                let before = Date()
                let created = try await client.createLease(lease)
                let after = Date()
                #expect(created.lease.holder == "alice@laptop run r1")
                #expect(created.lease.spec.renewTime == now)
                let serverDate = try #require(created.serverDate, "the server's Date header")
                // Taken while the call ran (the header has whole seconds): a bound from the machine's speed failed
                // at 32 s on a loaded CI run.
                #expect(serverDate >= before.addingTimeInterval(-1.5) && serverDate <= after.addingTimeInterval(1.5),
                        "\(serverDate) outside \(before)…\(after)")
                await #expect(throws: KubeClientError.self) { _ = try await client.createLease(lease) }
                do { _ = try await client.createLease(lease) } catch let error as KubeClientError {
                    guard case .conflict = error else { Issue.record("create of a taken name: \(error)"); return }
                }

                var renewed = created.lease
                renewed.spec.renewTime = MicroTime.format(Date())
                let second = try await client.updateLease(renewed)
                #expect(second.lease.metadata.resourceVersion != created.lease.metadata.resourceVersion)
                // The first version again: someone else wrote since.
                do { _ = try await client.updateLease(renewed); Issue.record("a stale update went through") } catch let error as KubeClientError {
                    guard case .conflict = error else { Issue.record("stale update: \(error)"); return }
                }
                do {
                    try await client.deleteLease(namespace: "kube-system", name: "kubeskew-node-node01", uid: created.lease.metadata.uid,
                                                 resourceVersion: created.lease.metadata.resourceVersion)
                    Issue.record("a delete with stale preconditions went through")
                } catch let error as KubeClientError {
                    guard case .conflict = error else { Issue.record("stale delete: \(error)"); return }
                }
                let listed = try await client.listLeases(namespace: "kube-system", labelSelector: "app.kubernetes.io/managed-by=kubeskew")
                #expect(listed.map(\.metadata.name) == ["kubeskew-node-node01"])
                try await client.deleteLease(namespace: "kube-system", name: "kubeskew-node-node01", uid: second.lease.metadata.uid,
                                             resourceVersion: second.lease.metadata.resourceVersion)
                await #expect(throws: KubeClientError.notFound(kind: "lease", name: "kubeskew-node-node01")) {
                    _ = try await client.getLease(namespace: "kube-system", name: "kubeskew-node-node01")
                }
            }
        }
    }
}
