import Foundation
import KubeModel
import SkewCore
import Testing
@testable import TUI

/// Issue 13: a probed kubeadm is judged by kubeadm's rules, and the table and the details say that verdict.
struct KubeadmVerdictScreenTests {
    static func data(kubeadm: [String: String]) -> DashboardData {
        var snapshot = Fixtures.snapshot(nodes: [
            Fixtures.node("cp-1", kubelet: "v1.35.2", control: true),
            Fixtures.node("node01", kubelet: "v1.35.1"),
            Fixtures.node("node02", kubelet: "v1.34.4"),
        ])
        snapshot.kubeadmVersions = kubeadm
        return Fixtures.data(snapshot)
    }

    // "kubeadm can be used with Kubernetes components that are the same version as kubeadm or one version older."
    @Test func detailsSayKubeadmsOwnVerdict() {
        let state = Fixtures.state(width: 120, height: 40, data: Self.data(kubeadm: ["node01": "v1.35.2", "node02": "v1.34.4", "cp-1": "v1.36.0"]))
        #expect(state.rows.first { $0.name == "node02" }?.kubeadmVerdict == .tooOld)
        #expect(state.rows.first { $0.name == "cp-1" }?.kubeadmVerdict == .current)
        func details(_ node: String) -> String {
            DetailsContent.lines(state, node: node, width: 110).map(\.plainText).joined(separator: "\n")
        }
        #expect(details("node02").contains("kubeadm    v1.34.4    too-old"))
        #expect(details("node02").contains("kubeadm v1.34.4 is older than the control plane (kube-apiserver v1.35.2): it cannot manage it"))
        #expect(details("cp-1").contains("kubeadm    v1.36.0    current"))
        #expect(details("cp-1").contains("one minor newer than the control plane"))
        #expect(details("node01").contains("upgrade half-finished: kubeadm at v1.35.2, kubelet at v1.35.1"))
    }
}
