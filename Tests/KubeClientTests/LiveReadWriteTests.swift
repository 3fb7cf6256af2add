import Foundation
import KubeModel
import Simulator
import Testing

@testable import KubeClient

@Suite("KubeAPIClient against the simulator over TLS: reads, writes, paging, snapshot")
struct LiveReadWriteTests {
    @Test func clientCertificateUserReadsEverythingKubeskewNeeds() async throws {
        try await SimulatorHarness.with { sim, dir in
            try await SimulatorHarness.withClient(sim, dir, context: "sim") { client in
                #expect(client.config.credentials.methodDescription == "client certificate")
                #expect(try await client.version().gitVersion == "v1.33.3")
                let nodes = try await client.listNodes()
                #expect(nodes.items.map(\.name).sorted() == ["cp-1", "node01", "node02", "node03", "node04"])
                #expect(!nodes.resourceVersion.isEmpty)
                let node02 = try await client.getNode("node02")
                #expect(node02.nodeInfo?.kubeletVersion == "v1.30.9")
                let onNode01 = try await client.listPods(nodeName: "node01")
                #expect(onNode01.allSatisfy { $0.nodeName == "node01" })
                #expect(onNode01.contains { $0.name == "web-6d4cf56db6-x2k9q" })
                let proxies = try await client.listPods(namespace: "kube-system", labelSelector: "k8s-app=kube-proxy")
                #expect(proxies.count == 5)
                let pdbs = try await client.listPDBs()
                #expect(pdbs.map(\.name) == ["web-pdb"])
                let daemonSet = try await client.getDaemonSet(namespace: "kube-system", name: "kube-proxy")
                #expect(daemonSet.image(container: "kube-proxy")?.hasSuffix(":v1.33.3") == true)
                let kubeadm = try await client.getConfigMap(namespace: "kube-system", name: "kubeadm-config")
                #expect(kubeadm.kubeadmKubernetesVersion == "v1.33.3")
                await #expect(throws: KubeClientError.notFound(kind: "node", name: "nope")) {
                    try await client.getNode("nope")
                }
            }
        }
    }

    @Test func bearerTokenUserWorksToo() async throws {
        try await SimulatorHarness.with { sim, dir in
            try await SimulatorHarness.withClient(sim, dir, context: "sim-token") { client in
                #expect(client.config.credentials.methodDescription == "token")
                let nodes = try await client.listNodes()
                #expect(nodes.items.count == 5)
            }
        }
    }

    @Test func listsArePagedWithLimitAndContinue() async throws {
        try await SimulatorHarness.with(scenario: Scenario.generated(nodes: 1_203, seed: 7)) { sim, dir in
            try await SimulatorHarness.withClient(sim, dir) { client in
                let before = client.transport.requestsSent.withLock { $0 }
                let paged = try await client.listNodes(pageSize: 500)
                let requests = client.transport.requestsSent.withLock { $0 } - before
                #expect(requests == 3, "1,203 nodes in pages of 500 take 3 requests")
                #expect(paged.items.count == 1_203)
                #expect(Set(paged.items.map(\.name)).count == 1_203)
                let small = try await client.listNodes(pageSize: 400)
                #expect(small.items.map(\.name) == paged.items.map(\.name))
            }
        }
    }

    @Test func snapshotLoaderBuildsTheLeadsSnapshot() async throws {
        try await SimulatorHarness.with { sim, dir in
            try await SimulatorHarness.withClient(sim, dir) { client in
                let snapshot = try await ClusterSnapshotLoader.load(client)
                #expect(snapshot.context == "sim")
                #expect(snapshot.serverVersion == "v1.33.3")
                #expect(snapshot.nodes.count == 5)
                #expect(snapshot.apiserverVersions == ["v1.33.3"])
                #expect(Set(snapshot.components.map(\.name)).isSuperset(of: ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd", "kube-proxy"]))
                #expect(snapshot.kubeProxyVersionsByNode["node02"] == "v1.30.9")
                #expect(snapshot.kubeadmConfig?.kubeadmKubernetesVersion == "v1.33.3")
                let facts = snapshot.facts()
                #expect(facts.nodes.first { $0.name == "node03" }?.kubeProxyVersion == "v1.32.7")
            }
        }
    }

    @Test func cordonAndUncordonSendKubectlsPatch() async throws {
        try await SimulatorHarness.with { sim, dir in
            try await SimulatorHarness.withClient(sim, dir) { client in
                let cordoned = try await client.cordon(node: "node01")
                #expect(cordoned.isUnschedulable)
                #expect(try await client.getNode("node01").isUnschedulable)
                let uncordoned = try await client.uncordon(node: "node01")
                #expect(!uncordoned.isUnschedulable)
                #expect(uncordoned.spec?.unschedulable == nil, "the null in the patch deletes the field")
                await #expect(throws: KubeClientError.self) { try await client.cordon(node: "Bad/Name") }
            }
        }
    }

    @Test func evictionObeysTheBudgetAndSaysWhichOne() async throws {
        try await SimulatorHarness.with { sim, dir in
            try await SimulatorHarness.withClient(sim, dir) { client in
                do {
                    try await client.evict(pod: "web-6d4cf56db6-x2k9q", namespace: "default")
                    Issue.record("eviction went through a budget that allows no disruption")
                } catch let error as KubeClientError {
                    guard case .evictionBlocked(_, _, let budget, _) = error else {
                        Issue.record("unexpected \(error)")
                        return
                    }
                    #expect(budget == "web-pdb")
                    #expect(error.description.contains("blocked by PodDisruptionBudget web-pdb"))
                }
                // A pod no budget covers is evicted, and then it is gone.
                try await client.evict(pod: "agent-h5j2k", namespace: "default")
                await #expect(throws: KubeClientError.notFound(kind: "pod", name: "agent-h5j2k")) {
                    _ = try await client.getPod(namespace: "default", name: "agent-h5j2k")
                }
            }
        }
    }
}
