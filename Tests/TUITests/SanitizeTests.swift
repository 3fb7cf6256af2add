import Testing
@testable import TUI

/// The screen's policy on top of the shared scanner: sequences go, tabs become spaces, controls become `�`.
struct SanitizeTests {
    @Test func escapeSequencesAreRemovedAndControlsReplaced() {
        #expect(Sanitize.forScreen("\u{1B}[31mred\u{1B}[0m") == "red")
        #expect(Sanitize.forScreen("\u{1B}]0;title\u{7}after") == "after")
        #expect(Sanitize.forScreen("a\tb") == "a b")
        #expect(Sanitize.forScreen("bell\u{7}") == "bell\u{FFFD}")
        #expect(Sanitize.forScreen("노드\r\n") == "노드\u{FFFD}\u{FFFD}")
        #expect(Sanitize.forScreen("del\u{7F}nel\u{85}") == "del\u{FFFD}nel\u{FFFD}")
    }

    @Test func printableTextIsUnchanged() {
        for text in ["node01", "v1.35.2-eks-1a2b3c", "Ubuntu 24.04.1 LTS", "노드-워커 ✓", ""] {
            #expect(Sanitize.forScreen(text) == text)
        }
    }
}

/// Finding 10 of the safety issue: a node label such as `worker\u{202E}lortnoc` made the screen read backwards.
/// Every bidirectional formatting character (Unicode's Bidi_Control set: embeddings, overrides, isolates and the
/// marks) is removed from cluster text before it is drawn, as it is from command output.
struct BidiControlTests {
    static let bidiControls: [Unicode.Scalar] = [
        "\u{061C}", "\u{200E}", "\u{200F}", "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}",
        "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}",
    ]

    @Test func bidiControlsNeverReachTheScreen() {
        for control in Self.bidiControls {
            let shown = Sanitize.forScreen("worker\(control)lortnoc")
            #expect(!shown.unicodeScalars.contains(control), "U+\(String(control.value, radix: 16)) survived")
            #expect(shown == "workerlortnoc")
        }
    }

    @Test func aNodeRowNeverCarriesABidiOverride() {
        let row = Sanitize.forScreen("node01 \u{2066}\u{202E}renim\u{2069}")
        #expect(!row.unicodeScalars.contains { $0.properties.isBidiControl })
    }
}
