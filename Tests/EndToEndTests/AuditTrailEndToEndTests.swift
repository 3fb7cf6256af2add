import Foundation
import Testing
import TestSupport

/// Issue 16: "An audit trail of every run: who (the kubeconfig user and the local user), when, which nodes, every
/// command with where it ran and its exit status; `kubeskew history --audit RUN -o json` exports it for change
/// records."
@Suite(.serialized)
struct AuditTrailEndToEndTests {
    struct Record: Decodable {
        struct Cluster: Decodable { var context: String; var kubeconfigUser: String?; var server: String }
        struct Session: Decodable { var event: String; var time: String; var localUser: String?; var host: String?; var kubeconfigUser: String? }
        struct Node: Decodable { var node: String; var status: String; var leftCordoned: Bool }
        struct Command: Decodable { var time: String; var node: String; var step: String?; var destination: String?; var command: String; var status: String }
        var run: String
        var outcome: String
        var cluster: Cluster?
        var sessions: [Session]
        var nodes: [Node]
        var commands: [Command]
    }

    static func audit(_ id: String, _ env: [String: String]) async throws -> Record {
        let r = try await BinaryRunner.run(["history", "--audit", id, "-o", "json"], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        return try JSONDecoder().decode(Record.self, from: Data(r.stdout.utf8))
    }

    @Test func aFailedRunAndItsResumeSayWhoRanWhatWhereAndHowItEnded() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "demo", "--speed", "0"])
        defer { sim.stop() }
        let env = ["XDG_STATE_HOME": sim.directory.appendingPathComponent("state").path]
        // node08's PodDisruptionBudget allows no eviction: the run stops in its drain, and is resumed.
        let first = try await BinaryRunner.run(["upgrade", "node08", "--yes", "--accept-blockers", "--executor", "simulated",
                                                "--drain-timeout", "2", "--kubeconfig", sim.kubeconfig.path, "--context", "sim-token"],
                                               environment: env, timeout: 120)
        #expect(first.status == 1, "\(first.stdout)\n\(first.stderr)")
        let id = try #require(first.stdout.firstMatch(of: /run ([0-9]{8}T[0-9]{6}Z-[0-9a-f]{6})/).map { String($0.output.1) })
        let resumed = try await BinaryRunner.run(["upgrade", "--resume", id, "--yes"], environment: env, timeout: 120)
        #expect(resumed.status == 1, "the budget still blocks the drain: \(resumed.stdout)\n\(resumed.stderr)")

        let record = try await Self.audit(id, env)
        #expect(record.run == id && record.outcome == "failed")
        #expect(record.cluster?.context == "sim-token" && record.cluster?.kubeconfigUser == "sim-token")
        #expect(record.sessions.map(\.event) == ["started", "resumed"], "every start and resume says who drove it")
        let user = String(cString: getpwuid(geteuid())!.pointee.pw_name)
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? ""
        #expect(record.sessions.allSatisfy { $0.localUser == user && $0.host?.hasPrefix(host) == true && $0.kubeconfigUser == "sim-token" },
                "\(record.sessions.map { "\($0.localUser ?? "?")@\($0.host ?? "?")" }) vs \(user)@\(host)")
        #expect(record.nodes.count == 1 && record.nodes[0].node == "node08" && record.nodes[0].status == "failed")
        #expect(record.nodes[0].leftCordoned, "the failed drain left node08 cordoned, and the record says so")

        // The node's own commands, where they went and how they ended; the drains ran here, for node08.
        let upgradeNode = record.commands.filter { $0.command == "sudo kubeadm upgrade node" }
        #expect(upgradeNode.count == 1 && upgradeNode[0].node == "node08" && upgradeNode[0].status == "exit 0", "\(record.commands)")
        #expect(upgradeNode.first?.destination?.contains("node08") == true)
        let drains = record.commands.filter { $0.command.contains(" drain node08 ") }
        #expect(drains.count == 2, "one drain per session: \(record.commands.map(\.command))")
        #expect(drains.allSatisfy { $0.node == "node08" && $0.step == "h1-drain" && $0.status == "exit 1" })
        #expect(drains.allSatisfy { $0.destination?.hasPrefix("this machine") == true })
        #expect(record.commands.allSatisfy { !$0.time.isEmpty && !$0.status.isEmpty })
        #expect(!record.commands.contains { $0.step == "h1-uncordon" }, "nothing after the failed drain ran")

        let text = try await BinaryRunner.run(["history", "--audit", id], environment: env)
        #expect(text.stdout.contains("started ") && text.stdout.contains("resumed "), "\(text.stdout)")
        #expect(text.stdout.contains("node node08 ") && text.stdout.contains("left cordoned"), "\(text.stdout)")
    }

    @Test func auditNeedsARunAndOutputNeedsAudit() async throws {
        let noRun = try await BinaryRunner.run(["history", "--audit"])
        #expect(noRun.status == 64 && noRun.stderr.contains("--audit needs a run id"), "\(noRun.stderr)")
        let noAudit = try await BinaryRunner.run(["history", "-o", "json"])
        #expect(noAudit.status == 64 && noAudit.stderr.contains("-o applies to --audit"), "\(noAudit.stderr)")
    }
}
