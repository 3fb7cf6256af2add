import Foundation
import NodeExec
import SkewCore
import Testing
@testable import Upgrade

@Suite("Runbooks: data, loading, rendering")
struct RunbookTests {
    static func version(_ text: String) throws -> KubeVersion { try KubeVersion(text) }

    static func runbook(_ manager: PackageManager) throws -> Runbook {
        try #require(try RunbookLoader.embedded()[manager])
    }

    @Test("the embedded runbooks are the files of Assets/runbooks, and one loads for each package manager",
          arguments: ["apt.yaml", "dnf.yaml", "yum.yaml"])
    func embeddedMatchesAssets(file: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let onDisk = try String(contentsOf: root.appendingPathComponent("Assets/runbooks/\(file)"), encoding: .utf8)
        let embedded = try #require(EmbeddedRunbooks.files[file])
        #expect(embedded + "\n" == onDisk || embedded == onDisk, "run scripts/embed-assets")
        let runbook = try RunbookLoader.parse(embedded, origin: file)
        #expect(runbook.packageManager.rawValue + ".yaml" == file)
        #expect(try RunbookLoader.embedded().count == PackageManager.allCases.count)
    }

    @Test("DESIGN.md §1: node01 from 1.33.2 to 1.33.3 on apt renders exactly the six commands of the table")
    func designExample() throws {
        let node = try NodeTarget(name: "node01", internalIP: "10.0.0.11")
        let hops = try UpgradePath.hops(from: Self.version("v1.33.2"), to: Self.version("v1.33.3"),
                                        calendar: ReleaseCalendar.embedded())
        let steps = RunbookRenderer.steps(try Self.runbook(.apt), node: node, hops: hops)
        let commands = steps.filter { $0.waitForVersion == nil }
        #expect(commands.map(\.displayLine) == [
            "sudo apt-mark unhold kubeadm && sudo apt-get update && sudo apt-get install -y 'kubeadm=1.33.3-*' && sudo apt-mark hold kubeadm",
            "sudo kubeadm upgrade node",
            "kubectl drain node01 --ignore-daemonsets",
            "sudo apt-mark unhold kubelet kubectl && sudo apt-get update && sudo apt-get install -y 'kubelet=1.33.3-*' 'kubectl=1.33.3-*' && sudo apt-mark hold kubelet kubectl",
            "sudo systemctl daemon-reload && sudo systemctl restart kubelet",
            "kubectl uncordon node01",
        ])
        #expect(commands.map(\.location) == [.node, .node, .controlPlane, .node, .node, .controlPlane])
        #expect(steps.map(\.id) == ["h1-install-kubeadm", "h1-upgrade-node", "h1-drain", "h1-install-kubelet",
                                    "h1-restart-kubelet", "h1-wait-ready", "h1-uncordon"])
        let gate = try #require(steps.first { $0.kind == .waitReady })
        #expect(gate.waitForVersion == (try Self.version("v1.33.3")))
        #expect(gate.location == .controlPlane && gate.commands.isEmpty)
        let install = try #require(steps.first)
        #expect(install.check == RenderedCheck(argv: ["kubeadm", "version", "-o", "short"], expectOutput: "v1.33.3"))
        #expect(steps.first { $0.kind == .installKubelet }?.check?.expectOutput == "Kubernetes v1.33.3")
        #expect(steps.first { $0.kind == .drain }?.timeoutSeconds == 600)
        #expect(steps.filter(\.skippable).map(\.kind) == [.installKubeadm, .upgradeNode])
    }

    @Test("a minor upgrade is one pass per minor, each starting with the repository switch to that minor")
    func minorHops() throws {
        let node = try NodeTarget(name: "node02")
        let hops = [Hop(version: try Self.version("v1.32.9"), changesMinor: true),
                    Hop(version: try Self.version("v1.33.3"), changesMinor: true)]
        for manager in PackageManager.allCases {
            let steps = RunbookRenderer.steps(try Self.runbook(manager), node: node, hops: hops)
            let repositories = steps.filter { $0.kind == .repository }
            #expect(repositories.map(\.id) == ["h1-repository", "h2-repository"])
            #expect(repositories.map(\.name) == ["point the \(manager == .apt ? "apt" : "rpm") repository at v1.32",
                                                 "point the \(manager == .apt ? "apt" : "rpm") repository at v1.33"])
            #expect(steps.first?.kind == .repository)
            #expect(steps.filter { $0.hop == 2 }.first?.kind == .repository)
            #expect(steps.filter { $0.kind == .uncordon }.count == 2)
            #expect(steps.filter { $0.kind == .waitReady }.compactMap(\.waitForVersion).map(\.description) == ["v1.32.9", "v1.33.3"])
        }
        let yum = RunbookRenderer.steps(try Self.runbook(.yum), node: node, hops: hops)
        #expect(yum.first { $0.kind == .installKubeadm }?.displayLine
            == "sudo yum install -y 'kubeadm-1.32.9-*' --disableexcludes=kubernetes")
        #expect(yum.first?.commands.last == ["yum", "clean", "all", "--disablerepo=*", "--enablerepo=kubernetes"])
        let dnf = RunbookRenderer.steps(try Self.runbook(.dnf), node: node, hops: hops)
        #expect(dnf.first { $0.kind == .installKubelet }?.displayLine
            == "sudo dnf install -y 'kubelet-1.32.9-*' 'kubectl-1.32.9-*' --setopt=disable_excludes=kubernetes")
    }

    @Test("drain options and the kubectl target become flags, each value one argv element")
    func drainAndKubectlFlags() throws {
        let node = try NodeTarget(name: "node03")
        let hop = Hop(version: try Self.version("v1.33.3"), changesMinor: false)
        let kubectl = try KubectlTarget(kubeconfig: "/home/op/my configs/prod.yaml", context: "prod eu's")
        let drain = DrainOptions(deleteEmptyDirData: true, force: true, gracePeriodSeconds: 30, timeoutSeconds: 120)
        let steps = RunbookRenderer.steps(try Self.runbook(.apt), node: node, hops: [hop], drain: drain, kubectl: kubectl)
        let drainStep = try #require(steps.first { $0.kind == .drain })
        #expect(drainStep.commands == [["kubectl", "drain", "node03", "--ignore-daemonsets", "--delete-emptydir-data",
                                        "--force", "--grace-period=30", "--kubeconfig=/home/op/my configs/prod.yaml",
                                        "--context=prod eu's"]])
        #expect(drainStep.timeoutSeconds == 120)
        #expect(steps.last?.commands == [["kubectl", "uncordon", "node03", "--kubeconfig=/home/op/my configs/prod.yaml",
                                          "--context=prod eu's"]])
        #expect(throws: RunbookError.self) { try KubectlTarget(kubeconfig: nil, context: "--token=x") }
        #expect(throws: RunbookError.self) { try KubectlTarget(kubeconfig: "a\nb", context: nil) }
        #expect(throws: ExecutorError.self) { try NodeTarget(name: "{version}") }
    }

    @Test("the repository switch really rewrites the official apt line and yum repo file, and its check then passes",
          arguments: [PackageManager.apt, .yum])
    func repositorySwitchWorks(manager: PackageManager) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-repo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("kubernetes.repo").path
        let original = manager == .apt
            ? "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.33/deb/ /\n"
            : """
            [kubernetes]
            name=Kubernetes
            baseurl=https://pkgs.k8s.io/core:/stable:/v1.33/rpm/
            enabled=1
            gpgcheck=1
            gpgkey=https://pkgs.k8s.io/core:/stable:/v1.33/rpm/repodata/repomd.xml.key
            exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni

            """
        try original.write(toFile: file, atomically: true, encoding: .utf8)
        let node = try NodeTarget(name: "node04")
        let hop = Hop(version: try Self.version("v1.34.2"), changesMinor: true)
        let step = try #require(RunbookRenderer.steps(try Self.runbook(manager), values: RunbookValues(node: node, hop: hop, hopNumber: 1)).first)
        #expect(step.kind == .repository)
        let realPath = manager == .apt ? "/etc/apt/sources.list.d/kubernetes.list" : "/etc/yum.repos.d/kubernetes.repo"
        func local(_ argv: [String]) -> [String] { argv.map { $0 == realPath ? file : $0 } }
        let executor = LocalExecutor()
        let check = try #require(step.check)
        #expect(try await executor.run(CommandSpec(local(check.argv)), on: .localhost) { _ in }.status == .exited(1))
        // The package tool's cache cleaning is not on this machine; the file edits are what is checked here.
        for argv in step.commands where argv.first == "sed" || argv.first == "grep" {
            let result = try await executor.run(CommandSpec(local(argv)), on: .localhost) { _ in }
            #expect(result.status == .exited(0), "\(argv) failed")
        }
        #expect(try await executor.run(CommandSpec(local(check.argv)), on: .localhost) { _ in }.status == .exited(0))
        let edited = try String(contentsOfFile: file, encoding: .utf8)
        #expect(edited == original.replacingOccurrences(of: "/v1.33/", with: "/v1.34/"))
    }

    @Test("runbooks that could do harm or cannot be filled in are refused with the step at fault", arguments: [
        ("steps:\n  - id: x\n", "not a valid runbook"),
        ("packageManager: pacman\nsteps: []\n", "unknown packageManager pacman"),
        (RunbookTests.replacing("[kubeadm, upgrade, node]", with: "[kubeadm, upgrade, \"{evil}\"]"), "step upgrade-node: unknown placeholder {evil}"),
        (RunbookTests.replacing("[kubeadm, upgrade, node]", with: "[kubeadm, \"x{drainFlags}\"]"), "{drainFlags} must be a whole argv element"),
        (RunbookTests.replacing("    where: control-plane\n    privileged: false\n    idempotent: true\n    skippable: false\n    timeoutSeconds: 0",
                                with: "    where: control-plane\n    privileged: true\n    idempotent: true\n    skippable: false\n    timeoutSeconds: 0"),
         "step drain: control-plane steps run kubectl as the operator and cannot be privileged"),
        (RunbookTests.replacing("    skippable: false\n    timeoutSeconds: 0", with: "    skippable: true\n    timeoutSeconds: 0"),
         "step drain: a drain step can never be skipped"),
        (RunbookTests.replacing("kind: uncordon", with: "kind: other"), "needs drain, install-kubelet, restart-kubelet, wait-ready and uncordon"),
        (RunbookTests.replacing("kind: drain", with: "kind: dance"), "step drain: unknown kind dance"),
        (RunbookTests.replacing("      - [kubeadm, upgrade, node]", with: "      - []"), "step upgrade-node: needs commands"),
        (RunbookTests.movingDrainAfterKubelet(), "steps out of order"),
    ])
    func refusesBadRunbooks(yaml: String, expected: String) {
        let error = #expect(throws: RunbookError.self) { try RunbookLoader.parse(yaml, origin: "test.yaml") }
        #expect(error?.message.contains(expected) == true, "got: \(error?.message ?? "no error")")
        #expect(error?.message.hasPrefix("test.yaml") == true)
    }

    static var aptText: String { EmbeddedRunbooks.files["apt.yaml"] ?? "" }

    static func replacing(_ old: String, with new: String) -> String {
        precondition(aptText.contains(old), "fixture text not found: \(old)")
        return aptText.replacingOccurrences(of: old, with: new)
    }

    /// The apt runbook with its drain step moved after the kubelet install: kubelets must never change undrained.
    static func movingDrainAfterKubelet() -> String {
        let text = aptText
        guard let drain = text.range(of: "  - id: drain\n"), let install = text.range(of: "  - id: install-kubelet\n"),
              let restart = text.range(of: "  - id: restart-kubelet\n") else { return "" }
        let drainBlock = String(text[drain.lowerBound..<install.lowerBound])
        let installBlock = String(text[install.lowerBound..<restart.lowerBound])
        return text.replacingOccurrences(of: drainBlock + installBlock, with: installBlock + drainBlock)
    }
}
