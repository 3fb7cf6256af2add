import Foundation
import KubeClient
import NodeExec
import Simulator
import Testing
@testable import Upgrade

/// At the start of a run, step pods whose kubeskew is gone are found by label and removed; others are reported.
@Suite(.serialized)
struct LeftoverStepPodTests {
    /// A kubeskew process that was killed: a real process, started, noted and killed with SIGKILL.
    static func killedDriver() throws -> StepPodDriver {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sleep")
        process.arguments = ["60"]
        try process.run()
        let pid = process.processIdentifier
        let start = StepPodDriver.startTime(of: pid)
        kill(pid, SIGKILL)
        process.waitUntilExit()
        let here = StepPodDriver.current
        return StepPodDriver(host: here.host, boot: here.boot, pid: pid, start: try #require(start))
    }

    @Test func podsOfAKilledRunAreRemovedAndOthersReported() async throws {
        try await StepPodSimulator.with(shellSpeed: 0.01) { _, client in
            let executor = PodExecutor(client: client)
            let here = StepPodDriver.current
            let elsewhere = StepPodDriver(host: "build-7", boot: here.boot, pid: 4242, start: "99")
            func make(_ driver: StepPodDriver, run: String) async throws -> String {
                let manifest = try PodExecutor.manifest(node: "node02", namespace: "kube-system", image: "busybox:1.36",
                                                        argv: PodExecutor.hostArgv(["systemctl", "daemon-reload"]),
                                                        runID: run, driver: driver)
                return try await client.createPod(namespace: "kube-system", manifest: manifest).name
            }
            let leftover = try await make(try Self.killedDriver(), run: "20261207T000000Z-killed")
            let foreign = try await make(elsewhere, run: "20261207T000000Z-other")
            let mine = try await make(here, run: "20261207T000000Z-mine")

            let sweep = await executor.removeLeftoverStepPods()

            let left = Set(try await StepPodSimulator.stepPods(client).map(\.name))
            #expect(!left.contains(leftover), "the killed run's step pod is removed")
            #expect(sweep.removed == ["kube-system/\(leftover) (run 20261207T000000Z-killed, node node02)"])
            #expect(left.contains(foreign), "a pod made on another host is not touched")
            #expect(sweep.problems.count == 1)
            #expect(sweep.problems.first?.contains("kube-system/\(foreign)") == true)
            #expect(sweep.problems.first?.contains("host build-7") == true)
            // Issue 11, finding 8: "Every command kubeskew prints for a person to paste names `--kubeconfig` and `--context`."
            let paste = ShellQuoting.displayLine(["kubectl"] + (client.config.sourceFiles.first.map { ["--kubeconfig", $0] } ?? [])
                                                 + ["--context", client.config.contextName, "delete", "pod", "-n", "kube-system", foreign,
                                                    "--grace-period=0", "--force"])
            #expect(sweep.problems.first?.contains("`\(paste)`") == true, "\(sweep.problems)")
            #expect(left.contains(mine), "a pod of a live kubeskew is left to it")
        }
    }

    @Test func stepPodsSayWhichRunAndProcessMadeThem() throws {
        let driver = StepPodDriver(host: "admin-1", boot: "b00t", pid: 77, start: "123")
        let bytes = try PodExecutor.manifest(node: "node01", namespace: "kube-system", image: "busybox:1.36", argv: ["true"],
                                             runID: "20261207T002112Z-abc123", driver: driver)
        let pod = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let meta = try #require(pod["metadata"] as? [String: Any])
        let labels = try #require(meta["labels"] as? [String: String])
        #expect(labels["app.kubernetes.io/managed-by"] == "kubeskew")
        #expect(labels["app.kubernetes.io/component"] == "step")
        #expect(labels["kubeskew.io/run"] == "20261207T002112Z-abc123")
        #expect(labels["kubeskew.io/node"] == "node01")
        #expect(StepPodDriver(annotations: meta["annotations"] as? [String: String]) == driver)
    }
}
