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
