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
}
