import Foundation
import NodeExec
import SkewCore
import Testing
@testable import Upgrade

/// kubectl's skew policy (shared/reference/kubernetes-version-facts.md, "kubectl"): "`kubectl` is supported within
/// one minor version (older or newer) of `kube-apiserver`." and, in HA, "instances at N and N-1 → kubectl supported
/// at N and N-1 only".
struct KubectlVersionCheckTests {
    let kubectl = ["kubectl", "--kubeconfig", "/home/op/.kube/config", "--context", "prod"]
    var versionArgv: String { (kubectl + ["version", "--client", "-o", "json"]).joined(separator: " ") }

    func reporting(_ gitVersion: String) -> FakeExecutor {
        FakeExecutor(script: [versionArgv: ([#"{"clientVersion":{"major":"1","minor":"33","gitVersion":"\#(gitVersion)","platform":"linux/amd64"},"kustomizeVersion":"v5.6.0"}"#], 0)])
    }

    @Test(arguments: ["v1.32.4-dispatcher", "v1.33.1", "v1.34.0"])
    func withinOneMinorIsAccepted(client: String) async {
        let executor = reporting(client)
        #expect(await KubectlVersionCheck.problem(kubectl: kubectl, apiservers: ["v1.33.3"], executor: executor) == nil)
        // Run with the very prefix of the drain and uncordon steps, on this machine.
        #expect(executor.calls.map(\.argv) == [kubectl + ["version", "--client", "-o", "json"]])
        #expect(executor.calls.map(\.node) == [NodeTarget.localhost.name])
    }

    @Test(arguments: ["v1.31.14", "v1.35.0", "v2.33.0"])
    func outsideOneMinorIsRefusedWithTheVersionsAndWhatToDo(client: String) async throws {
        let problem = try #require(await KubectlVersionCheck.problem(kubectl: kubectl, apiservers: ["v1.33.3"], executor: reporting(client)))
        #expect(problem.message.contains("kubectl \(client)"))
        #expect(problem.message.contains("kube-apiserver v1.33.3"))
        #expect(problem.message.contains("install kubectl v1.32 or v1.33 or v1.34"))
        #expect(problem.message.contains(PolicyText.kubectl))
    }

    // HA at 1.32 and 1.33: kubectl 1.34 is more than one minor newer than the oldest instance.
    @Test func highAvailabilityNarrowsTheRange() async throws {
        let problem = try #require(await KubectlVersionCheck.problem(kubectl: kubectl, apiservers: ["v1.33.3", "v1.32.9"], executor: reporting("v1.34.1")))
        #expect(problem.message.contains("install kubectl v1.32 or v1.33"))
        #expect(await KubectlVersionCheck.problem(kubectl: kubectl, apiservers: ["v1.33.3", "v1.32.9"], executor: reporting("v1.32.0")) == nil)
    }

    @Test func aKubectlThatFailsOrSaysNothingUsableIsRefused() async throws {
        let failing = FakeExecutor(script: [versionArgv: (["error: unknown flag: --client"], 1)])
        let failed = try #require(await KubectlVersionCheck.problem(kubectl: kubectl, apiservers: ["v1.33.3"], executor: failing))
        #expect(failed.message.contains("exit 1"))
        let garbled = FakeExecutor(script: [versionArgv: (["Client Version: v1.33.1"], 0)])
        let unreadable = try #require(await KubectlVersionCheck.problem(kubectl: kubectl, apiservers: ["v1.33.3"], executor: garbled))
        #expect(unreadable.message.contains("clientVersion.gitVersion"))
    }

    // The kubectl on this machine is a dispatcher; without a server it reports its own build.
    @Test func readsTheDispatchersOutput() {
        let json = """
            {
              "clientVersion": {
                "major": "1",
                "minor": "32+",
                "gitVersion": "v1.32.4-dispatcher",
                "gitCommit": "4cb5f0764b8d5f425645c6f433394fede34a8a26",
                "gitTreeState": "clean",
                "buildDate": "2025-05-15T20:09:34Z",
                "goVersion": "go1.23.8",
                "compiler": "gc",
                "platform": "linux/amd64"
              },
              "kustomizeVersion": "v5.5.0"
            }
            """
        #expect(KubectlVersionCheck.clientGitVersion(in: json) == "v1.32.4-dispatcher")
    }
}
