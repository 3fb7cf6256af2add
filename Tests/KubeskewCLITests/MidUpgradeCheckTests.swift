import Foundation
import Testing
import TestSupport

/// Issue 12: "`kubeskew check` on an HA control plane mid-upgrade names the control-plane node to finish first."
/// The dump: kube-apiserver v1.33.3 on cp-1 and v1.32.9 on cp-2, kubeadm-config v1.33.3, workers at v1.32.9 and v1.33.2.
@Suite(.serialized)
struct MidUpgradeCheckTests {
    let dump = BinaryRunner.fixture("dump-ha-mid-upgrade")

    @Test func tableNamesTheControlPlaneNodeToFinishFirst() async throws {
        let r = try await BinaryRunner.run(["check", "--from-dump", dump, "--today", "2026-11-25"], environment: ["COLUMNS": "200"])
        #expect(r.status == 2, "kubelets newer than cp-2's API server are outside the policy\n\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("target v1.33.3 (kubeadm-config)"), "\(r.stdout)")
        #expect(r.stdout.contains("first upgrade cp-2 v1.32.9 → v1.33.3: `sudo kubeadm upgrade node` on cp-2; then the workers"), "\(r.stdout)")
        #expect(!r.stdout.contains("does not downgrade"), "\(r.stdout)")
        #expect(r.stdout.contains("the control plane must reach v1.33.3 first: kubeskew plan --cluster --target v1.33.3"), "\(r.stdout)")
        // The control plane's line comes before any worker's findings.
        let lines = r.stdout.split(separator: "\n")
        let pending = try #require(lines.firstIndex { $0.contains("first upgrade cp-2") })
        let worker = try #require(lines.firstIndex { $0.hasPrefix("node01 ") && $0.contains("kubelet") })
        #expect(pending < worker)
    }

    @Test func jsonReportsTheTargetItsSourceAndThePendingNode() async throws {
        let r = try await BinaryRunner.run(["check", "--from-dump", dump, "-o", "json", "--today", "2026-11-25"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(doc["target"] as? String == "v1.33.3")
        #expect(doc["targetSource"] as? String == "kubeadm-config")
        let cp = try #require(doc["controlPlane"] as? [String: Any])
        #expect(cp["kubeadmClusterVersion"] as? String == "v1.33.3", "read from kube-system/configmaps.json")
        let pending = try #require(cp["pendingUpgrade"] as? [[String: String]])
        #expect(pending == [["node": "cp-2", "from": "v1.32.9", "to": "v1.33.3", "command": "sudo kubeadm upgrade node"]])
        let nodes = try #require(doc["nodes"] as? [[String: Any]])
        let node01 = try #require(nodes.first { $0["name"] as? String == "node01" })
        #expect((node01["kubelet"] as? [String: Any])?["verdict"] as? String == "minor-behind", "behind the target, not current")
        #expect(node01["hops"] as? [String] == ["v1.33.3"])
        let node02 = try #require(nodes.first { $0["name"] as? String == "node02" })
        #expect((node02["kubelet"] as? [String: Any])?["verdict"] as? String == "newer-than-apiserver")
        #expect((node02["upgradeBlockedBy"] as? String)?.hasPrefix("the control plane must reach v1.33.3 first") == true)
    }

    @Test func targetForms() async throws {
        let patch = try await BinaryRunner.run(["check", "--from-dump", dump, "-o", "json", "--today", "2026-11-25", "--target", "latest-patch"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(patch.stdout.utf8)) as? [String: Any])
        #expect(doc["targetSource"] as? String == "latest-patch")
        let bad = try await BinaryRunner.run(["check", "--from-dump", dump, "--target", "newest"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("neither vX.Y.Z, latest-patch nor next-minor"), "\(bad.stderr)")
    }

    // A node's plan never passes the control plane: with a target past it, the node plan is refused with the way on.
    @Test func nodePlanPastTheControlPlaneIsRefused() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let r = try await BinaryRunner.run(["plan", "node07", "--target", "next-minor", "--kubeconfig", sim.kubeconfig.path])
        #expect(r.status == 2, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("node07  not planned: the control plane must reach v1.34."), "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("first: kubeskew plan --cluster --target v1.34."), "\(r.stdout)")
    }
}
