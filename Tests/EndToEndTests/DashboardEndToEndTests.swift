import Foundation
import Testing

/// The real `kubeskew dashboard` binary inside tmux: table, movement, filter, sort, mark, resize, quit.
@Suite(.serialized)
struct DashboardEndToEndTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let binary = packageRoot.appendingPathComponent(".build/debug/kubeskew").path

    static func nodeJSON(_ name: String, _ kubelet: String, control: Bool = false, ready: String = "True",
                         cordoned: Bool = false) -> String {
        let labels = control ? #"{"node-role.kubernetes.io/control-plane":""}"# : "{}"
        return #"{"metadata":{"name":"\#(name)","labels":\#(labels)},"spec":{"unschedulable":\#(cordoned)},"status":{"nodeInfo":{"kubeletVersion":"\#(kubelet)","kubeProxyVersion":"\#(kubelet)","containerRuntimeVersion":"containerd://1.7.24","osImage":"Ubuntu 24.04.1 LTS"},"conditions":[{"type":"Ready","status":"\#(ready)"}]}}"#
    }

    static let nodesFile = #"{"apiVersion":"v1","kind":"List","items":["#
        + [
            nodeJSON("cp-1", "v1.35.2", control: true),
            nodeJSON("node01", "v1.35.1"),
            nodeJSON("node02", "v1.34.4"),
            nodeJSON("node03", "v1.31.9"),
            nodeJSON("node04", "v1.35.2", cordoned: true),
            nodeJSON("node05", "v1.35.2", ready: "False"),
            nodeJSON("node07", "v1.36.0"),
            nodeJSON("노드-워커", "v1.35.2"),
        ].joined(separator: ",") + "]}"

    /// The row of the table that shows `name` (cursor and mark gutter included).
    static func row(_ screen: String, _ name: String) -> String {
        screen.split(separator: "\n").map(String.init).first { $0.dropFirst(3).hasPrefix(name + " ") } ?? ""
    }

    @Test func dashboardDrivenThroughTmux() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary),
                     "build the binary first (swift build): \(Self.binary)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let nodes = directory.appendingPathComponent("nodes.json")
        try Data(Self.nodesFile.utf8).write(to: nodes)

        let command = "env LANG=C.UTF-8 TERM=xterm-256color SWIFT_BACKTRACE=interactive=no '\(Self.binary)' dashboard"
            + " --nodes-file '\(nodes.path)' --control-plane v1.35.2 --today 2026-11-25; echo KUBESKEW-EXIT=$?; sleep 300"
        let tmux = try TmuxSession(width: 120, height: 40, command: command)
        defer { tmux.stop() }

        // The table: every node with its verdict.
        let first = try tmux.waitFor("the node table") { $0.contains("노드-워커") && $0.contains("offline: nodes.json") }
        try #require(first.ok)
        let screen = first.screen
        #expect(Self.row(screen, "cp-1").contains("current"))
        #expect(Self.row(screen, "node01").contains("patch-behind"))
        #expect(Self.row(screen, "node02").contains("minor-behind"))
        #expect(Self.row(screen, "node03").contains("too-old") && Self.row(screen, "node03").contains("EOL drain blocks-cp"))
        #expect(Self.row(screen, "node04").contains("Ready,cordoned"))
        #expect(Self.row(screen, "node05").contains("NotReady"))
        #expect(Self.row(screen, "node07").contains("newer-than-apiserver"))
        #expect(Self.row(screen, "노드-워커").contains("current"))
        #expect(screen.contains("8 nodes: 4 current · 2 behind · 2 unsupported"))
        #expect(Self.row(screen, "cp-1").hasPrefix("▸"))

        // Movement.
        try tmux.send("j", "j")
        #expect(try tmux.waitFor("cursor on node02") { Self.row($0, "node02").hasPrefix("▸") }.ok)
        try tmux.send("Up")
        #expect(try tmux.waitFor("cursor on node01") { Self.row($0, "node01").hasPrefix("▸") }.ok)

        // Filter, then esc clears it.
        try tmux.send("/")
        try tmux.type("too")
        try tmux.send("Enter")
        let filtered = try tmux.waitFor("filter too") { $0.contains("filter \"too\" 1 shown") }
        #expect(filtered.ok)
        #expect(Self.row(filtered.screen, "node03").contains("too-old"))
        #expect(Self.row(filtered.screen, "node01").isEmpty)
        try tmux.send("Escape")
        #expect(try tmux.waitFor("filter cleared") { !$0.contains("filter \"") && Self.row($0, "node01").contains("patch-behind") }.ok)

        // Sort by verdict: the worst first.
        try tmux.send("s")
        let sorted = try tmux.waitFor("sort by verdict") { $0.contains("sort verdict") }
        #expect(sorted.ok)
        let tableRows = sorted.screen.split(separator: "\n").map(String.init)
        let headerIndex = tableRows.firstIndex { $0.contains("SKEW↓") }
        #expect(headerIndex.map { tableRows[$0 + 1].contains("node07") } == true)

        // Mark the cursor node.
        try tmux.send("Space")
        #expect(try tmux.waitFor("one mark") { $0.contains("● 1 marked") }.ok)

        // Ctrl-C asks first; n keeps running.
        try tmux.send("C-c")
        #expect(try tmux.waitFor("quit dialog") { $0.contains("Quit kubeskew?") }.ok)
        try tmux.send("n")
        #expect(try tmux.waitFor("dialog gone") { !$0.contains("Quit kubeskew?") && $0.contains("● 1 marked") }.ok)

        // Resize: re-laid out at 80×24, the too-small screen below 60×15, and back.
        try tmux.resize(width: 80, height: 24)
        let small = try tmux.waitFor("80×24 layout") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.first { $0.hasPrefix("── control plane") }?.count == 80 && screen.contains("NAME")
        }
        #expect(small.ok)
        #expect(small.screen.split(separator: "\n").allSatisfy { $0.count <= 80 })
        try tmux.resize(width: 50, height: 12)
        #expect(try tmux.waitFor("too small") { $0.contains("terminal too small: 50×12") }.ok)
        try tmux.resize(width: 120, height: 40)
        let restored = try tmux.waitFor("back to 120×40") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.first { $0.hasPrefix("── control plane") }?.count == 120 && screen.contains("● 1 marked")
        }
        #expect(restored.ok)
        #expect(Self.row(restored.screen, "node03").contains("EOL drain blocks-cp"))

        // q quits and gives the terminal back.
        try tmux.send("q")
        let after = try tmux.waitFor("exit") { $0.contains("KUBESKEW-EXIT=") }
        #expect(after.ok)
        #expect(after.screen.contains("KUBESKEW-EXIT=0"))
        #expect(!after.screen.contains("control plane"))
    }

    @Test func badInputIsAClearMessageNotAScreen() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary))
        let result = try Spawn.run([Self.binary, "dashboard", "--nodes-file", "/nonexistent/nodes.json",
                                    "--control-plane", "v1.35.2"])
        #expect(result.status == 1)
        #expect(result.errors.contains("kubeskew dashboard: /nonexistent/nodes.json: no such file"))
    }

    @Test func withoutATerminalTheDashboardSaysSo() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubeskew-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let nodes = directory.appendingPathComponent("nodes.json")
        try Data(Self.nodesFile.utf8).write(to: nodes)
        let result = try Spawn.run([Self.binary, "dashboard", "--nodes-file", nodes.path, "--control-plane", "v1.35.2"])
        #expect(result.status == 1)
        #expect(result.errors.contains("the dashboard needs a terminal"))
    }
}
