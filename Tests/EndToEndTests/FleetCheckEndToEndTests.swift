import Foundation
import Testing
import TestSupport

/// Issue 17, "Many clusters": `check --all-contexts` / `--contexts` over two simulators and a context whose API
/// server is gone (a closed port), as a CI job over a merged kubeconfig would see them.
@Suite(.serialized)
struct FleetCheckEndToEndTests {
    /// The value of `key:` on the first line that has it, in a simulator's kubeconfig (its own fixed layout).
    static func field(_ key: String, in kubeconfig: String) throws -> String {
        let line = try #require(kubeconfig.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(key + ":") },
                                "no \(key) in the sim's kubeconfig")
        return line.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)
    }

    /// One kubeconfig with a context per simulator (their CA and client certificate copied) and `gone` on a closed port.
    static func mergedKubeconfig(_ sims: [(name: String, sim: SimProcess)], closedPort: Int, in directory: URL) throws -> String {
        var clusters = "", users = "", contexts = ""
        for (name, sim) in sims {
            let text = try String(contentsOf: sim.kubeconfig, encoding: .utf8)
            clusters += """
            - name: \(name)
              cluster:
                server: \(try field("server", in: text))
                certificate-authority-data: \(try field("certificate-authority-data", in: text))

            """
            users += """
            - name: \(name)
              user:
                client-certificate-data: \(try field("client-certificate-data", in: text))
                client-key-data: \(try field("client-key-data", in: text))

            """
            contexts += "- name: \(name)\n  context:\n    cluster: \(name)\n    user: \(name)\n"
        }
        clusters += "- name: gone\n  cluster:\n    server: https://127.0.0.1:\(closedPort)\n    insecure-skip-tls-verify: true\n"
        users += "- name: gone\n  user:\n    token: nothing\n"
        contexts += "- name: gone\n  context:\n    cluster: gone\n    user: gone\n"
        let yaml = "apiVersion: v1\nkind: Config\nclusters:\n\(clusters)users:\n\(users)contexts:\n\(contexts)current-context: \(sims[0].name)\n"
        let path = directory.appendingPathComponent("merged-kubeconfig").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(yaml.utf8), attributes: [.posixPermissions: 0o600]))
        return path
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text)")
    }

    static func clusters(_ doc: [String: Any]) -> [String: [String: Any]] {
        let list = doc["clusters"] as? [[String: Any]] ?? []
        return Dictionary(list.map { ($0["context"] as? String ?? "?", $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The single-cluster `check -o json` summary of a sim: the fleet row must count the same nodes.
    static func singleSummary(_ sim: SimProcess) async throws -> [String: Int] {
        let r = try await BinaryRunner.run(["check", "--kubeconfig", sim.kubeconfig.path, "-o", "json"])
        return try #require(try json(r.stdout)["summary"] as? [String: Int], "\(r.stderr)")
    }

    @Test func allContextsReportsEveryClusterAndAnUnreachableOneExits2() async throws {
        let demo = try await SimProcess.start(arguments: ["--scenario", "demo"])
        defer { demo.stop() }
        let removed = try await SimProcess.start(arguments: ["--scenario", "removed-apis"])
        defer { removed.stop() }
        let refusing = try LoopbackPort.refusing()
        defer { withExtendedLifetime(refusing) {} }
        let closed = refusing.port
        let path = try Self.mergedKubeconfig([("demo", demo), ("removed-apis", removed)], closedPort: closed, in: demo.directory)

        let all = try await BinaryRunner.run(["check", "--all-contexts", "--kubeconfig", path, "-o", "json"])
        #expect(all.status == 2, "a cluster that cannot be read is exit 2, never fine: \(all.stderr)")
        let doc = try Self.json(all.stdout)
        #expect(doc["exitStatus"] as? Int == 2)
        let rows = doc["clusters"] as? [[String: Any]] ?? []
        #expect(rows.map { $0["context"] as? String } == ["demo", "removed-apis", "gone"], "kubeconfig order: \(all.stdout)")
        let byName = Self.clusters(doc)

        let expected = [("demo", demo, "v1.33.3", ["current": 3, "behind": 6, "unsupported": 1, "unknown": 0]),
                        ("removed-apis", removed, "v1.31.11", ["current": 3, "behind": 1, "unsupported": 0, "unknown": 0])]
        for (name, sim, version, summary) in expected {
            let row = try #require(byName[name])
            #expect(row["reachable"] as? Bool == true, "\(name): \(row)")
            #expect(row["error"] == nil, "\(name): \(row)")
            #expect(row["server"] as? String == sim.url, "\(name): \(row)")
            let apiservers = (row["controlPlane"] as? [String: Any])?["apiservers"] as? [String]
            #expect(apiservers?.allSatisfy { $0 == version } == true && apiservers?.isEmpty == false, "\(name): \(row)")
            #expect(row["summary"] as? [String: Int] == summary, "\(name): \(row)")
            #expect(summary == (try await Self.singleSummary(sim)), "\(name): the same counts as check alone")
            #expect(row["target"] is String && row["cves"] is Int && row["eol"] is [String: Any], "\(name): \(row)")
            #expect(row["exitStatus"] is Int)
        }
        let gone = try #require(byName["gone"])
        #expect(gone["reachable"] as? Bool == false)
        #expect((gone["error"] as? String)?.contains("connection refused") == true, "\(gone)")
        #expect(gone["exitStatus"] as? Int == 2)
        #expect(gone["controlPlane"] is NSNull && gone["summary"] is NSNull, "what was not read is null: \(gone)")

        // --contexts: only the two simulators, so nothing unreadable; the status is theirs.
        let two = try await BinaryRunner.run(["check", "--contexts", "demo,removed-apis", "--kubeconfig", path, "-o", "json"])
        let twoDoc = try Self.json(two.stdout)
        let twoRows = Self.clusters(twoDoc)
        #expect(Set(twoRows.keys) == ["demo", "removed-apis"], "\(two.stdout)")
        #expect(twoRows.values.allSatisfy { $0["reachable"] as? Bool == true })
        let worst = twoRows.values.compactMap { $0["exitStatus"] as? Int }.max { a, b in (a == 2 ? 9 : a) < (b == 2 ? 9 : b) }
        #expect(twoDoc["exitStatus"] as? Int == worst && Int(two.status) == worst, "the worst of the two: \(two.stderr)")

        // The table for people names every context and says why one could not be read.
        let table = try await BinaryRunner.run(["check", "--all-contexts", "--kubeconfig", path], environment: ["COLUMNS": "200"])
        #expect(table.status == 2)
        for name in ["demo", "removed-apis", "gone"] { #expect(table.stdout.contains(name), "\(table.stdout)") }
        #expect(table.stdout.contains("v1.33.3") && table.stdout.contains("v1.31.11"), "\(table.stdout)")
        #expect(table.stdout.contains("unreachable: connection refused"), "\(table.stdout)")
    }

    /// A server that accepts the connection and never answers is cut off at --context-timeout, not waited for.
    @Test func aSilentServerIsReportedAsTimedOut() async throws {
        let silent = try LoopbackPort.silentListener()
        defer { close(silent.fd) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-fleet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("kubeconfig").path
        let yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: silent
          cluster:
            server: https://127.0.0.1:\(silent.port)
            insecure-skip-tls-verify: true
        users:
        - name: silent
          user:
            token: nothing
        contexts:
        - name: silent
          context:
            cluster: silent
            user: silent

        """
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        // A name the kubeconfig does not have is a mistake to fix, said with the names it has; nothing is read.
        let typo = try await BinaryRunner.run(["check", "--contexts", "silent,slient", "--kubeconfig", path, "-o", "json"])
        #expect(typo.status == 1, "\(typo.stderr)")
        #expect(typo.stdout.isEmpty)
        #expect(typo.stderr == "kubeskew check: no context \"slient\" in the kubeconfig; its contexts: \"silent\"\n", "\(typo.stderr)")

        let r = try await BinaryRunner.run(["check", "--contexts", "silent", "--context-timeout", "2", "--kubeconfig", path, "-o", "json"])
        #expect(r.status == 2, "\(r.stderr)")
        let row = try #require(Self.clusters(try Self.json(r.stdout))["silent"])
        #expect(row["reachable"] as? Bool == false)
        #expect((row["error"] as? String)?.hasPrefix("timed out") == true, "\(row)")
    }

    @Test func allContextsRefusesOptionsForOneCluster() async throws {
        for extra in [["--context", "x"], ["--nodes-file", "nodes.json"], ["--from-dump", "dir"], ["--probe-kubeadm"], ["--contexts", "a"]] {
            let r = try await BinaryRunner.run(["check", "--all-contexts"] + extra)
            #expect(r.status == 64, "\(extra): \(r.stderr)")
            #expect(r.stderr.contains(extra[0]), "the error names \(extra[0]): \(r.stderr)")
        }
    }
}
