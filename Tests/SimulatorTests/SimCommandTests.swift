import Foundation
import Synchronization
import Testing

/// The built `kubeskew sim` binary: ready line, kubeconfig, kubectl, clean exit on SIGTERM.
@Suite("kubeskew sim binary")
struct SimCommandTests {
    static let binary: String = {
        // Tests/SimulatorTests/<this file> → repository root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/kubeskew").path
    }()

    @Test("kubeskew sim prints ready <url> once serving and exits cleanly on SIGTERM")
    func readyAndSigterm() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build the binary first: swift build --product kubeskew")
        let directory = try TemporaryDirectory()
        let kubeconfig = directory.path + "/kubeconfig"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["sim", "--scenario", "demo", "--port", "0", "--kubeconfig-out", kubeconfig]
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        let collected = Mutex("")
        stdout.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            collected.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        defer {
            if process.isRunning { process.interrupt(); kill(process.processIdentifier, SIGKILL) }
            stdout.fileHandleForReading.readabilityHandler = nil
        }
        let deadline = Date().addingTimeInterval(30)
        while !collected.withLock({ $0.contains("\n") }), process.isRunning, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let line = collected.withLock { $0 }
        #expect(line.hasPrefix("ready https://127.0.0.1:"), "stdout was: \(line)")
        #expect(line.split(separator: "\n").count == 1)
        let attributes = try FileManager.default.attributesOfItem(atPath: kubeconfig)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let text = try String(contentsOfFile: kubeconfig, encoding: .utf8)
        #expect(text.contains("current-context: sim\n"))
        #expect(text.contains("- name: sim-token"))

        let nodes = try await ProcessRunner.run("/usr/bin/kubectl", ["get", "nodes", "--cache-dir", directory.path + "/cache"],
                                          environment: ["KUBECONFIG": kubeconfig, "HOME": directory.path])
        #expect(nodes.status == 0, "\(nodes.stderr)")
        let rows = tableRows(nodes.stdout)
        #expect(rows["node04"]?[4] == "v1.29.15")
        #expect(rows["node05"]?[1] == "NotReady")
        #expect(rows["node06"]?[1] == "Ready,SchedulingDisabled")
        #expect(rows["ip-10-0-12-34.eu-west-1.compute.internal"]?[4] == "v1.33.3-eks-3025e55")

        kill(process.processIdentifier, SIGTERM)
        let stopDeadline = Date().addingTimeInterval(15)
        while process.isRunning, Date() < stopDeadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!process.isRunning)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }

    @Test("kubeskew sim refuses a bad scenario with a message and exit 2")
    func badScenario() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build the binary first: swift build --product kubeskew")
        let directory = try TemporaryDirectory()
        let result = try await ProcessRunner.run(Self.binary, ["sim", "--scenario", "nope", "--kubeconfig-out", directory.path + "/kc"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no built-in scenario \"nope\"; built-in scenarios: default, demo, ha, removed-apis"))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/kc"))
    }
}
