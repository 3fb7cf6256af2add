import Foundation
import Testing
import TestSupport

/// A relative target (`--target next-minor`) means the next minor of the control plane as the operator asked: the
/// run must stop there. Found while trying issue 14's scenario: re-resolved after each control-plane hop, next-minor
/// moved from v1.32 to v1.33 once the control plane reached v1.32, and `upgrade --cluster --yes` went on to the next
/// apply, and the next, up to the newest release. Policy (control-plane-upgrade.md §1): "Skipping MINOR versions
/// when upgrading is unsupported" — one minor at a time, each hop the operator asked for, and no other.
@Suite(.serialized, .timeLimit(.minutes(5))) struct RelativeTargetPinnedEndToEndTests {
    @Test func nextMinorStopsAtTheNextMinorOfTheControlPlaneAsItWasAtTheStart() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "removed-apis", "--speed", "0"])
        defer { sim.stop() }
        let environment = ["XDG_STATE_HOME": sim.directory.appendingPathComponent("state").path]
        let run = try await BinaryRunner.run(["upgrade", "--cluster", "--target", "next-minor", "--yes", "--accept-blockers",
                                              "--drain-timeout", "30", "--executor", "simulated", "--kubeconfig", sim.kubeconfig.path],
                                             environment: environment, timeout: 240)
        #expect(run.status == 0, "stdout:\n\(run.stdout.suffix(3000))\nstderr:\n\(run.stderr)")
        let versions = try await ClusterUpgradeEndToEndTests.versions(sim.kubeconfig)
        #expect(versions.staticPods.values.filter { $0.hasPrefix("v1.") }.allSatisfy { $0.hasPrefix("v1.32.") }, "\(versions.staticPods)")
        #expect(versions.kubelets.values.allSatisfy { $0.hasPrefix("v1.32.") }, "\(versions.kubelets)")
        #expect(!run.stdout.contains("kubeadm upgrade apply v1.33"), "no hop beyond the one asked for:\n\(run.stdout.suffix(3000))")
    }
}
