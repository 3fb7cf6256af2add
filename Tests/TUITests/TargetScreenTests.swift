import Foundation
import KubeModel
import SkewCore
import Testing
@testable import TUI

/// Issue 12: the control plane caught mid-upgrade is named at the top of the dashboard, and `t` offers the targets
/// with what each fixes.
struct TargetScreenTests {
    /// The issue's cluster: kube-apiserver v1.33.3 on cp-1 and v1.32.9 on cp-2, kubeadm-config v1.33.3.
    static func midUpgrade() -> DashboardData {
        let nodes = [
            Fixtures.node("cp-1", kubelet: "v1.33.3", control: true),
            Fixtures.node("cp-2", kubelet: "v1.32.9", control: true),
            Fixtures.node("node01", kubelet: "v1.32.9"),
            Fixtures.node("node02", kubelet: "v1.33.2"),
        ]
        var pods: [Pod] = []
        for (cp, version) in [("cp-1", "v1.33.3"), ("cp-2", "v1.32.9")] {
            for c in ["kube-apiserver", "kube-controller-manager", "kube-scheduler"] {
                pods.append(Fixtures.pod("\(c)-\(cp)", node: cp, labels: ["component": c], container: c,
                                         image: "registry.k8s.io/\(c):\(version)"))
            }
        }
        let snapshot = ClusterSnapshot(context: "prod", server: "https://10.0.0.1:6443", nodes: nodes, systemPods: pods,
                                       kubeadmConfig: Fixtures.kubeadmConfig("v1.33.3"))
        return Fixtures.data(snapshot)
    }

    @Test func controlPlaneLineNamesTheNodeToFinishFirst() {
        let state = Fixtures.state(width: 120, height: 40, data: Self.midUpgrade())
        let lines = state.screen.split(separator: "\n").map(String.init)
        #expect(lines[2].contains("upgrade first: cp-2 v1.32.9 → v1.33.3 sudo kubeadm upgrade node  then the workers"), "\(lines[2])")
        #expect(lines[0].contains("target v1.33.3"))
    }

    @Test func tOffersTargetsAndChoosingOneTellsTheFeeds() throws {
        var state = Fixtures.state(width: 120, height: 40, data: ClusterRiskScreenTests.demoLike())
        #expect(state.press(.char("t")).isEmpty)
        guard case .target(let dialog) = state.overlay else { Issue.record("no target dialog"); return }
        #expect(dialog.offers.first?.choice == .intended)
        #expect(dialog.offers.map(\.choice).contains(.latestPatch))
        #expect(dialog.offers.map(\.choice).contains(.nextMinor))
        let latest = try #require(dialog.offers.first { $0.choice == .latestPatch })
        // The control plane runs v1.33.3: the latest 1.33 patch closes the CVEs the data knows fixed on 1.33.
        #expect(latest.closes.contains("CVE-2025-5187") && latest.closes.contains("CVE-2025-13281"))
        #expect(dialog.offers[0].closes.isEmpty, "staying where the control plane is closes nothing")
        let text = state.screen
        #expect(text.contains("the control plane's (kubeadm-config)  (in force)"), "\(text)")
        #expect(text.contains("closes CVE-2025-13281, CVE-2025-5187"), "\(text)")

        let effects = state.press(.char("j"), .enter)
        #expect(effects == [.chooseTarget(.latestPatch)])
        #expect(state.chosenTarget == .latestPatch)
        #expect(state.overlay == .none)
        #expect(state.flash?.hasPrefix("target \(latest.version): re-assessing") == true)
    }

    @Test func escapeLeavesTheTargetAndReadOnlyMayChooseToo() {
        var state = Fixtures.state(width: 120, height: 40, readOnly: true, data: ClusterRiskScreenTests.demoLike())
        state.press(.char("t"))
        #expect(state.overlay != .none, "choosing a target changes no node: bound under --read-only")
        #expect(state.press(.escape).isEmpty)
        #expect(state.overlay == .none && state.chosenTarget == nil)
    }

    @Test func offersSayTheEndOfLife() throws {
        let data = ClusterRiskScreenTests.demoLike()
        let day = try #require(ISO8601DateFormatter().date(from: "2026-11-25T12:00:00Z"))
        let dialog = try #require(TargetDialog.make(data.assessment, now: day))
        #expect(dialog.offers[0].pastEndOfLife, "1.33 reached end of life on 2026-06-28")
        #expect(TargetDialog.fixes(dialog.offers[0]).contains("1.33 past end of life since 2026-06-28"))
        let next = try #require(dialog.offers.first { $0.choice == .nextMinor })
        #expect(next.version.minor == 34 && next.pastEndOfLife, "1.34 reached end of life on 2026-10-27")
        let leaves = try #require(dialog.offers.first { $0.version.minor == 35 })
        #expect(!leaves.pastEndOfLife)
        #expect(TargetDialog.fixes(leaves).contains("supported until 2027-02-28"))
    }
}
