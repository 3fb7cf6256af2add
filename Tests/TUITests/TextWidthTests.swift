import CNCursesW
import Glibc
import Testing
@testable import TUI

/// Parity with the C library: ncursesw places characters by `wcwidth`, so ours must agree or columns drift.
@Suite(.serialized)
struct TextWidthParityTests {
    @Test func everyCodePointMatchesGlibcWcwidthUnderCUTF8() throws {
        let previous = String(cString: setlocale(LC_ALL, nil))
        defer { _ = setlocale(LC_ALL, previous) }
        try #require(setlocale(LC_ALL, "C.UTF-8") != nil, "the C.UTF-8 locale is needed for this test")
        var mismatches: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let expected = Int(cnc_wcwidth(value))
            let actual = TextWidth.of(scalar: scalar)
            if expected != actual && mismatches.count < 10 {
                mismatches.append("U+\(String(value, radix: 16, uppercase: true)): wcwidth \(expected), ours \(actual)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func glyphsTheScreensUseAreOneColumnInTheCLibrary() throws {
        let previous = String(cString: setlocale(LC_ALL, nil))
        defer { _ = setlocale(LC_ALL, previous) }
        try #require(setlocale(LC_ALL, "C.UTF-8") != nil)
        let g = Glyphs.unicode
        for glyph in [g.horizontal, g.vertical, g.topLeft, g.topRight, g.bottomLeft, g.bottomRight, g.cursor, g.mark,
                      g.ellipsis, g.live, g.separator, g.ok, g.warn, g.bad, g.sortArrow] {
            let scalar = try #require(glyph.unicodeScalars.first)
            #expect(cnc_wcwidth(scalar.value) == 1, "\(glyph)")
            #expect(TextWidth.of(glyph) == 1, "\(glyph)")
        }
    }
}

struct TextWidthTests {
    @Test func cjkAndEmojiTakeTwoColumns() {
        #expect(TextWidth.of("노드") == 4)
        #expect(TextWidth.of("节点") == 4)
        #expect(TextWidth.of("😀") == 2)
        #expect(TextWidth.of("node-😀") == 7)
        #expect(TextWidth.of("ｗｉｄｅ") == 8)
    }

    @Test func combiningMarksAndSequencesFollowTheBaseCharacter() {
        #expect(TextWidth.of("e\u{301}") == 1)
        #expect(TextWidth.of("👍🏽") == 2)
        #expect(TextWidth.of("👨‍👩‍👧") == 2)
        #expect(TextWidth.of("🇩🇪") == 2)
        #expect(TextWidth.of("❤️") == 2)
        #expect(TextWidth.of("❤") == 1)
    }

    @Test func truncationEndsInEllipsisAndNeverSplitsAWideCharacter() {
        #expect(TextWidth.truncate("worker-node-0001", to: 8) == "worker-…")
        #expect(TextWidth.truncate("short", to: 8) == "short")
        #expect(TextWidth.truncate("노드노드", to: 4) == "노…")
        #expect(TextWidth.of(TextWidth.truncate("노드노드", to: 4)) == 3)
        #expect(TextWidth.truncate("abc", to: 0) == "")
        #expect(TextWidth.fit("ab", to: 4) == "ab  ")
        #expect(TextWidth.fit("ab", to: 4, alignRight: true) == "  ab")
        #expect(TextWidth.truncate("abcdef", to: 4, ellipsis: "~") == "abc~")
    }
}
