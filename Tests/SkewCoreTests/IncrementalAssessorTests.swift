import Testing
@testable import SkewCore

struct IncrementalAssessorTests {
    let assessor = Assessor(context: AssessmentContext(today: CalendarDate(year: 2026, month: 11, day: 25)))

    func facts(_ apiserver: String = "v1.35.2", kubeadm: [String: String] = [:], components: [ComponentFacts] = []) -> ClusterFacts {
        let versions = ["v1.35.2", "v1.34.4", "v1.33.3", "v1.31.9", "junk"]
        return ClusterFacts(
            apiserverVersions: [apiserver], components: components, kubeadmClusterVersion: "v1.35.2",
            nodes: (0..<20).map { i in
                NodeFacts(name: "n\(i)", isControlPlane: i == 0, kubeletVersion: versions[i % versions.count],
                          kubeProxyVersion: versions[(i + 1) % versions.count], kubeadmVersion: kubeadm["n\(i)"])
            })
    }

    func expectSame(_ a: ClusterAssessment, _ b: ClusterAssessment) {
        #expect(a.nodes == b.nodes)
        #expect(a.counts == b.counts)
        #expect(a.controlPlane == b.controlPlane)
        #expect(a.target == b.target && a.targetProblem == b.targetProblem)
        #expect(a.notes == b.notes)
    }

    @Test func reassessesOnlyChangedNodesAndEverythingWhenTheClusterChanges() {
        var incremental = IncrementalAssessor(assessor)
        expectSame(incremental.assess(facts()), assessor.assess(facts()))
        #expect(incremental.lastReassessedCount == 20)

        expectSame(incremental.assess(facts()), assessor.assess(facts()))
        #expect(incremental.lastReassessedCount == 0)

        let probed = facts(kubeadm: ["n3": "v1.34.4"])
        expectSame(incremental.assess(probed), assessor.assess(probed))
        #expect(incremental.lastReassessedCount == 1)

        var gone = probed
        gone.nodes.removeLast(2)
        gone.nodes.append(NodeFacts(name: "new", kubeletVersion: "v1.36.0"))
        expectSame(incremental.assess(gone), assessor.assess(gone))
        #expect(incremental.lastReassessedCount == 1)

        let upgraded = facts("v1.36.2")
        expectSame(incremental.assess(upgraded), assessor.assess(upgraded))
        #expect(incremental.lastReassessedCount == 20)

        let scheduler = facts("v1.36.2", components: [ComponentFacts(name: "kube-scheduler", version: "v1.34.0", node: "n0")])
        let full = assessor.assess(scheduler)
        expectSame(incremental.assess(scheduler), full)
        #expect(full.controlPlane.components.count == 1)
    }

    @Test func comparesEveryFactOfANode() {
        // IncrementalAssessor.same lists NodeFacts' properties one by one: a new property must be added there too.
        let facts = NodeFacts(name: "n", kubeletVersion: "v1.35.2")
        #expect(Mirror(reflecting: facts).children.count == 8, "NodeFacts changed: update IncrementalAssessor.same")
        let variants: [(inout NodeFacts) -> Void] = [
            { $0.name = "m" }, { $0.isControlPlane = true }, { $0.kubeletVersion = "v1.35.1" }, { $0.kubeProxyVersion = "v1.35.2" },
            { $0.kubeadmVersion = "v1.35.2" }, { $0.providerID = "aws:///x" }, { $0.labels = ["eks.amazonaws.com/nodegroup": "a"] },
            { $0.osImage = "Talos" },
        ]
        for change in variants {
            var other = facts
            change(&other)
            #expect(!IncrementalAssessor.same(facts, other))
        }
        #expect(IncrementalAssessor.same(facts, facts))
    }

    @Test func labelsEqualByStorageOrByValue() {
        let a = ["kubernetes.io/hostname": "node01", "node-role.kubernetes.io/gpu": ""]
        var b: [String: String] = [:]
        for (k, v) in a { b[k] = v }
        #expect(SameLabels.equal(a, a))
        #expect(SameLabels.equal(a, b))
        b["node-role.kubernetes.io/gpu"] = nil
        #expect(!SameLabels.equal(a, b))
        #expect(!SameLabels.equal(a, [:]))
        #expect(SameLabels.equal([:], [:]))
    }
}
