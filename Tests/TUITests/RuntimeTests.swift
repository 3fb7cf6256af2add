import Foundation
import Glibc
import Testing
@testable import TUI

struct InboxTests {
    @Test func postsFromManyTasksAllArriveAndWakeThePoll() async throws {
        let inbox = try DashboardInbox()
        await withTaskGroup(of: Void.self) { group in
            for t in 0..<8 {
                group.addTask {
                    for i in 0..<500 { inbox.post(.notice("\(t)-\(i)")) }
                }
            }
        }
        var fds = [pollfd(fd: inbox.readFD, events: Int16(POLLIN), revents: 0)]
        #expect(poll(&fds, 1, 1000) == 1)
        let items = inbox.drain()
        #expect(items.count == 4000)
        // Drained: the pipe is empty again and a new post wakes it once more.
        fds[0].revents = 0
        #expect(poll(&fds, 1, 0) == 0)
        inbox.post(.tick(Date()))
        #expect(poll(&fds, 1, 1000) == 1)
        #expect(inbox.drain().count == 1)
    }

    @Test func aBurstOfSnapshotsCollapsesToTheNewestAndKeysKeepTheirOrder() throws {
        let inbox = try DashboardInbox()
        let big = Fixtures.bigData(count: 50)
        for _ in 0..<5000 { inbox.post(.snapshotChanged(big)) }
        inbox.post(.notice("first"))
        let last = Fixtures.data()
        inbox.post(.snapshotChanged(last))
        inbox.post(.notice("second"))
        let batch = InboxBatch(inbox.drain())
        #expect(!batch.shutdown)
        #expect(batch.messages.count == 3)
        guard case .snapshotChanged(let data) = batch.messages.first else {
            Issue.record("the snapshot is not first")
            return
        }
        #expect(data.snapshot.nodes.count == 12)
        let notices = batch.messages.compactMap { message -> String? in
            if case .notice(let text) = message { return text }
            return nil
        }
        #expect(notices == ["first", "second"])
    }

    @Test func shutdownIsSeen() throws {
        let inbox = try DashboardInbox()
        inbox.post(.tick(Date()))
        inbox.requestShutdown(reason: "signal 15")
        #expect(InboxBatch(inbox.drain()).shutdown)
    }
}

struct KeyDecodingTests {
    @Test func rawBytesBecomeKeys() {
        #expect(Key.fromByte(0x03) == .ctrl("c"))
        #expect(Key.fromByte(0x0D) == .enter)
        #expect(Key.fromByte(0x0A) == .enter)
        #expect(Key.fromByte(0x1B) == .escape)
        #expect(Key.fromByte(0x7F) == .backspace)
        #expect(Key.fromByte(0x20) == .char(" "))
        #expect(Key.fromByte(0x55) == .char("U"))
        #expect(Key.fromByte(0x09) == .tab)
        #expect(Key.fromByte(0x80) == nil)
        #expect(Key.char(" ").description == "space")
        #expect(Key.ctrl("c").description == "ctrl-c")
    }

    @Test func keyMapLabelsAndLookups() {
        let map = KeyMap.dashboard(readOnly: false)
        #expect(map.action(for: .down) == .moveDown)
        #expect(map.action(for: .char("j")) == .moveDown)
        #expect(map.binding(of: .moveDown)?.keyLabel == "j/↓")
        #expect(map.binding(for: .char("U"))?.dangerous == true)
        #expect(map.action(for: .char("Z")) == nil)
        let dangerous = map.bindings.filter(\.dangerous).map(\.action)
        #expect(Set(dangerous) == [.cordon, .uncordon, .drain, .upgrade, .upgradeCluster])
        #expect(KeyMap.dashboard(readOnly: true).action(for: .char("c")) == nil)
    }

    @Test func footerAlwaysKeepsHelpAndQuit() {
        var grid = Grid(width: 30, height: 1)
        Footer.render(into: &grid, area: grid.bounds, keyMap: .dashboard(readOnly: false), glyphs: .unicode)
        // Issue 13: upgrade, what kubeskew is for, is the next hint kept.
        #expect(grid.line(0) == " U upgrade · ? help · q quit")
        var wide = Grid(width: 200, height: 1)
        Footer.render(into: &wide, area: wide.bounds, keyMap: .dashboard(readOnly: false), glyphs: .unicode)
        #expect(wide.line(0).hasPrefix(" space mark · a mark behind · / filter · s sort · enter details · U upgrade"))
        #expect(wide.line(0).hasSuffix("x clear marks · ? help · q quit"))
    }
}

struct TableFitTests {
    let columns = [
        TableColumn("NAME", minWidth: 10, maxWidth: 40, priority: 100),
        TableColumn("A", minWidth: 5, maxWidth: 20, priority: 50),
        TableColumn("B", minWidth: 5, maxWidth: 20, priority: 10),
        TableColumn("WIDE", minWidth: 8, maxWidth: 8, priority: 1, wideOnly: true),
    ]

    @Test func everythingFitsAtNaturalWidth() {
        #expect(TableFit.widths(columns, natural: [12, 6, 6, 8], available: 40) == [12, 6, 6, 8])
    }

    @Test func wideOnlyColumnsGoFirstThenLowPriorityColumnsShrink() {
        #expect(TableFit.widths(columns, natural: [12, 6, 6, 8], available: 30) == [12, 6, 6, 0])
        #expect(TableFit.widths(columns, natural: [12, 10, 10, 8], available: 30) == [12, 10, 6, 0])
    }

    @Test func columnsDropByPriorityWhenMinimumsDoNotFit() {
        #expect(TableFit.widths(columns, natural: [12, 6, 6, 8], available: 18) == [12, 5, 0, 0])
        #expect(TableFit.widths(columns, natural: [12, 6, 6, 8], available: 9) == [9, 0, 0, 0])
    }

    @Test func longContentIsCutToAComfortableWidthBeforeOthersShrink() {
        #expect(TableFit.widths(columns, natural: [40, 10, 10, 8], available: 50) == [28, 10, 10, 0])
    }
}

/// Applying a 5,000-node snapshot (rows, widths, order) happens once per loop pass at most.
struct SnapshotScaleTests {
    @Test func applyingA5000NodeSnapshotIsFastEnoughToCoalesceBursts() {
        let data = Fixtures.bigData(count: 5000)
        var state = Fixtures.state(width: 200, height: 50, data: Fixtures.data())
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<5 { _ = state.update(.snapshotChanged(data)) }
        }
        print("5000 nodes: snapshot applied in \(elapsed / 5) (debug build)")
        let prepared = data.preparingRows()
        var fast = Fixtures.state(width: 200, height: 50, data: Fixtures.data())
        let preparedElapsed = clock.measure {
            for _ in 0..<5 { _ = fast.update(.snapshotChanged(prepared)) }
        }
        print("5000 nodes: prepared snapshot applied in \(preparedElapsed / 5) (debug build)")
        #expect(fast.rows == state.rows)
        #expect(fast.order == state.order)
        #expect(fast.naturalWidths == state.naturalWidths)
        #expect(state.rows.count == 5001)
        // The time is printed, not asserted: a busy CI machine must not decide the outcome (scripts/bench-dashboard
        // measures the dashboard's speed on a release build).
    }
}

struct EmbeddedHelpTests {
    @Test func embeddedHelpMatchesTheAssetFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = try String(contentsOf: root.appendingPathComponent("Assets/help/dashboard.txt"), encoding: .utf8)
        // The embedding script's string literal ends before the file's last newline.
        let expected = file.hasSuffix("\n") ? String(file.dropLast()) : file
        #expect(EmbeddedHelp.files["dashboard.txt"] == expected, "run scripts/embed-assets after editing Assets/help")
    }
}
