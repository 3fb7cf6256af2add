import Foundation
import Testing
import TestSupport

/// `kubeskew check` as CI and operators use it: the real binary, real kubectl output, exit statuses and messages.
@Suite(.serialized)
struct CheckCommandTests {
    func json(_ text: String) throws -> [String: Any] {
        let obj = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(obj as? [String: Any])
    }

    func nodes(_ doc: [String: Any]) throws -> [String: [String: Any]] {
        let list = try #require(doc["nodes"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as? String ?? "", $0) })
    }

    /// Issue 13: "1 nodes". One node is a node.
    @Test func aClusterOfOneNodeIsCountedInTheSingular() async throws {
        let sim = try await SimProcess.start(arguments: ["--nodes", "1"])
        defer { sim.stop() }
        let r = try await BinaryRunner.run(["check", "--kubeconfig", sim.kubeconfig.path, "--today", "2026-11-25"],
                                           environment: ["NO_COLOR": "1"])
        #expect(r.stdout.contains("1 node: "), "\(r.stdout)\n\(r.stderr)")
        #expect(!r.stdout.contains("1 nodes"), "\(r.stdout)")
    }

    // DESIGN.md §1's example on real `kubectl get nodes -o json` output: control plane 1.33.3, node01 1.33.2.
    @Test func realKubectlOutputGivesTheRightVerdicts() async throws {
        let r = try await BinaryRunner.run(["check", "--nodes-file", BinaryRunner.fixture("nodes-v1.33.json"),
                                      "--control-plane", "v1.33.3", "-o", "json", "--today", "2026-11-25"])
        #expect(r.status == 3, "supported but behind → 3; stderr: \(r.stderr)")
        let doc = try json(r.stdout)
        let byName = try nodes(doc)
        let node01 = try #require(byName["node01"]?["kubelet"] as? [String: Any])
        #expect(node01["verdict"] as? String == "patch-behind")
        #expect(node01["supported"] as? Bool == true)
        #expect(node01["version"] as? String == "v1.33.2")
        #expect((byName["cp-1"]?["kubelet"] as? [String: Any])?["verdict"] as? String == "current")
        #expect((byName["node02"]?["kubelet"] as? [String: Any])?["verdict"] as? String == "minor-behind")
        #expect(byName["node02"]?["hops"] as? [String] == ["v1.31.14", "v1.32.13", "v1.33.3"])
        #expect(byName["node01"]?["hops"] as? [String] == ["v1.33.3"])
        #expect(doc["target"] as? String == "v1.33.3")
        let cp = try #require(doc["controlPlane"] as? [String: Any])
        #expect(cp["apiservers"] as? [String] == ["v1.33.3"])
        #expect(cp["verdict"] as? String == "supported")
        let summary = try #require(doc["summary"] as? [String: Int])
        #expect(summary == ["current": 1, "behind": 2, "unsupported": 0, "unknown": 0])
        let risks = try #require(byName["node02"]?["risks"] as? [[String: Any]])
        #expect(risks.contains { $0["kind"] as? String == "cve" && $0["id"] as? String == "CVE-2025-0426" && $0["fixedIn"] as? String == "v1.30.10" })
        #expect(risks.contains { $0["kind"] as? String == "blocks-cp-upgrade" })
    }

    @Test func tableForPeopleFits80Columns() async throws {
        let r = try await BinaryRunner.run(["check", "--nodes-file", BinaryRunner.fixture("nodes-v1.33.json"),
                                      "--control-plane", "v1.33.3", "--today", "2026-11-25"], environment: ["COLUMNS": "80"])
        #expect(r.status == 3)
        let tableLines = r.stdout.split(separator: "\n").prefix(while: { !$0.hasPrefix("control plane") })
        for line in tableLines { #expect(line.count <= 80, "too wide: \(line)") }
        #expect(r.stdout.contains("node01"))
        #expect(r.stdout.contains("patch-behind"))
        #expect(!r.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")
        let narrow = try await BinaryRunner.run(["check", "--nodes-file", BinaryRunner.fixture("nodes-v1.33.json"),
                                           "--control-plane", "v1.33.3"], environment: ["COLUMNS": "40"])
        let header = narrow.stdout.split(separator: "\n").first { $0.hasPrefix("NAME") }
        #expect(header.map { !$0.contains("ROLE") } == true, "narrow tables drop the wide columns first")
    }

    @Test func clusterInfoDumpGivesControlPlaneComponents() async throws {
        let r = try await BinaryRunner.run(["check", "--from-dump", BinaryRunner.fixture("dump-v1.33.3"), "-o", "json", "--today", "2026-11-25"])
        #expect(r.status == 3, "\(r.stderr)")
        let doc = try json(r.stdout)
        let cp = try #require(doc["controlPlane"] as? [String: Any])
        #expect(cp["apiservers"] as? [String] == ["v1.33.3"], "the API server version comes from the static pod's image")
        let comps = try #require(cp["components"] as? [[String: Any]])
        let names = comps.compactMap { $0["name"] as? String }
        #expect(names.starts(with: ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd", "kube-proxy"]))
        #expect(comps.first { $0["name"] as? String == "kube-scheduler" }?["verdict"] as? String == "current")
        #expect(comps.first { $0["name"] as? String == "etcd" }?["version"] as? String == "3.5.21-0")
        // kube-proxy comes from the pod on the node: the real cluster ran kube-proxy v1.33.3 on node01.
        let node01 = try #require(try nodes(doc)["node01"])
        #expect((node01["kubeProxy"] as? [String: Any])?["version"] as? String == "v1.33.3")
    }

    @Test func hostileVersionIsUnknownAndTheReportGoesOn() async throws {
        try await BinaryRunner.withTempDir { dir in
            let file = dir.appendingPathComponent("nodes.json")
            try NodeJSON.list([
                NodeJSON.node("evil", kubelet: "v1.33.3; rm -rf /"),
                NodeJSON.node("blank", kubelet: ""),
                NodeJSON.node("absent", kubelet: nil),
                NodeJSON.node("fine", kubelet: "v1.33.3"),
            ]).write(to: file)
            let r = try await BinaryRunner.run(["check", "--nodes-file", file.path, "--control-plane", "v1.33.3", "-o", "json"])
            #expect(r.status == 2, "a version that cannot be read fails the check")
            let byName = try nodes(json(r.stdout))
            for name in ["evil", "blank", "absent"] {
                let kubelet = try #require(byName[name]?["kubelet"] as? [String: Any])
                #expect(kubelet["verdict"] as? String == "unknown")
                #expect((kubelet["reason"] as? String)?.isEmpty == false)
            }
            #expect((byName["evil"]?["kubelet"] as? [String: Any])?["raw"] as? String == "v1.33.3; rm -rf /")
            #expect(byName["absent"]?["kubeProxy"] is NSNull, "kubeProxy is null when not known")
            #expect((byName["fine"]?["kubelet"] as? [String: Any])?["verdict"] as? String == "current")
            let table = try await BinaryRunner.run(["check", "--nodes-file", file.path, "--control-plane", "v1.33.3"])
            #expect(table.stdout.contains("evil"))
            #expect(table.stdout.contains("is not a version"))
        }
    }

    @Test(arguments: [
        ("{\"kind\": \"NodeList\", \"items\": [{\"metadata\": {\"name\": \"a\"", "not valid JSON"),
        ("{\"kind\": \"NodeList\", \"items\": [{\"spec\": {}}]}", "items[0].metadata is missing"),
        ("\u{0}\u{1}garbage", "not valid JSON"),
        ("{\"kind\": \"PodList\", \"items\": []}", "kind is PodList"),
        ("[1, 2, 3]", "expected a NodeList, List or Node"),
        ("{\"kind\": \"NodeList\", \"items\": [1]}", "items[0] is not an object"),
        ("{\"kind\": \"NodeList\", \"items\": [{\"metadata\": {\"name\": 7}}]}", "items[0].metadata.name"),
    ])
    func unreadableInputIsAnErrorNamingTheFile(content: String, expected: String) async throws {
        try await BinaryRunner.withTempDir { dir in
            let file = dir.appendingPathComponent("broken.json")
            try Data(content.utf8).write(to: file)
            let r = try await BinaryRunner.run(["check", "--nodes-file", file.path, "--control-plane", "v1.33.3"])
            #expect(r.status == 1)
            #expect(r.stdout.isEmpty, "nothing on stdout when the input is bad")
            #expect(r.stderr.contains(file.path), "\(r.stderr)")
            #expect(r.stderr.contains(expected), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "one line: \(r.stderr)")
        }
    }

    @Test func emptyListIsAValidEmptyReport() async throws {
        try await BinaryRunner.withTempDir { dir in
            let file = dir.appendingPathComponent("empty.json")
            try NodeJSON.list([]).write(to: file)
            let r = try await BinaryRunner.run(["check", "--nodes-file", file.path, "--control-plane", "v1.35.9", "-o", "json", "--today", "2026-11-25"])
            #expect(r.status == 0, "\(r.stderr)")
            let doc = try json(r.stdout)
            #expect((doc["nodes"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func singleNodeDocumentIsAccepted() async throws {
        try await BinaryRunner.withTempDir { dir in
            let file = dir.appendingPathComponent("node.json")
            try JSONSerialization.data(withJSONObject: NodeJSON.node("solo", kubelet: "v1.35.9")).write(to: file)
            let r = try await BinaryRunner.run(["check", "--nodes-file", file.path, "--control-plane", "v1.35.9", "-o", "json", "--today", "2026-11-25"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(try nodes(json(r.stdout))["solo"] != nil)
        }
    }

    @Test func missingAPIServerVersionAndBadFlagsAreClearErrors() async throws {
        let noCP = try await BinaryRunner.run(["check", "--nodes-file", BinaryRunner.fixture("nodes-v1.33.json")])
        #expect(noCP.status == 1)
        #expect(noCP.stderr.contains("--control-plane"))
        let badCP = try await BinaryRunner.run(["check", "--nodes-file", BinaryRunner.fixture("nodes-v1.33.json"), "--control-plane", "1.33"])
        #expect(badCP.status == 1)
        #expect(badCP.stderr.contains("\"1.33\" is not a version"))
        let missing = try await BinaryRunner.run(["check", "--nodes-file", "/nonexistent/nodes.json", "--control-plane", "v1.33.3"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent/nodes.json: no such file"))
        // Issue 12: a target newer than the control plane is no longer refused: the control plane goes first.
        let newerTarget = try await BinaryRunner.run(["check", "--nodes-file", BinaryRunner.fixture("nodes-v1.33.json"),
                                                "--control-plane", "v1.33.3", "--target", "v1.34.0"])
        #expect(newerTarget.status == 3, "\(newerTarget.stderr)")
        #expect(newerTarget.stdout.contains("the control plane must reach v1.34.0 first"), "\(newerTarget.stdout)")
        let badTarget = try await BinaryRunner.run(["check", "--nodes-file", BinaryRunner.fixture("nodes-v1.33.json"),
                                              "--control-plane", "v1.33.3", "--target", "1.34"])
        #expect(badTarget.status == 1)
        #expect(badTarget.stderr.contains("--target: \"1.34\" is neither vX.Y.Z, latest-patch nor next-minor"), "\(badTarget.stderr)")
    }

    @Test func haControlPlaneFromTheCommandLine() async throws {
        let r = try await BinaryRunner.run(["check", "--nodes-file", BinaryRunner.fixture("nodes-v1.33.json"),
                                      "--control-plane", "v1.33.3,v1.32.9", "-o", "json"])
        let doc = try json(r.stdout)
        #expect((doc["controlPlane"] as? [String: Any])?["apiservers"] as? [String] == ["v1.33.3", "v1.32.9"])
        // Issue 12: the target is where the control plane is going (the newest API server without kubeadm-config);
        // the verdicts keep the policy: nothing may be newer than the oldest API server.
        #expect(doc["target"] as? String == "v1.33.3")
        #expect(doc["targetSource"] as? String == "newest-apiserver")
        #expect((try nodes(doc)["cp-1"]?["kubelet"] as? [String: Any])?["verdict"] as? String == "newer-than-apiserver")
        #expect(r.status == 2)
    }

    @Test func newerDataFilesReplaceTheEmbeddedOnes() async throws {
        try await BinaryRunner.withTempDir { dir in
            let adv = dir.appendingPathComponent("advisories.json")
            try Data(#"{"dataTakenOn": "2026-11-20", "source": "test", "advisories": [{"id": "CVE-2026-0001", "component": "kubelet", "severity": "high", "summary": "test", "fixed": ["1.35.10"]}]}"#.utf8).write(to: adv)
            let r = try await BinaryRunner.run(["check", "--nodes-file", BinaryRunner.fixture("nodes-v1.33.json"),
                                          "--control-plane", "v1.35.9", "--advisories", adv.path, "-o", "json", "--today", "2026-11-25"])
            #expect(r.stdout.contains("CVE-2026-0001") == false, "no node runs 1.35")
            let file = dir.appendingPathComponent("n.json")
            try NodeJSON.list([NodeJSON.node("n", kubelet: "v1.35.9")]).write(to: file)
            let r2 = try await BinaryRunner.run(["check", "--nodes-file", file.path, "--control-plane", "v1.35.9", "--advisories", adv.path, "-o", "json", "--today", "2026-11-25"])
            #expect(r2.stdout.contains("CVE-2026-0001"))
            #expect(r2.status == 3)
            let broken = dir.appendingPathComponent("bad.json")
            try Data("{}".utf8).write(to: broken)
            let r3 = try await BinaryRunner.run(["check", "--nodes-file", file.path, "--control-plane", "v1.35.9", "--releases", broken.path])
            #expect(r3.status == 1)
            #expect(r3.stderr.contains("bad.json: dataTakenOn is missing"), "\(r3.stderr)")
        }
    }
}
