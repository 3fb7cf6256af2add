import Foundation
import Testing
@testable import TUI

/// The dashboard rendered into the grid at the three reference sizes, compared as text.
struct DashboardScreenTests {
    @Test func fullScreenAt80x24() {
        let state = Fixtures.state(width: 80, height: 24)
        // At 80 columns ROLE gives way and the long node name is cut, so KUBELET and KUBEADM (the mission's columns)
        // stay (issue 13); the footer keeps U.
        let expected = """
             kubeskew   ctx prod-eu  API v1.35.2×2  kubeadm v1.35.2  target v1.35.2  https:…
             12 nodes: 6 current · 3 behind · 2 unsupported · 1 unknown   sort name… ◉ live
            ── control plane ───────────────────────────────────────────────────────────────
             apiserver          v1.35.2   supported  controller-manager v1.35.2   current
             scheduler          v1.35.2   current    etcd               v3.5.21-0
             kube-proxy         v1.35.2   current    coredns            v1.12.0
               NAME↓            STATUS   KUBELET  KUBEADM  PROXY    SKEW          RISK
            ▸  cp-1             Ready    v1.35.2  ?        v1.35.2  current
               cp-2             Ready    v1.35.2  ?        v1.35.2  current
               gpu-worker-with… Ready    v1.35.2  ?        v1.35.2  current
               node-bad         Ready    garbage  ?        v1.35.2  unknown
               node01           Ready    v1.35.1  ?        v1.35.2  patch-behind
               node02           Ready    v1.34.4  ?        v1.35.2  minor-behind  EOL drain
               node03           Ready    v1.31.9  ?        v1.35.2  too-old       EOL drai…
               node04           Ready    v1.32.5  ?        v1.35.2  minor-behind  EOL drai…
               node05           Ready,c… v1.35.2  ?        v1.35.2  current
               node06           NotReady v1.35.2  ?        v1.35.2  current
               node07           Ready    v1.36.0  ?        v1.35.2  newer-than-a…
               노드-워커        Ready    v1.35.2  ?        v1.35.2  current




             space mark · a mark behind · enter details · U upgrade · ? help · q quit
            """
        #expect(state.screen == expected)
    }

    @Test func wideScreensShowRuntimeAndOSAndFullBadges() {
        let medium = Fixtures.state(width: 120, height: 40).screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(medium.count == 40)
        // At 120 columns the long node name leaves no room for the wide-only columns: they go before anything is cut
        // that matters (the risk badges stay whole).
        let header120 = medium.first { $0.contains("NAME↓") } ?? ""
        #expect(!header120.contains("RUNTIME") && !header120.contains(" OS "))
        let node03At120 = medium.first { $0.contains("node03") } ?? ""
        #expect(node03At120.hasSuffix("too-old              EOL drain blocks-cp"))
        // The long name is cut before the badges are (issue 13: NAME truncates rather than pushing columns off).
        #expect(medium.contains { $0.contains("gpu-worker-with-… gpu") })
        // Without the long name, 150 columns are enough for the runtime (not yet the OS): the room counted first is
        // what a run may show in the other columns (a cordon, its progress before the badges, a probed kubeadm).
        let short = Fixtures.nodes.filter { !$0.name.hasPrefix("gpu-worker") }
        let roomy = Fixtures.state(width: 150, height: 40, data: Fixtures.data(Fixtures.snapshot(nodes: short))).screen
        #expect(roomy.contains("RUNTIME") && roomy.contains("containerd://1.7.24") && !roomy.contains(" OS "))
        let narrower = Fixtures.state(width: 140, height: 40, data: Fixtures.data(Fixtures.snapshot(nodes: short))).screen
        #expect(!narrower.contains("RUNTIME"))

        let wide = Fixtures.state(width: 200, height: 50).screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(wide.count == 50)
        let header200 = wide.first { $0.contains("NAME↓") } ?? ""
        #expect(header200.contains("RUNTIME") && header200.contains(" OS "))
        let node03 = wide.first { $0.contains("node03") } ?? ""
        #expect(node03.contains("Ubuntu 24.04.1 LTS"))
        #expect(node03.contains("EOL drain blocks-cp"))
        let node07 = wide.first { $0.contains("node07") } ?? ""
        #expect(node07.contains("newer-than-apiserver"))
        #expect(wide.contains { $0.contains("Ready,cordoned") })
        #expect(wide.last?.contains("enter details") == true && wide.last?.contains("x clear marks") == true)
    }

    @Test func headerShowsEveryAPIServerWhenTheyDiffer() {
        var snapshot = Fixtures.snapshot()
        snapshot.controlPlaneOverride = ["v1.35.2", "v1.34.4"]
        let state = Fixtures.state(width: 120, height: 40, data: Fixtures.data(snapshot))
        #expect(state.screen.split(separator: "\n", omittingEmptySubsequences: false).first?.contains("API v1.35.2,v1.34.4") == true)
    }

    @Test func filterShowsOnlyMatchingNodesAndSaysSo() {
        var state = Fixtures.state(width: 120, height: 40)
        state.press(.char("/"))
        state.type("node0")
        let editing = state.screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(editing.last == " /node0_   enter keep · esc clear")
        state.press(.enter)
        let lines = state.screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[1].contains("filter \"node0\" 7 shown"))
        let rows = lines.filter { $0.hasPrefix("▸  ") || $0.hasPrefix("   node") || $0.hasPrefix("   cp-") }
        #expect(rows.count == 7)
        #expect(rows.allSatisfy { $0.contains("node0") })
        state.type("/zzz")
        state.press(.enter)
        #expect(state.screen.contains("no node matches \"node0zzz\" (esc clears the filter)"))
    }

    @Test func sortByVerdictPutsTheWorstFirstAndMarksTheColumn() {
        var state = Fixtures.state(width: 120, height: 40)
        state.press(.char("s"))
        let lines = state.screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines.first { $0.contains("NAME") } ?? ""
        #expect(header.contains("SKEW↓"))
        #expect(!header.contains("NAME↓"))
        #expect(lines[1].contains("sort verdict"))
        let firstRow = lines.firstIndex { $0.contains("NAME") }.map { lines[$0 + 1] } ?? ""
        #expect(firstRow.hasPrefix("   node07"))
    }

    @Test func marksShowInTheGutterAndTheHeader() {
        var state = Fixtures.state(width: 120, height: 40)
        state.press(.char(" "), .char(" "))
        let lines = state.screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.contains { $0.hasPrefix(" ● cp-1 ") })
        #expect(lines.contains { $0.hasPrefix(" ● cp-2 ") })
        #expect(lines.contains { $0.hasPrefix("▸  gpu-worker") })
        #expect(lines[1].contains("● 2 marked"))
    }

    @Test func cursorRowIsReverseVideoAcrossTheWholeWidth() {
        let state = Fixtures.state(width: 80, height: 24)
        let grid = DashboardView.render(state)
        let y = grid.lines().firstIndex { $0.hasPrefix("▸  cp-1") } ?? -1
        #expect(y > 0)
        #expect((0..<80).allSatisfy { grid[$0, y].style.reverse })
        #expect(!(0..<80).contains { grid[$0, y + 1].style.reverse })
    }

    @Test func verdictsAreColouredButReadableWithoutColour() {
        let grid = DashboardView.render(Fixtures.state(width: 200, height: 50))
        let lines = grid.lines()
        func styleOf(_ word: String, onRowWith name: String) -> Style? {
            guard let y = lines.firstIndex(where: { $0.contains(name) }) else { return nil }
            let row = lines[y]
            guard let range = row.range(of: word) else { return nil }
            let column = TextWidth.of(row[row.startIndex..<range.lowerBound])
            return grid[column, y].style
        }
        #expect(styleOf("too-old", onRowWith: "node03")?.role == .danger)
        #expect(styleOf("patch-behind", onRowWith: "node01")?.role == .advisory)
        #expect(styleOf("minor-behind", onRowWith: "node02")?.role == .warning)
        #expect(styleOf("current", onRowWith: "node05")?.role == .ok)
        #expect(styleOf("blocks-cp", onRowWith: "node04")?.role == .danger)
    }

    @Test func detailsExplainEachVerdictAndRiskInWords() {
        var state = Fixtures.state(width: 120, height: 40)
        state.press(.char("j"), .char("j"), .char("j"), .char("j"), .char("j"), .char("j"))
        #expect(state.cursorRow?.name == "node03")
        state.press(.enter)
        let text = state.screen
        #expect(text.contains("node node03"))
        #expect(text.contains("kubelet    v1.31.9    too-old"))
        #expect(text.contains("policy: `kubelet` may be up to three minor versions older than `kube-apiserver`"))
        #expect(text.contains("Kubernetes 1.31 reached end of life"))
        #expect(text.contains("blocks-cp"))
        #expect(text.contains("kubeadm    ?"))
        #expect(text.contains("not probed yet: kubeadm's version is read on the node itself"))
        // Scroll to the bottom: nodeInfo, conditions, taints and pods follow.
        for _ in 0..<60 { state.press(.char("j")) }
        let end = state.screen
        #expect(end.contains("Pods on this node (kube-system)"))
        #expect(end.contains("Taints"))
        state.press(.escape)
        #expect(state.overlay == .none)
        #expect(state.screen.contains("▸  node03"))
    }

    @Test func detailsOfAControlPlaneNodeListItsTaintsAndPods() {
        var state = Fixtures.state(width: 200, height: 50)
        state.press(.enter)
        let text = state.screen
        #expect(text.contains("node-role.kubernetes.io/control-plane:NoSchedule"))
        #expect(text.contains("kube-system/kube-apiserver-cp-1"))
        #expect(text.contains("containerd://1.7.24"))
        #expect(text.contains("Ready               True    KubeletReady"))
    }

    @Test func helpListsEveryBindingFromTheKeyMap() {
        var state = Fixtures.state(width: 120, height: 40)
        state.press(.char("?"))
        let text = state.screen
        for binding in state.keyMap.bindings {
            #expect(text.contains(binding.description), "\(binding.description)")
        }
        #expect(text.contains("cordon the marked nodes (asks first)"))
        #expect(text.contains("  current           same version as the API server"))
        var readOnly = Fixtures.state(width: 120, height: 40, readOnly: true)
        readOnly.press(.char("?"))
        #expect(!readOnly.screen.contains("cordon the marked nodes"))
        #expect(readOnly.screen.contains("read-only: cordon, uncordon, drain, upgrade and cluster upgrade are off"))
    }

    @Test func tooSmallTerminalGetsItsOwnScreen() {
        let state = Fixtures.state(width: 59, height: 15)
        let text = state.screen
        #expect(text.contains("terminal too small: 59×15"))
        #expect(text.contains("needs at least 60×15"))
        #expect(!text.contains("NAME"))
        #expect(Fixtures.state(width: 60, height: 14).screen.contains("terminal too small: 60×14"))
        #expect(Fixtures.state(width: 60, height: 15).screen.contains("NAME"))
    }

    @Test func staleWatchSaysSinceWhenAndWhy() {
        var state = Fixtures.state(width: 120, height: 40)
        let since = Date(timeIntervalSince1970: 1_795_000_000 + 3_787) // 2026-11-17 10:03:07 UTC + offset below
        _ = state.update(.watchState(.stale(since: since, reason: "connection refused")))
        let line = state.screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[1]
        let clock = DashboardView.clock(since, TimeZone(identifier: "UTC") ?? .current)
        #expect(line.hasSuffix("stale since \(clock) (connection refused)"))
        #expect(clock.count == 8)
        // A long reason is cut so that the counts stay on screen.
        _ = state.update(.watchState(.stale(since: since, reason: String(repeating: "TLS verification failed ", count: 6))))
        let long = state.screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[1]
        #expect(long.hasPrefix(" 12 nodes: 6 current · 3 behind · 2 unsupported"))
        #expect(long.hasSuffix("…") && long.contains("stale since \(clock) (TLS verification failed"))
        _ = state.update(.watchState(.live))
        #expect(state.screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[1].hasSuffix("◉ live"))
    }

    @Test func asciiGlyphsWhenTheTerminalIsNotUTF8() {
        let state = Fixtures.state(width: 80, height: 24, glyphs: .ascii)
        let text = state.screen
        #expect(text.contains(">  cp-1"))
        #expect(text.contains("gpu-worker-with~"))
        #expect(!text.contains("─") && !text.contains("▸") && !text.contains("…"))
        #expect(text.contains("(o) live"))
    }

    @Test func hostileNamesAreSanitizedBeforeTheyReachTheGrid() {
        var nodes = Fixtures.nodes
        nodes.append(Fixtures.node("evil\u{1B}[2Jname", kubelet: "v1.35.2\u{7}"))
        let state = Fixtures.state(width: 120, height: 40, data: Fixtures.data(Fixtures.snapshot(nodes: nodes)))
        let grid = DashboardView.render(state)
        #expect(!grid.cells.contains { $0.symbol.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } })
        #expect(state.screen.contains("evilname"))
    }

    @Test func confirmationDialogDrawsOverTheTable() {
        var state = Fixtures.state(width: 80, height: 24)
        state.press(.char("c"))
        let text = state.screen
        #expect(text.contains("cordon nodes"))
        #expect(text.contains("Cordon 1 node: cp-1?"))
        #expect(text.contains("y confirm   n/esc cancel"))
    }

    /// kubectl prints NotReady for Ready=False and for Ready=Unknown (a kubelet that stopped reporting); only a node
    /// without the condition is Unknown.
    @Test func readyUnknownIsNotReadyAsKubectlPrintsIt() {
        let nodes = [Fixtures.node("cp-1", kubelet: "v1.35.2", control: true), Fixtures.node("silent", kubelet: "v1.35.2", ready: "Unknown"),
                     Fixtures.node("down", kubelet: "v1.35.2", ready: "False")]
        let state = Fixtures.state(data: Fixtures.data(Fixtures.snapshot(nodes: nodes)))
        #expect(state.rows.first { $0.name == "silent" }?.ready == "NotReady")
        #expect(state.rows.first { $0.name == "down" }?.ready == "NotReady")
    }
}
