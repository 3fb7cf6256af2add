import Foundation
import KubeModel
import SkewCore
import Testing
@testable import TUI

/// Issue 13: "At 80 columns the help overlay re-wraps into ragged one-to-three-word lines, help and details ignore
/// `PgDn` and `G`, and the drain dialog is cut off ('--force (pods without a controller are gone for go')."
struct OverlayLayoutTests {
    /// The text inside the panel's border, one string per row.
    static func panelRows(_ state: DashboardState) -> [String] {
        state.screen.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line -> String? in
            guard line.hasPrefix("│"), line.hasSuffix("│") else { return nil }
            return String(line.dropFirst().dropLast())
        }
    }

    /// Help's prose at 80 columns: two lines in a row that both start at the margin belong to one paragraph, and
    /// greedy wrapping never leaves room on the first for the second's first word (no ragged short lines).
    @Test func helpProseIsFilledAt80Columns() {
        var state = Fixtures.state(width: 80, height: 200)
        state.press(.char("?"))
        let rows = Self.panelRows(state).map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
        let inner = (Self.panelRows(state).first.map { TextWidth.of($0) } ?? 78) - 1
        var checked = 0
        for (a, b) in zip(rows, rows.dropFirst()) where a.hasPrefix(" ") && !a.hasPrefix("  ") && b.hasPrefix(" ") && !b.hasPrefix("  ") {
            let first = b.dropFirst().split(separator: " ").first.map(String.init) ?? ""
            #expect(TextWidth.of(a) + 1 + TextWidth.of(first) > inner, "ragged line:\n\(a)\n\(b)")
            checked += 1
        }
        #expect(checked >= 5)
        // A list row too long for the screen wraps under its description, not at the margin.
        let behind = rows.firstIndex { $0.contains("patch-behind      supported") }
        #expect(behind != nil)
        if let behind, behind + 1 < rows.count, !rows[behind].contains("(security fixes)") {
            let description = rows[behind].range(of: "supported").map { rows[behind].distance(from: rows[behind].startIndex, to: $0.lowerBound) } ?? 0
            let next = rows[behind + 1]
            #expect(next.prefix { $0 == " " }.count == description, "not a hanging indent:\n\(rows[behind])\n\(next)")
        }
    }

    @Test func helpScrollsWithPageDownAndEnd() {
        var state = Fixtures.state(width: 80, height: 24)
        state.press(.char("?"))
        let top = Self.panelRows(state)
        state.press(.pageDown)
        guard case .help(let paged) = state.overlay else { Issue.record("help closed"); return }
        #expect(paged > 1)
        #expect(Self.panelRows(state) != top)
        state.press(.char("G"))
        let bottom = state.screen
        #expect(bottom.contains("Help and details scroll like the table"), "G did not reach the end")
        // From the end, one line up moves at once (the scroll is kept within the text).
        state.press(.char("k"))
        #expect(state.screen != bottom)
        state.press(.char("g"))
        #expect(Self.panelRows(state) == top)
        state.press(.end)
        #expect(state.screen == bottom)
        state.press(.home, .ctrl("f"))
        #expect(Self.panelRows(state) != top)
    }

    @Test func detailsScrollWithPageDownAndEnd() {
        var state = Fixtures.state(width: 80, height: 24)
        state.press(.enter)
        let top = Self.panelRows(state)
        state.press(.pageDown)
        #expect(Self.panelRows(state) != top)
        state.press(.char("G"))
        let bottom = state.screen
        #expect(bottom.contains("Pods on this node"), "G did not reach the pods")
        state.press(.char("k"))
        #expect(state.screen != bottom)
        state.press(.char("g"))
        #expect(Self.panelRows(state) == top)
    }

    @Test func drainDialogShowsItsWholeTextAt80x24() {
        var state = Fixtures.state(width: 80, height: 24)
        state.press(.char("r"))
        guard case .drain = state.overlay else { Issue.record("r did not open the drain dialog"); return }
        let text = Self.panelRows(state).joined(separator: "\n")
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        for phrase in ["--force (pods without a controller are gone for good)",
                       "--disable-eviction (bypasses PodDisruptionBudgets)",
                       "--delete-emptydir-data (that data is lost)",
                       "kubectl drain NODE --ignore-daemonsets --timeout=300s",
                       "j/k move · space toggle · digits edit · enter/y drain · esc cancel"] {
            #expect(words.contains(phrase), "cut: \(phrase)\n\(text)")
        }
        #expect(!text.contains("…"))
    }

    @Test func drainDialogWrapsEveryFlagWhenAllAreOn() {
        var state = Fixtures.state(width: 80, height: 24)
        state.press(.char("r"))
        state.press(.char("k"), .char("k"), .char(" "), .char("k"), .char(" "), .char("k"), .char(" "), .char("k"), .char(" "), .char("k"), .char(" "))
        let text = Self.panelRows(state).joined(separator: "\n")
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        let command = words.range(of: "kubectl drain NODE").map { String(words[$0.upperBound...]) } ?? ""
        for flag in ["--delete-emptydir-data", "--force", "--disable-eviction", "--grace-period=30", "--timeout=300s"] {
            #expect(command.contains(flag + " "), "\(flag):\n\(text)")
        }
        #expect(!text.contains("…"))
    }
}
