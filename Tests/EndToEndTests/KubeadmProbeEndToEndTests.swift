import Foundation
import Testing
import TestSupport

/// Issue 13, against the simulator through the binary: "`check --probe-kubeadm --executor simulated -o json` has every
/// node's kubeadm version; a probe that fails (ssh refused, no kubeadm on the node) shows its reason and never stops
/// the others; the cache is used on the second start and invalidated by a changed boot ID."
@Suite(.serialized, .timeLimit(.minutes(3))) struct KubeadmProbeEndToEndTests {
    static let eks = "ip-10-0-12-34.eu-west-1.compute.internal"

    /// Each node's `kubeadm` object from `check -o json`.
    static func kubeadm(_ json: String) throws -> [String: [String: Any]] {
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let nodes = try #require(doc["nodes"] as? [[String: Any]])
        var out: [String: [String: Any]] = [:]
        for node in nodes { out[node["name"] as? String ?? "?"] = node["kubeadm"] as? [String: Any] }
        return out
    }

    static func state(_ kubeadm: [String: Any]?) -> String? { (kubeadm?["probe"] as? [String: Any])?["state"] as? String }

    @Test func checkProbesEveryNodeAndTheCacheAnswersUntilTheNodeReboots() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let environment = ["XDG_STATE_HOME": sim.directory.appendingPathComponent("state").path]
        let check = ["check", "--kubeconfig", sim.kubeconfig.path, "-o", "json", "--today", "2026-11-25"]

        let unprobed = try await BinaryRunner.run(check, environment: environment)
        #expect(try Self.kubeadm(unprobed.stdout).values.allSatisfy { Self.state($0) == "not-probed" && $0["version"] is NSNull })

        let first = try await BinaryRunner.run(check + ["--probe-kubeadm", "--executor", "simulated"], environment: environment)
        #expect([2, 3].contains(first.status), "\(first.stderr)")
        let probed = try Self.kubeadm(first.stdout)
        #expect(probed.count == 10)
        for (name, kubeadm) in probed where name != Self.eks {
            #expect(Self.state(kubeadm) == "probed", "\(name): \(kubeadm)")
            #expect((kubeadm["version"] as? String)?.hasPrefix("v1.") == true, "\(name): \(kubeadm)")
        }
        // The demo's node07 has kubeadm ahead of its kubelet: the node says so, the API could not.
        #expect(probed["node07"]?["version"] as? String == "v1.33.3")
        #expect(probed["node04"]?["version"] as? String == "v1.29.15")
        #expect(Self.state(probed[Self.eks]) == "not-kubeadm")

        let second = try await BinaryRunner.run(check + ["--probe-kubeadm", "--executor", "simulated"], environment: environment)
        let cached = try Self.kubeadm(second.stdout)
        for (name, kubeadm) in cached where name != Self.eks {
            #expect(Self.state(kubeadm) == "cached", "\(name): \(kubeadm)")
            #expect(kubeadm["version"] as? String == probed[name]?["version"] as? String)
        }

        // node01 reboots (a new boot ID): its answer no longer holds; the others' still do.
        let patch = try await BinaryRunner.kubectl(["--kubeconfig", sim.kubeconfig.path, "patch", "node", "node01", "--subresource=status",
                                                    "--type=merge", "-p", #"{"status":{"nodeInfo":{"bootID":"after-reboot"}}}"#])
        #expect(patch.status == 0, "\(patch.stderr)")
        let third = try await BinaryRunner.run(check + ["--probe-kubeadm", "--executor", "simulated"], environment: environment)
        let afterReboot = try Self.kubeadm(third.stdout)
        #expect(Self.state(afterReboot["node01"]) == "probed")
        #expect(Self.state(afterReboot["node02"]) == "cached")
    }

    @Test func refusedProbesSayWhyAndTheReportGoesOn() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let refusing = try LoopbackPort.refusing()
        defer { withExtendedLifetime(refusing) {} }
        let closed = refusing.port
        let environment = ["XDG_STATE_HOME": sim.directory.appendingPathComponent("state").path]
        let base = ["check", "--kubeconfig", sim.kubeconfig.path, "--today", "2026-11-25"]
        let plain = try await BinaryRunner.run(base + ["-o", "json"], environment: environment)
        let result = try await BinaryRunner.run(base + ["-o", "json", "--probe-kubeadm", "--ssh-host", "127.0.0.1", "--ssh-port", "\(closed)",
                                                        "--ssh-option", "ConnectTimeout=10"], environment: environment)
        #expect(result.status == plain.status, "a failed probe does not change the verdicts: \(result.stderr)")
        for (name, kubeadm) in try Self.kubeadm(result.stdout) where name != Self.eks {
            #expect(Self.state(kubeadm) == "failed", "\(name): \(kubeadm)")
            let reason = (kubeadm["probe"] as? [String: Any])?["reason"] as? String ?? ""
            #expect(reason.contains("\(name): connection refused by 127.0.0.1:\(closed)"), "\(reason)")
        }
        let table = try await BinaryRunner.run(base + ["--probe-kubeadm", "--ssh-host", "127.0.0.1", "--ssh-port", "\(closed)"],
                                               environment: environment.merging(["COLUMNS": "160"]) { $1 })
        #expect(table.stdout.contains("node01: connection refused by 127.0.0.1:\(closed)"), "\(table.stdout)")
        #expect(table.stdout.contains("KUBEADM"), "\(table.stdout)")
    }
}
