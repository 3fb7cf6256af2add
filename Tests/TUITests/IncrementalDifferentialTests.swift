import Foundation
import KubeModel
import SkewCore
import Testing
@testable import TUI

/// The live feed's incremental path (IncrementalAssessor + PreparedRowsBuilder) against a full assessment and a full
/// row build, after every step of random churn on a generated cluster.
struct IncrementalDifferentialTests {
    static let kubelets = ["v1.36.2", "v1.36.0", "v1.35.2", "v1.35.1", "v1.34.4", "v1.33.3", "v1.32.5", "v1.31.9",
                           "v1.35.2-eks-4f6a2b1", "v1.34.4+k3s1", "garbage", ""]
    static let apiservers = ["v1.35.2", "v1.36.2", "v1.34.4", "v1.35.1", "not-a-version"]
    static let runtimes = ["containerd://1.7.24", "containerd://2.0.1", "cri-o://1.31.2", "docker://27.3.1"]
    static let oses = ["Ubuntu 24.04.1 LTS", "Talos (v1.8.3)", "Debian GNU/Linux 12 (bookworm)", "Flatcar 4081.2.0"]
    static let roles = [nil, "gpu", "infra", "edge"]

    /// A deterministic generator, so a failure replays with the same seed.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// The generated cluster the churn mutates.
    struct Cluster {
        var snapshot: ClusterSnapshot
        var nextName = 0

        mutating func newNode(_ rng: inout SplitMix64, control: Bool = false) -> Node {
            nextName += 1
            var node = Fixtures.node(
                control ? "cp-\(nextName)" : "node-\(String(100000 + nextName).dropFirst())",
                kubelet: IncrementalDifferentialTests.kubelets.randomElement(using: &rng) ?? "",
                control: control, role: IncrementalDifferentialTests.roles.randomElement(using: &rng) ?? nil,
                providerID: Int.random(in: 0..<10, using: &rng) == 0 ? "azure:///subscriptions/x/vm-\(nextName)" : nil)
            node.status?.nodeInfo?.containerRuntimeVersion = IncrementalDifferentialTests.runtimes.randomElement(using: &rng)
            node.status?.nodeInfo?.osImage = IncrementalDifferentialTests.oses.randomElement(using: &rng)
            return node
        }

        static func apiserverPod(_ node: String, _ version: String) -> Pod {
            Fixtures.pod("kube-apiserver-\(node)", node: node, labels: ["component": "kube-apiserver"],
                         container: "kube-apiserver", image: "registry.k8s.io/kube-apiserver:\(version)")
        }

        static func proxyPod(_ node: String, _ version: String) -> Pod {
            Fixtures.pod("kube-proxy-\(node)", node: node, labels: ["k8s-app": "kube-proxy"],
                         container: "kube-proxy", image: "registry.k8s.io/kube-proxy:\(version)")
        }

        init(nodes count: Int, _ rng: inout SplitMix64) {
            snapshot = ClusterSnapshot(context: "diff", nodes: [], kubeProxyDaemonSet: Fixtures.kubeProxyDaemonSet,
                                       kubeadmConfig: Fixtures.kubeadmConfig("v1.35.2"))
            var nodes = [newNode(&rng, control: true), newNode(&rng, control: true)]
            var pods = nodes.map { Self.apiserverPod($0.name, "v1.35.2") }
            for _ in 0..<count {
                let node = newNode(&rng)
                if Bool.random(using: &rng) { pods.append(Self.proxyPod(node.name, "v1.35.1")) }
                nodes.append(node)
            }
            snapshot.nodes = nodes
            snapshot.systemPods = pods
        }

        /// One random change; returns whether it may change what is shown (false: a heartbeat).
        @discardableResult
        mutating func churn(_ rng: inout SplitMix64) -> Bool {
            guard !snapshot.nodes.isEmpty else { snapshot.nodes.append(newNode(&rng)); return true }
            let i = Int.random(in: 0..<snapshot.nodes.count, using: &rng)
            let name = snapshot.nodes[i].name
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<40:  // heartbeat: annotations and a condition message change, nothing shown
                snapshot.nodes[i].metadata.annotations = ["kubeskew.dev/sim-heartbeat": String(rng.next())]
                if let last = snapshot.nodes[i].status?.conditions?.indices.last {
                    snapshot.nodes[i].status?.conditions?[last].lastTransitionTime = "heartbeat \(rng.next())"
                }
                return false
            case 40..<52:
                snapshot.nodes[i].status?.nodeInfo?.kubeletVersion = IncrementalDifferentialTests.kubelets.randomElement(using: &rng)
            case 52..<58:
                snapshot.nodes.append(newNode(&rng))
            case 58..<63:
                snapshot.nodes.remove(at: i)
                snapshot.systemPods.removeAll { $0.nodeName == name && $0.labels["k8s-app"] == "kube-proxy" }
            case 63..<70:  // ready flips, including Unknown and no Ready condition at all
                let status = ["True", "False", "Unknown", "none"].randomElement(using: &rng) ?? "True"
                if status == "none" {
                    snapshot.nodes[i].status?.conditions = []
                } else {
                    snapshot.nodes[i].status?.conditions = [NodeCondition(type: "Ready", status: status),
                                                            NodeCondition(type: "MemoryPressure", status: "False")]
                }
            case 70..<76:
                let cordoned = snapshot.nodes[i].isUnschedulable
                snapshot.nodes[i].spec?.unschedulable = !cordoned
            case 76..<80:  // role labels
                var labels = snapshot.nodes[i].metadata.labels ?? [:]
                for key in labels.keys where key.hasPrefix("node-role.kubernetes.io/") && !key.hasSuffix("control-plane") {
                    labels[key] = nil
                }
                if let role = IncrementalDifferentialTests.roles.randomElement(using: &rng) ?? nil {
                    labels["node-role.kubernetes.io/\(role)"] = ""
                }
                snapshot.nodes[i].metadata.labels = labels
            case 80..<84:
                snapshot.nodes[i].status?.nodeInfo?.containerRuntimeVersion = IncrementalDifferentialTests.runtimes.randomElement(using: &rng)
                snapshot.nodes[i].status?.nodeInfo?.osImage = IncrementalDifferentialTests.oses.randomElement(using: &rng)
            case 84..<88:  // the kube-proxy pod on a node
                snapshot.systemPods.removeAll { $0.nodeName == name && $0.labels["k8s-app"] == "kube-proxy" }
                if let version = IncrementalDifferentialTests.kubelets.randomElement(using: &rng), !version.isEmpty {
                    snapshot.systemPods.append(Self.proxyPod(name, version))
                }
            case 88..<92:  // kubeadm probed on a node
                snapshot.kubeadmVersions[name] = ["v1.35.2", "v1.34.4", "v1.36.2", "weird"].randomElement(using: &rng)
            case 92..<96:  // the control plane is upgraded (or skewed): one API server's version
                let apiPods = snapshot.systemPods.indices.filter { snapshot.systemPods[$0].labels["component"] == "kube-apiserver" }
                if let p = apiPods.randomElement(using: &rng), let node = snapshot.systemPods[p].nodeName {
                    snapshot.systemPods[p] = Self.apiserverPod(node, IncrementalDifferentialTests.apiservers.randomElement(using: &rng) ?? "v1.35.2")
                }
            case 96..<98:
                snapshot.kubeadmConfig = Fixtures.kubeadmConfig(["v1.35.2", "v1.36.2", "v1.34.4"].randomElement(using: &rng) ?? "v1.35.2")
            default:  // the node list arrives in another order (a relist)
                snapshot.nodes.shuffle(using: &rng)
            }
            return true
        }
    }

    /// Every field of two rows (NodeRow's == compares only what the events log needs).
    static func identical(_ a: NodeRow, _ b: NodeRow) -> Bool {
        a == b && a.isControlPlane == b.isControlPlane && a.kubeletVersion == b.kubeletVersion
            && a.kubeletVerdict == b.kubeletVerdict && a.kubeadmVerdict == b.kubeadmVerdict
            && a.kubeProxyVerdict == b.kubeProxyVerdict && a.runtime == b.runtime && a.os == b.os && a.bucket == b.bucket
            && a.searchText == b.searchText && a.statusText == b.statusText && a.riskText == b.riskText
    }

    static func expectIdentical(_ full: ClusterAssessment, _ inc: ClusterAssessment, step: Int) {
        #expect(full.controlPlane == inc.controlPlane, "step \(step): control plane")
        #expect(full.target == inc.target && full.targetProblem == inc.targetProblem, "step \(step): target")
        #expect(full.counts == inc.counts, "step \(step): counts")
        #expect(full.notes == inc.notes, "step \(step): notes")
        #expect(full.exitStatus == inc.exitStatus, "step \(step): exit status")
        #expect(full.nodes.count == inc.nodes.count, "step \(step): node count")
        for (a, b) in zip(full.nodes, inc.nodes) where a != b {
            Issue.record("step \(step): \(a.name) assessed differently: full \(a) incremental \(b)")
        }
    }

    static func expectIdentical(_ full: PreparedRows, _ inc: PreparedRows, step: Int) {
        #expect(full.naturalWidths == inc.naturalWidths, "step \(step): natural widths")
        #expect(full.rows.count == inc.rows.count, "step \(step): row count")
        for (a, b) in zip(full.rows, inc.rows) where !identical(a, b) {
            Issue.record("step \(step): row \(a.name) differs: full \(a) incremental \(b)")
        }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func incrementalEqualsFullAfterEveryChurnStep(seed: UInt64) {
        var rng = SplitMix64(state: seed)
        var cluster = Cluster(nodes: 150, &rng)
        let assessor = Assessor(context: AssessmentContext(today: Fixtures.today))
        var incremental = IncrementalAssessor(assessor)
        var builder = PreparedRowsBuilder()
        var reused = 0
        for step in 0..<250 {
            let changes = Int.random(in: 1...12, using: &rng)
            for _ in 0..<changes { cluster.churn(&rng) }
            let facts = cluster.snapshot.facts()
            let full = assessor.assess(facts)
            let inc = incremental.assess(facts)
            Self.expectIdentical(full, inc, step: step)
            let fullRows = PreparedRows(DashboardData(snapshot: cluster.snapshot, assessment: full))
            let incRows = builder.build(DashboardData(snapshot: cluster.snapshot, assessment: inc))
            Self.expectIdentical(fullRows, incRows, step: step)
            reused += inc.nodes.count - incremental.lastReassessedCount
        }
        #expect(reused > 0, "the incremental path never reused an assessment")
    }

    @Test func heartbeatsReassessAndRebuildNothing() {
        var rng = SplitMix64(state: 42)
        var cluster = Cluster(nodes: 200, &rng)
        let assessor = Assessor(context: AssessmentContext(today: Fixtures.today))
        var incremental = IncrementalAssessor(assessor)
        var builder = PreparedRowsBuilder()
        let first = incremental.assess(cluster.snapshot.facts())
        _ = builder.build(DashboardData(snapshot: cluster.snapshot, assessment: first))
        #expect(incremental.lastReassessedCount == cluster.snapshot.nodes.count)
        #expect(builder.lastRebuiltCount == cluster.snapshot.nodes.count)

        for i in 0..<50 { cluster.snapshot.nodes[i * 3].metadata.annotations = ["kubeskew.dev/sim-heartbeat": "\(i)"] }
        let second = incremental.assess(cluster.snapshot.facts())
        let rows = builder.build(DashboardData(snapshot: cluster.snapshot, assessment: second))
        #expect(incremental.lastReassessedCount == 0)
        #expect(builder.lastRebuiltCount == 0)

        // One version change and one cordon: one node re-assessed, two rows rebuilt, the rest reused.
        cluster.snapshot.nodes[5].status?.nodeInfo?.kubeletVersion = "v1.33.3"
        let cordoned = cluster.snapshot.nodes[9].isUnschedulable
        cluster.snapshot.nodes[9].spec?.unschedulable = !cordoned
        let third = incremental.assess(cluster.snapshot.facts())
        let after = builder.build(DashboardData(snapshot: cluster.snapshot, assessment: third))
        #expect(incremental.lastReassessedCount == 1)
        #expect(builder.lastRebuiltCount == 2)
        #expect(after.rows[9].cordoned != rows.rows[9].cordoned)

        // The control plane moves: every node is assessed again.
        let api = cluster.snapshot.systemPods.firstIndex { $0.labels["component"] == "kube-apiserver" }
        if let api, let node = cluster.snapshot.systemPods[api].nodeName {
            cluster.snapshot.systemPods[api] = Cluster.apiserverPod(node, "v1.36.2")
        }
        _ = incremental.assess(cluster.snapshot.facts())
        #expect(incremental.lastReassessedCount == cluster.snapshot.nodes.count)
    }
}
