import Foundation
import Testing
import TestSupport

/// Which machine a node's commands reach (issue 10, findings 5 and 6): `--executor local` takes one node and only
/// when this machine is that node; the ssh destination is shown with where it came from, and one that is loopback
/// or none of the node's addresses is a blocker. None of these runs confirm, so nothing runs on this machine.
@Suite(.serialized)
struct NodeDestinationEndToEndTests {
    // Finding 5: `upgrade node01 node02 --executor local` planned both nodes for this machine.
    @Test func localExecutorTakesOneNode() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let r = try await BinaryRunner.run(["upgrade", "node01", "node02", "--executor", "local", "--kubeconfig", sim.kubeconfig.path],
                                           environment: ["XDG_STATE_HOME": sim.directory.appendingPathComponent("state").path])
        #expect(r.status != 0)
        let said = r.stdout + r.stderr
        #expect(said.contains("--executor local") && said.contains("exactly one node"), "stderr:\n\(r.stderr)\nstdout:\n\(r.stdout)")
        #expect(!said.contains("confirmation needed"), "refused before confirming: \(said)")
    }

    // Finding 5: `--executor local` on a node that is not this machine (the simulator's machine IDs are its own).
    @Test func localExecutorRefusesANodeThatIsNotThisMachine() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let machineID = try #require(try? String(contentsOfFile: "/etc/machine-id", encoding: .utf8))
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let node = try await BinaryRunner.kubectl(["--kubeconfig", sim.kubeconfig.path, "get", "node", "node01",
                                                   "-o", "jsonpath={.status.nodeInfo.machineID}"])
        #expect(!node.stdout.isEmpty, "the simulator's node01 reports a machine ID")
        let r = try await BinaryRunner.run(["upgrade", "node01", "--executor", "local", "--kubeconfig", sim.kubeconfig.path],
                                           environment: ["XDG_STATE_HOME": sim.directory.appendingPathComponent("state").path])
        #expect(r.status != 0)
        let said = r.stdout + r.stderr
        #expect(said.contains(node.stdout) && said.contains(machineID), "names both machine IDs:\n\(r.stderr)\n\(r.stdout)")
        #expect(said.contains("use --executor ssh"), "\(said)")
    }

    // Finding 6: the plan shows each node's ssh destination and where it came from; 127.0.0.1 is none of node01's
    // addresses, and loopback: a blocker that `upgrade` refuses without --accept-blockers.
    @Test func sshDestinationIsShownAndLoopbackIsABlocker() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let ssh = ["--executor", "ssh", "--ssh-user", "root", "--ssh-port", "2222", "--ssh-host", "127.0.0.1", "--ssh-config", "/dev/null"]
        let plan = try await BinaryRunner.run(["plan", "node01", "--kubeconfig", sim.kubeconfig.path] + ssh)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("root@127.0.0.1:2222 (from: --ssh-host template)"), "\(plan.stdout)\n\(plan.stderr)")
        let blocker = plan.stdout.split(separator: "\n").first { $0.contains("destination") && $0.contains("!") }.map(String.init) ?? ""
        #expect(blocker.contains("loopback") && blocker.contains("InternalIP 127.0.1.1") && blocker.contains("root@127.0.0.1:2222"), "a blocker naming the destination and the node's addresses: \(plan.stdout)")

        let run = try await BinaryRunner.run(["upgrade", "node01", "--yes", "--kubeconfig", sim.kubeconfig.path] + ssh,
                                             environment: ["XDG_STATE_HOME": sim.directory.appendingPathComponent("state").path])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--accept-blockers") && run.stderr.contains("node01"), "\(run.stderr)")
        #expect(!run.stdout.contains("preflight ok"), "refused before anything runs: \(run.stdout)")
    }

    // Finding 6: executors that choose no host from cluster data say what they reach, not an ssh destination.
    @Test func simulatedAndPodExecutorsShowAnHonestDestination() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let simulated = try await BinaryRunner.run(["plan", "node01", "--kubeconfig", sim.kubeconfig.path, "--executor", "simulated"])
        #expect(simulated.stdout.contains("node commands go to simulated node shell of node01 in kubeskew sim (from: --executor simulated)"),
                "\(simulated.stdout)\n\(simulated.stderr)")
        let pod = try await BinaryRunner.run(["plan", "node01", "--kubeconfig", sim.kubeconfig.path, "--executor", "pod"])
        #expect(pod.stdout.contains("node commands go to privileged pod on node01 (namespace kube-system, image docker.io/library/busybox:1.36) (from: --executor pod)"),
                "\(pod.stdout)\n\(pod.stderr)")
        #expect(!pod.stdout.contains("destination-"), "no blocker: no host was chosen from cluster data")
    }
}
