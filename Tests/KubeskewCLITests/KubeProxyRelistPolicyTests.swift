import Testing
@testable import KubeskewCLI

/// The live dashboard lists the kube-proxy pods (one per node) only when the kube-proxy DaemonSet moved.
@Suite struct KubeProxyRelistPolicyTests {
    @Test func anUnchangedDaemonSetSparesTheListUntilTheFallback() {
        let policy = KubeProxyRelistPolicy(listedAtVersion: "812", fallback: .seconds(30))
        #expect(!policy.shouldRelist(daemonSetVersion: "812", sinceLastList: .seconds(2)))
        #expect(!policy.shouldRelist(daemonSetVersion: "812", sinceLastList: .seconds(29)))
        #expect(policy.shouldRelist(daemonSetVersion: "812", sinceLastList: .seconds(30)))
    }

    @Test func aRolloutOrANewNodeMovesTheDaemonSetAndTheListFollows() {
        let policy = KubeProxyRelistPolicy(listedAtVersion: "812", fallback: .seconds(30))
        #expect(policy.shouldRelist(daemonSetVersion: "9001", sinceLastList: .milliseconds(10)))
    }

    @Test func withoutADaemonSetToFollowEveryRefreshLists() {
        // k3s and other distributions run kube-proxy otherwise, or the DaemonSet is forbidden to this user.
        let policy = KubeProxyRelistPolicy(listedAtVersion: nil, fallback: .seconds(30))
        #expect(policy.shouldRelist(daemonSetVersion: nil, sinceLastList: .milliseconds(10)))
        let listed = KubeProxyRelistPolicy(listedAtVersion: "812", fallback: .seconds(30))
        #expect(listed.shouldRelist(daemonSetVersion: nil, sinceLastList: .milliseconds(10)))
    }
}
