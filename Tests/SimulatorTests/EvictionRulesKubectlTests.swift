import Foundation
import Simulator
import Testing

/// The simulator's eviction follows kubernetes/kubernetes `pkg/registry/core/pod/storage/eviction.go`, checked with
/// the real kubectl:
/// - `if len(pdbs) > 1 { rtStatus = &metav1.Status{Status: Failure, Message: "This pod has more than one
///   PodDisruptionBudget, which the eviction subresource does not support.", Code: 500} }`;
/// - `if !podutil.IsPodReady(pod)`: `AlwaysAllow` deletes the pod; the default (nil) and `IfHealthyBudget` delete
///   it when `pdb.Status.CurrentHealthy >= pdb.Status.DesiredHealthy && pdb.Status.DesiredHealthy > 0`;
///   otherwise `checkAndDecrement` answers 429 when `DisruptionsAllowed == 0`.
/// The default scenario: web-pdb (minAvailable 2) selects app=web, with web-…-x2k9q on node01 and web-…-p7r4t on node04.
@Suite("eviction rules, with the real kubectl")
struct EvictionRulesKubectlTests {
    static let pod = "web-6d4cf56db6-x2k9q"

    func makeUnready(_ sim: SimulatorHarness, _ pod: String) async throws {
        let patch = try await sim.kubectl(["patch", "pod", pod, "--subresource=status", "--type=merge",
                                           "-p", #"{"status":{"conditions":[{"type":"Ready","status":"False"}]}}"#])
        #expect(patch.status == 0, "\(patch.stderr)")
    }

    func evict(_ sim: SimulatorHarness, _ pod: String) async throws -> ProcessResult {
        let body = sim.directory.path + "/eviction-\(UUID().uuidString).json"
        try #"{"kind":"Eviction","apiVersion":"policy/v1","metadata":{"name":"\#(pod)","namespace":"default"}}"#
            .write(toFile: body, atomically: true, encoding: .utf8)
        return try await sim.kubectl(["create", "--raw", "/api/v1/namespaces/default/pods/\(pod)/eviction", "-f", body])
    }

    @Test("a pod under two budgets: eviction answers 500 and kubectl drain fails with the server's message")
    func twoBudgets() async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            let manifest = sim.directory.path + "/web-all.yaml"
            try """
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: web-all, namespace: default}
                spec:
                  maxUnavailable: 5
                  selector: {matchLabels: {app: web}}
                """.write(toFile: manifest, atomically: true, encoding: .utf8)
            let created = try await sim.kubectl(["create", "--validate=false", "-f", manifest])
            #expect(created.status == 0, "\(created.stderr)")

            let eviction = try await evict(sim, Self.pod)
            #expect(eviction.status == 1)
            #expect(eviction.stderr.contains("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."),
                    "\(eviction.stderr)")
            let drain = try await sim.kubectl(["drain", "node01", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=20s"], timeout: 60)
            #expect(drain.status == 1)
            #expect(drain.stderr.contains("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."),
                    "\(drain.stderr)")
            #expect(await sim.simulator.cluster.pod(namespace: "default", name: Self.pod) != nil)
        }
    }

    @Test("a not-Ready pod under AlwaysAllow is evicted although the budget allows no disruption")
    func unhealthyAlwaysAllow() async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            try await makeUnready(sim, Self.pod)
            let policy = try await sim.kubectl(["patch", "pdb", "web-pdb", "--type=merge", "-p", #"{"spec":{"unhealthyPodEvictionPolicy":"AlwaysAllow"}}"#])
            #expect(policy.status == 0, "\(policy.stderr)")
            #expect(tableRows(try await sim.kubectl(["get", "pdb", "web-pdb"]).stdout)["web-pdb"]?[3] == "0")
            let drain = try await sim.kubectl(["drain", "node01", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=20s"], timeout: 60)
            #expect(drain.status == 0, "\(drain.stderr)")
            #expect(drain.stdout.contains("pod/\(Self.pod) evicted"))
            #expect(await sim.simulator.cluster.pod(namespace: "default", name: Self.pod) == nil)
        }
    }

    @Test("a not-Ready pod under the default policy goes when the budget has its healthy pods, and not otherwise")
    func unhealthyIfHealthyBudget() async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            try await makeUnready(sim, Self.pod)
            // currentHealthy 1 < desiredHealthy 2: the budget checks the eviction and refuses it (429).
            let refused = try await evict(sim, Self.pod)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("Cannot evict pod as it would violate the pod's disruption budget."), "\(refused.stderr)")

            // A third healthy web pod: currentHealthy 2 >= desiredHealthy 2, disruptionsAllowed still 0.
            try await sim.simulator.cluster.addPod(PodSpec(name: "web-6d4cf56db6-n4b7z", node: "node02",
                                                           owner: OwnerSpec(kind: "ReplicaSet", name: "web-6d4cf56db6"),
                                                           labels: ["app": "web", "pod-template-hash": "6d4cf56db6"]))
            #expect(tableRows(try await sim.kubectl(["get", "pdb", "web-pdb"]).stdout)["web-pdb"]?[3] == "0")
            let drain = try await sim.kubectl(["drain", "node01", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=20s"], timeout: 60)
            #expect(drain.status == 0, "\(drain.stderr)")
            #expect(drain.stdout.contains("pod/\(Self.pod) evicted"))
        }
    }
}
