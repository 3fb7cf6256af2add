import Foundation
import KubeModel
import SkewCore
import Testing
@testable import TUI

/// Issue 13: a risk of the whole cluster (the control plane's end of life, CVEs in its components) is said once, on
/// the screen's top lines, with its detail one key away (`enter`); a node's RISK cell shows only what is its own.
struct ClusterRiskScreenTests {
    /// The demo's story on the fixture day (2026-11-25): a control plane at v1.33.3, past end of life on 2026-06-28,
    /// exposed to CVE-2025-5187 (kube-apiserver, fixed in v1.33.4) and CVE-2025-13281 (kube-controller-manager,
    /// fixed in v1.33.6), as `kubeskew check` reports it.
    static func demoLike() -> DashboardData {
        let nodes = [
            Fixtures.node("cp-1", kubelet: "v1.33.3", control: true),
            Fixtures.node("node01", kubelet: "v1.33.2"),
            Fixtures.node("node02", kubelet: "v1.32.7"),
            Fixtures.node("node04", kubelet: "v1.29.15"),
            Fixtures.node("node06", kubelet: "v1.33.2"),
            Fixtures.node("node09", kubelet: "banana"),
        ]
        let pods = [
            Fixtures.pod("kube-apiserver-cp-1", node: "cp-1", labels: ["component": "kube-apiserver"],
                         container: "kube-apiserver", image: "registry.k8s.io/kube-apiserver:v1.33.3"),
            Fixtures.pod("kube-controller-manager-cp-1", node: "cp-1", labels: ["component": "kube-controller-manager"],
                         container: "kube-controller-manager", image: "registry.k8s.io/kube-controller-manager:v1.33.3"),
            Fixtures.pod("kube-scheduler-cp-1", node: "cp-1", labels: ["component": "kube-scheduler"],
                         container: "kube-scheduler", image: "registry.k8s.io/kube-scheduler:v1.33.3"),
        ]
        let snapshot = ClusterSnapshot(context: "demo", server: "https://127.0.0.1:6443", nodes: nodes, systemPods: pods,
                                       kubeadmConfig: Fixtures.kubeadmConfig("v1.33.3"))
        return Fixtures.data(snapshot)
    }

    private func lines(_ state: DashboardState) -> [String] {
        state.screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    private func row(_ lines: [String], _ name: String) -> String {
        lines.first { $0.contains(" \(name) ") } ?? ""
    }

    @Test func headerStatesTheClusterRiskOnceAndWhereItsDetailIs() {
        let wide = lines(Fixtures.state(width: 120, height: 40, data: Self.demoLike()))
        #expect(wide[2] == "── control plane ── cluster risk: EOL 1.33 · CVE-2025-13281 · CVE-2025-5187  (enter: details) "
            + String(repeating: "─", count: 26))
        #expect(wide.filter { $0.contains("EOL 1.33") }.count == 1)
        // The widest screens name each CVE's component too; 80 columns count them.
        let widest = lines(Fixtures.state(width: 200, height: 40, data: Self.demoLike()))
        #expect(widest[2].contains("cluster risk: EOL 1.33 · CVE-2025-13281 kube-controller-manager · CVE-2025-5187 kube-apiserver  (enter: details)"))
        let narrow = lines(Fixtures.state(width: 80, height: 24, data: Self.demoLike()))
        #expect(narrow[2] == "── control plane ── cluster risk: EOL 1.33 · CVE×2  (enter: details) " + String(repeating: "─", count: 11))
    }

    @Test func riskColumnShowsOnlyWhatIsParticularToTheNode() {
        let screen = lines(Fixtures.state(width: 120, height: 40, data: Self.demoLike()))
        // On the control plane's minor, the end of life is the cluster's: said in the header, not on these rows.
        for name in ["cp-1", "node01", "node06"] {
            #expect(!row(screen, name).contains("EOL"), "\(row(screen, name))")
        }
        // A minor of the node's own that is past end of life is the node's risk.
        #expect(row(screen, "node02").hasSuffix("minor-behind EOL drain"))
        #expect(row(screen, "node04").contains("EOL drain blocks-cp"))
        // An unreadable kubelet version is unknown, not a managed distribution.
        #expect(row(screen, "node09").hasSuffix("unknown"), "\(row(screen, "node09"))")
        #expect(!row(screen, "node09").contains("managed"))
    }

    @Test func controlPlaneDetailsShowTheControlPlanesCVEs() {
        var state = Fixtures.state(width: 120, height: 40, data: Self.demoLike())
        #expect(state.cursorRow?.name == "cp-1")
        state.press(.enter)
        let text = state.screen
        #expect(text.contains("node cp-1"))
        #expect(text.contains("Cluster-wide risks (the control plane's, not repeated on each row)"))
        #expect(text.contains("CVE-2025-5187 (medium) in kube-apiserver v1.33.3"))
        #expect(text.contains("CVE-2025-13281 (medium) in kube-controller-manager v1.33.3"))
        #expect(text.contains("Kubernetes 1.33 reached end of life on 2026-06-28"))
        #expect(text.contains("none particular to this node"))
    }

    @Test func everyNodesDetailsCarryTheClusterRisks() {
        let state = Fixtures.state(width: 120, height: 40, data: Self.demoLike())
        let node01 = DetailsContent.lines(state, node: "node01", width: 100).map(\.plainText).joined(separator: "\n")
        #expect(node01.contains("CVE-2025-5187") && node01.contains("CVE-2025-13281"))
        let node09 = DetailsContent.lines(state, node: "node09", width: 100).map(\.plainText).joined(separator: "\n")
        // The raw text stays in the details, with why it is unknown and why nothing can be planned.
        #expect(node09.contains("kubelet    banana     unknown"))
        #expect(node09.contains("\"banana\" is not a version"))
        #expect(node09.contains("the kubelet version is unknown"))
        #expect(!node09.contains("managed") && !node09.contains("unrecognised distribution"))
    }

    @Test func aClusterWithoutClusterRisksKeepsItsTitleLine() {
        let screen = lines(Fixtures.state(width: 80, height: 24))
        #expect(screen[2] == "── control plane " + String(repeating: "─", count: 63))
    }
}
