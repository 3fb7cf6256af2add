import Foundation
import NodeExec
import SkewCore
import Testing
@testable import Upgrade

/// The repository step of every runbook, run for real (through the local executor) on the files pkgs.k8s.io's
/// install instructions write, with the path pointed at a temporary copy.
struct RepositorySwitchTests {
    static let aptLine = "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.33/deb/ /\n"
    static let rpmRepo = """
        [kubernetes]
        name=Kubernetes
        baseurl=https://pkgs.k8s.io/core:/stable:/v1.33/rpm/
        enabled=1
        gpgcheck=1
        gpgkey=https://pkgs.k8s.io/core:/stable:/v1.33/rpm/repodata/repomd.xml.key
        exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni

        """

    /// Runs every probe of `check` for real (greps on the temporary copy): true when all of them pass.
    static func passes(_ check: StepCheck, _ local: ([String]) -> [String], _ executor: LocalExecutor) async throws -> Bool {
        for probe in check.probes {
            let result = try await executor.run(CommandSpec(local(probe.argv)), on: .localhost) { _ in }
            if result.status != .exited(0) { return false }
        }
        return true
    }

    @Test("the repository switch rewrites the minor in the official files (baseurl and gpgkey) and its check then passes",
          arguments: PackageManager.allCases)
    func switchesTheMinor(manager: PackageManager) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-repo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("kubernetes.repo").path
        let original = manager == .apt ? Self.aptLine : Self.rpmRepo
        try original.write(toFile: copy, atomically: true, encoding: .utf8)

        let to = try #require(KubeVersion.parse("v1.34.2"))
        let from = try #require(KubeVersion.parse("v1.33.3"))
        let plan = try Planner().plan(name: "node01", internalIP: nil, from: from, target: to,
                                      hops: [Hop(version: to, changesMinor: true)], packageManager: manager)
        let step = try #require(plan.steps.first)
        #expect(step.kind == .repository)
        guard case let .commands(argvs, _) = step.action else {
            Issue.record("the repository step runs no commands")
            return
        }
        let realFile = manager == .apt ? "/etc/apt/sources.list.d/kubernetes.list" : "/etc/yum.repos.d/kubernetes.repo"
        func local(_ argv: [String]) -> [String] { argv.map { $0 == realFile ? copy : $0 } }
        let check = try #require(step.check)
        let executor = LocalExecutor()

        #expect(try await Self.passes(check, local, executor) == false, "before the switch the check must say the step is still to do")
        // Only the file edits run here; package tools (cache cleaning) are not on this machine.
        for argv in argvs where argv.first == "sed" || argv.first == "grep" {
            #expect(argv.contains(realFile), "\(argv) must edit \(realFile)")
            let result = try await executor.run(CommandSpec(local(argv)), on: .localhost) { _ in }
            #expect(result.status == .exited(0), "\(argv) failed")
        }
        #expect(try await Self.passes(check, local, executor), "after the switch the check must say the step is done")
        let edited = try String(contentsOfFile: copy, encoding: .utf8)
        #expect(edited == original.replacingOccurrences(of: "/v1.33/", with: "/v1.34/"))
    }
    // A repository file where the target minor appears only on a commented-out line (an operator's note, or the
    // line pkgs.k8s.io's instructions left behind): the live line still points at the old minor, so the switch
    // must run. The check reads only live lines (`deb ...` for apt, `baseurl=` / `gpgkey=` for yum and dnf).
    @Test("a commented-out line naming the target minor does not count as the switch being done", arguments: PackageManager.allCases)
    func commentedOutTargetLineDoesNotSkipTheSwitch(manager: PackageManager) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-repo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("kubernetes.repo").path
        let original = manager == .apt
            ? "# deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.34/deb/ /\n" + Self.aptLine
            : Self.rpmRepo.replacingOccurrences(of: "baseurl=", with: "#baseurl=https://pkgs.k8s.io/core:/stable:/v1.34/rpm/\nbaseurl=")
                .replacingOccurrences(of: "gpgkey=", with: "# gpgkey=https://pkgs.k8s.io/core:/stable:/v1.34/rpm/repodata/repomd.xml.key\ngpgkey=")
        try original.write(toFile: copy, atomically: true, encoding: .utf8)

        let to = try #require(KubeVersion.parse("v1.34.2"))
        let from = try #require(KubeVersion.parse("v1.33.3"))
        let plan = try Planner().plan(name: "node01", internalIP: nil, from: from, target: to,
                                      hops: [Hop(version: to, changesMinor: true)], packageManager: manager)
        let step = try #require(plan.steps.first)
        let realFile = manager == .apt ? "/etc/apt/sources.list.d/kubernetes.list" : "/etc/yum.repos.d/kubernetes.repo"
        func local(_ argv: [String]) -> [String] { argv.map { $0 == realFile ? copy : $0 } }
        let check = try #require(step.check)
        #expect(try await Self.passes(check, local, LocalExecutor()) == false, "the live line still names v1.33: the switch must run")
        // And once the live line is switched, the check says so.
        for argv in try #require({ if case let .commands(argvs, _) = step.action { return argvs } else { return nil } }()) where argv.first == "sed" {
            #expect(try await LocalExecutor().run(CommandSpec(local(argv)), on: .localhost) { _ in }.status == .exited(0))
        }
        #expect(try await Self.passes(check, local, LocalExecutor()), "the live line now names v1.34")
    }
}
