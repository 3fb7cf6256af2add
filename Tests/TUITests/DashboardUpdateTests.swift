import Foundation
import Testing
@testable import TUI

/// `update` alone: keys in, state and effects out, no terminal.
struct DashboardUpdateTests {
    @Test func arrowsAndVimKeysMoveAndStopAtTheEnds() {
        var state = Fixtures.state()
        #expect(state.cursorRow?.name == "cp-1")
        state.press(.char("j"), .down)
        #expect(state.cursorRow?.name == "gpu-worker-with-a-really-long-name-0001")
        state.press(.char("k"))
        #expect(state.cursorRow?.name == "cp-2")
        state.press(.up, .up, .up)
        #expect(state.cursorRow?.name == "cp-1")
        state.press(.char("G"))
        #expect(state.cursorRow?.name == "노드-워커")
        state.press(.down)
        #expect(state.cursorRow?.name == "노드-워커")
        state.press(.char("g"))
        #expect(state.cursor == 0)
    }

    @Test func scrollingKeepsTheCursorOnScreen() {
        var state = Fixtures.state(width: 80, height: 24, data: Fixtures.bigData(count: 300))
        let visible = state.tableBodyHeight
        #expect(visible == 16)
        state.press(.pageDown)
        #expect(state.cursor == visible - 1)
        state.press(.pageDown)
        #expect(state.scrollTop > 0)
        #expect(state.cursor >= state.scrollTop && state.cursor < state.scrollTop + visible)
        state.press(.char("G"))
        #expect(state.cursor == 300)
        #expect(state.scrollTop == 301 - visible)
        let shown = state.screen
        #expect(shown.contains("▸  worker-00299"))
        #expect(shown.contains("301/301"))
        _ = state.update(.resize(width: 80, height: 60))
        #expect(state.scrollTop == 301 - state.tableBodyHeight)
    }

    @Test func filterTypingEnterKeepsEscClears() {
        var state = Fixtures.state()
        state.press(.char("/"))
        #expect(state.isEditingFilter)
        state.type("too")
        #expect(state.visibleRows.map(\.name) == ["node03"])
        state.press(.backspace)
        #expect(state.filter == "to")
        state.type("o")
        state.press(.enter)
        #expect(!state.isEditingFilter)
        #expect(state.filter == "too")
        // Keys act on the table again, the filter stays.
        state.press(.char("j"))
        #expect(state.filter == "too")
        state.press(.escape)
        #expect(state.filter.isEmpty)
        #expect(state.visibleRows.count == 12)
        state.press(.char("/"))
        state.type("EOL")
        state.press(.escape)
        #expect(state.filter.isEmpty && !state.isEditingFilter)
    }

    @Test func filterMatchesRolesVerdictsAndBadgesToo() {
        var state = Fixtures.state()
        state.setFilter("control")
        #expect(state.visibleRows.map(\.name) == ["cp-1", "cp-2"])
        state.setFilter("blocks-cp")
        #expect(state.visibleRows.map(\.name) == ["node03", "node04"])
        state.setFilter("노드")
        #expect(state.visibleRows.map(\.name) == ["노드-워커"])
    }

    @Test func sortCyclesNameVerdictKubeletRole() {
        var state = Fixtures.state()
        #expect(state.sort == .name)
        state.press(.char("s"))
        #expect(state.sort == .verdict)
        #expect(state.visibleRows.prefix(3).map(\.name) == ["node07", "node03", "node-bad"])
        state.press(.char("s"))
        #expect(state.sort == .kubelet)
        #expect(state.visibleRows.prefix(3).map(\.name) == ["node-bad", "node03", "node04"])
        #expect(state.visibleRows.last?.name == "node07")
        state.press(.char("s"))
        #expect(state.sort == .role)
        #expect(state.visibleRows.prefix(2).map(\.name) == ["cp-1", "cp-2"])
        #expect(state.visibleRows[2].role == "gpu")
        state.press(.char("s"))
        #expect(state.sort == .name)
    }

    @Test func theCursorFollowsItsNodeThroughSortAndFilter() {
        var state = Fixtures.state()
        state.press(.char("G"))
        #expect(state.cursorRow?.name == "노드-워커")
        state.press(.char("s"))
        #expect(state.cursorRow?.name == "노드-워커")
        state.setFilter("워커")
        #expect(state.cursorRow?.name == "노드-워커")
        // Filtered out: the cursor stays at its place in the list, inside the list.
        state.setFilter("node0")
        #expect(state.cursor < state.order.count)
        #expect(state.cursorRow?.name.hasPrefix("node0") == true)
    }

    @Test func spaceMarksAndMovesOnAMarksBehindXClears() {
        var state = Fixtures.state()
        state.press(.char(" "))
        #expect(state.marks == ["cp-1"])
        #expect(state.cursorRow?.name == "cp-2")
        state.press(.char("k"), .char(" "))
        #expect(state.marks.isEmpty)
        state.press(.char("a"))
        #expect(state.marks == ["node01", "node02", "node03", "node04", "node07"])
        #expect(state.flash == "marked 5 nodes that are behind or unsupported")
        state.press(.char("x"))
        #expect(state.marks.isEmpty)
    }

    @Test func dangerousKeysAskFirstAndActOnTheMarkedNodes() {
        var state = Fixtures.state()
        state.press(.char("a"))
        #expect(state.press(.char("c")).isEmpty)
        guard case .confirm(let dialog) = state.overlay else {
            Issue.record("no confirmation for c")
            return
        }
        #expect(dialog.message.first == "Cordon 5 nodes: node01, node02, node03 and 2 more?")
        let effects = state.press(.char("y"))
        #expect(effects == [.nodeAction(NodeActionRequest(kind: .cordon,
                                                          nodes: ["node01", "node02", "node03", "node04", "node07"], id: 1))])
        #expect(state.overlay == .none)
        #expect(state.flash == "cordon of node01, node02, node03 and 2 more started")
        // While the cordon runs, no upgrade starts on top of it.
        #expect(state.press(.char("U")).isEmpty)
        #expect(state.flash == "cordon of node01 in progress: wait for it, or stop it (A)")
        for node in ["node01", "node02", "node03", "node04", "node07"] {
            _ = state.update(.nodeAction(.finished(requestID: 1, node: node, succeeded: true, exitStatus: nil, outcome: "\(node) cordoned")))
        }
        // U asks through the plan review (UpgradeScreenTests): nothing runs before the reviewed plan is confirmed.
        #expect(state.press(.char("U")) == [.upgrade(.plan(nodes: ["node01", "node02", "node03", "node04", "node07"]))])
    }

    @Test func withoutMarksAnActionTakesTheCursorNodeAndNoCancels() {
        var state = Fixtures.state()
        state.press(.char("j"))
        state.press(.char("r"))
        #expect(state.press(.char("n")).isEmpty)
        #expect(state.overlay == .none)
        state.press(.char("c"))
        #expect(state.press(.escape).isEmpty)
        state.press(.char("u"))
        #expect(state.press(.char("y")) == [.nodeAction(NodeActionRequest(kind: .uncordon, nodes: ["cp-2"], id: 1))])
    }

    @Test func readOnlyUnbindsDangerousKeysAndHidesThemFromTheFooter() {
        var state = Fixtures.state(width: 200, height: 50, readOnly: true)
        for key in ["c", "u", "r", "U"] {
            #expect(state.press(.char(Character(key))).isEmpty)
            #expect(state.overlay == .none)
        }
        #expect(state.keyMap.bindings.allSatisfy { !$0.dangerous })
        let footer = state.screen.split(separator: "\n").last.map(String.init) ?? ""
        #expect(!footer.contains("cordon") && !footer.contains("upgrade") && !footer.contains("drain"))
        #expect(footer.contains("space mark"))
        let full = Fixtures.state(width: 200, height: 50).screen.split(separator: "\n").last.map(String.init) ?? ""
        #expect(full.contains("U upgrade") && full.contains("c cordon") && full.contains("r drain"))
    }

    @Test func qQuitsAndCtrlCAsksFirst() {
        var state = Fixtures.state()
        #expect(state.press(.char("q")) == [.quit])
        var asked = Fixtures.state()
        #expect(asked.press(.ctrl("c")).isEmpty)
        #expect(asked.screen.contains("Quit kubeskew?"))
        #expect(asked.press(.char("n")).isEmpty)
        #expect(asked.overlay == .none)
        asked.press(.ctrl("c"))
        #expect(asked.press(.char("y")) == [.quit])
        var twice = Fixtures.state()
        twice.press(.ctrl("c"))
        #expect(twice.press(.ctrl("c")) == [.quit])
    }

    @Test func detailsAndHelpOpenAndClose() {
        var state = Fixtures.state()
        state.press(.enter)
        #expect(state.overlay == .details(node: "cp-1", scroll: 0))
        state.press(.char("j"), .char("j"), .char("k"))
        #expect(state.overlay == .details(node: "cp-1", scroll: 1))
        state.press(.char("q"))
        #expect(state.overlay == .none)
        state.press(.char("?"))
        #expect(state.overlay == .help(scroll: 0))
        state.press(.escape)
        #expect(state.overlay == .none)
    }

    @Test func aNewSnapshotKeepsTheCursorNodeAndDropsMarksOfVanishedNodes() {
        var state = Fixtures.state()
        state.press(.char("j"), .char("j"), .char(" "))
        state.press(.char("G"), .char(" "))
        #expect(state.marks == ["gpu-worker-with-a-really-long-name-0001", "노드-워커"])
        let fewer = Fixtures.nodes.filter { $0.name != "gpu-worker-with-a-really-long-name-0001" }
        _ = state.update(.snapshotChanged(Fixtures.data(Fixtures.snapshot(nodes: fewer))))
        #expect(state.marks == ["노드-워커"])
        #expect(state.cursorRow?.name == "노드-워커")
        #expect(state.rows.count == 11)
    }

    @Test func aChangedNodeShowsItsNewVerdict() {
        var state = Fixtures.state()
        #expect(state.rows.first { $0.name == "node01" }?.verdict == .patchBehind)
        var nodes = Fixtures.nodes
        if let i = nodes.firstIndex(where: { $0.name == "node01" }) {
            nodes[i] = Fixtures.node("node01", kubelet: "v1.35.2")
        }
        _ = state.update(.snapshotChanged(Fixtures.data(Fixtures.snapshot(nodes: nodes))))
        #expect(state.rows.first { $0.name == "node01" }?.verdict == .current)
        #expect(state.screen.contains("6 current") == false)
        #expect(state.screen.contains("7 current"))
    }

    @Test func tooSmallScreenOnlyQuits() {
        var state = Fixtures.state(width: 40, height: 10)
        #expect(state.press(.char("j")).isEmpty)
        #expect(state.cursor == 0)
        #expect(state.press(.char("q")) == [.quit])
    }

    @Test func noticesShowInTheFooterUntilTheNextKey() {
        var state = Fixtures.state()
        _ = state.update(.notice("cordon node01: offline input, nothing to act on"))
        #expect(state.screen.split(separator: "\n").last.map(String.init) == " cordon node01: offline input, nothing to act on")
        state.press(.char("j"))
        #expect(state.flash == nil)
    }
}

/// Key-to-frame cost on a 5,000-node cluster (the input path: update plus view of the visible rows).
struct DashboardScaleTests {
    @Test func keyPressToFrameStaysCheapAt5000Nodes() {
        var state = Fixtures.state(width: 200, height: 50, data: Fixtures.bigData(count: 5000))
        #expect(state.rows.count == 5001)
        var samples: [Duration] = []
        for i in 0..<200 {
            let key: Key = i % 3 == 0 ? .char("k") : .char("j")
            // This thread's CPU time, not the wall clock: the whole suite on two cores (load 20 and more) stretches
            // wall time tenfold, while the work a key costs stays what it is.
            let start = Self.threadCPUTime()
            _ = state.update(.key(key))
            _ = DashboardView.render(state)
            samples.append(Self.threadCPUTime() - start)
        }
        samples.sort()
        let median = samples[samples.count / 2]
        print("5000 nodes: key press → frame median \(median), p95 \(samples[samples.count * 95 / 100])")
        // Debug build on a shared 2-core machine (2-4 ms median when quiet): the 5 ms target is for release; this
        // bound catches regressions such as re-sorting or rebuilding 5,000 rows on every key (~100 ms and more).
        #expect(median < .milliseconds(60))
    }

    static func threadCPUTime() -> Duration {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
    }
}
