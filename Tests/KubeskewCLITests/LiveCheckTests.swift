import Foundation
import Testing
import TestSupport

/// `kubeskew check` against a live (simulated) cluster gives the same verdicts as offline on the same nodes.
@Suite(.serialized)
struct LiveCheckTests {
    func verdicts(_ json: String) throws -> [String: String] {
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let nodes = try #require(doc["nodes"] as? [[String: Any]])
        var out: [String: String] = [:]
        for n in nodes {
            let kubelet = n["kubelet"] as? [String: Any]
            out[n["name"] as? String ?? "?"] = kubelet?["verdict"] as? String
        }
        return out
    }

    @Test func liveAndOfflineAgree() throws {
        let sim = try SimProcess(arguments: ["--scenario", "demo"])
        defer { sim.stop() }
        let live = try BinaryRunner.run(["check", "--kubeconfig", sim.kubeconfig.path, "-o", "json", "--today", "2026-11-25"])
        #expect([2, 3].contains(live.status), "\(live.stderr)")
        // The same nodes through the real kubectl, then offline.
        let dump = sim.directory.appendingPathComponent("nodes.json")
        let kubectl = Process()
        kubectl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        kubectl.arguments = ["kubectl", "--kubeconfig", sim.kubeconfig.path, "get", "nodes", "-o", "json"]
        let out = Pipe()
        kubectl.standardOutput = out
        kubectl.standardError = FileHandle.nullDevice
        try kubectl.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        kubectl.waitUntilExit()
        #expect(kubectl.terminationStatus == 0)
        try data.write(to: dump)
        let liveDoc = try #require(try JSONSerialization.jsonObject(with: Data(live.stdout.utf8)) as? [String: Any])
        let apiservers = try #require((liveDoc["controlPlane"] as? [String: Any])?["apiservers"] as? [String])
        let offline = try BinaryRunner.run(["check", "--nodes-file", dump.path, "--control-plane", apiservers.joined(separator: ","),
                                            "-o", "json", "--today", "2026-11-25"])
        let liveVerdicts = try verdicts(live.stdout)
        #expect(liveVerdicts.count >= 8)
        #expect(liveVerdicts == (try verdicts(offline.stdout)))
        #expect(liveVerdicts["node01"] == "patch-behind")
    }

    @Test func unreachableClusterIsAClearError() throws {
        let sim = try SimProcess(arguments: [])
        let kubeconfig = sim.directory.appendingPathComponent("copy")
        try FileManager.default.copyItem(at: sim.kubeconfig, to: kubeconfig)
        let saved = try Data(contentsOf: kubeconfig)
        sim.stop()
        try FileManager.default.createDirectory(at: sim.directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: sim.directory) }
        try saved.write(to: kubeconfig)
        let r = try BinaryRunner.run(["check", "--kubeconfig", kubeconfig.path])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.lowercased().contains("refused") || r.stderr.lowercased().contains("connect"), "\(r.stderr)")
    }
}
