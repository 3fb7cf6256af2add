import Foundation
import Testing
import TestSupport

/// The real `kubeskew dashboard` binary inside tmux: table, movement, filter, sort, mark, resize, quit.
@Suite(.serialized)
struct DashboardEndToEndTests {
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

    @Test func dashboardDrivenThroughTmux() async throws {
        try await BinaryRunner.withTempDir { directory in
            let nodes = directory.appendingPathComponent("nodes.json")
            try Data(Self.nodesFile.utf8).write(to: nodes)
            let tmux = try await TmuxSession(["dashboard", "--nodes-file", nodes.path, "--control-plane", "v1.35.2",
                                              "--today", "2026-11-25"], environment: ["SWIFT_BACKTRACE": "interactive=no"])
            defer { tmux.stop() }
            try await drive(tmux)
        }
    }

    func drive(_ tmux: TmuxSession) async throws {
        // The table: every node with its verdict.
        let screen = try await tmux.waitFor("the node table", within: .seconds(120)) {
            $0.contains("노드-워커") && $0.contains("offline: nodes.json")
        }
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
        try await tmux.send("j", "j")
        try await tmux.waitFor("cursor on node02") { Self.row($0, "node02").hasPrefix("▸") }
        try await tmux.send("Up")
        try await tmux.waitFor("cursor on node01") { Self.row($0, "node01").hasPrefix("▸") }

        // Filter, then esc clears it.
        try await tmux.send("/")
        try await tmux.type("too")
        try await tmux.send("Enter")
        let filtered = try await tmux.waitFor("filter too") { $0.contains("filter \"too\" 1 shown") }
        #expect(Self.row(filtered, "node03").contains("too-old"))
        #expect(Self.row(filtered, "node01").isEmpty)
        try await tmux.send("Escape")
        try await tmux.waitFor("filter cleared") { !$0.contains("filter \"") && Self.row($0, "node01").contains("patch-behind") }

        // Sort by verdict: the worst first.
        try await tmux.send("s")
        let sorted = try await tmux.waitFor("sort by verdict") { $0.contains("sort verdict") }
        let tableRows = sorted.split(separator: "\n").map(String.init)
        let headerIndex = tableRows.firstIndex { $0.contains("SKEW↓") }
        #expect(headerIndex.map { tableRows[$0 + 1].contains("node07") } == true)

        // Mark the cursor node.
        try await tmux.send("Space")
        try await tmux.waitFor("one mark") { $0.contains("● 1 marked") }

        // Ctrl-C asks first; n keeps running.
        try await tmux.send("C-c")
        try await tmux.waitFor("quit dialog") { $0.contains("Quit kubeskew?") }
        try await tmux.send("n")
        try await tmux.waitFor("dialog gone") { !$0.contains("Quit kubeskew?") && $0.contains("● 1 marked") }

        // Resize: re-laid out at 80×24, the too-small screen below 60×15, and back.
        try await tmux.resize(width: 80, height: 24)
        let small = try await tmux.waitFor("80×24 layout") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.first { $0.hasPrefix("── control plane") }?.count == 80 && screen.contains("NAME")
        }
        #expect(small.split(separator: "\n").allSatisfy { $0.count <= 80 })
        try await tmux.resize(width: 50, height: 12)
        try await tmux.waitFor("too small") { $0.contains("terminal too small: 50×12") }
        try await tmux.resize(width: 120, height: 40)
        let restored = try await tmux.waitFor("back to 120×40") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.first { $0.hasPrefix("── control plane") }?.count == 120 && screen.contains("● 1 marked")
        }
        #expect(Self.row(restored, "node03").contains("EOL drain blocks-cp"))

        // q quits with status 0 and gives the terminal back.
        try await tmux.send("q")
        let status = try await tmux.waitForExit(within: .seconds(120))
        let after = try await tmux.screen()
        #expect(status == 0, "exit status \(status); the screen:\n\(after)")
        #expect(!after.contains("control plane"))
    }

    @Test func badInputIsAClearMessageNotAScreen() async throws {
        let result = try await BinaryRunner.run(["dashboard", "--nodes-file", "/nonexistent/nodes.json",
                                                 "--control-plane", "v1.35.2"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("kubeskew dashboard: /nonexistent/nodes.json: no such file"))
    }

    @Test func withoutATerminalTheDashboardSaysSo() async throws {
        try await BinaryRunner.withTempDir { directory in
            let nodes = directory.appendingPathComponent("nodes.json")
            try Data(Self.nodesFile.utf8).write(to: nodes)
            let result = try await BinaryRunner.run(["dashboard", "--nodes-file", nodes.path, "--control-plane", "v1.35.2"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("the dashboard needs a terminal"))
        }
    }
}
