import Testing
@testable import TUI

struct GridTests {
    @Test func wideCharactersTakeTwoCellsAndLinesReadBack() {
        var grid = Grid(width: 10, height: 2)
        let used = grid.put("노드-a", x: 1, y: 0)
        #expect(used == 6)
        #expect(grid[1, 0].symbol == "노")
        #expect(grid[2, 0].isContinuation)
        #expect(grid[3, 0].symbol == "드")
        #expect(grid.lines() == [" 노드-a", ""])
    }

    @Test func textIsClippedAtTheEdgeAndAtMaxWidth() {
        var grid = Grid(width: 6, height: 1)
        grid.put("abcdefgh", x: 2, y: 0)
        #expect(grid.line(0) == "  abcd")
        grid = Grid(width: 10, height: 1)
        grid.put("abcdefgh", x: 0, y: 0, maxWidth: 3)
        #expect(grid.line(0) == "abc")
    }

    @Test func aWideCharacterThatDoesNotFitBecomesABlank() {
        var grid = Grid(width: 3, height: 1)
        grid.put("a노드", x: 0, y: 0)
        #expect(grid.line(0) == "a노")
        var narrow = Grid(width: 2, height: 1)
        narrow.put("a노", x: 0, y: 0)
        #expect(narrow.line(0) == "a")
        #expect(!narrow[1, 0].isContinuation)
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var grid = Grid(width: 4, height: 1)
        grid.put("노드", x: 0, y: 0)
        grid.put("x", x: 1, y: 0)
        #expect(grid.line(0) == " x드")
        #expect(!grid[1, 0].isContinuation)
    }

    @Test func controlCharactersNeverReachTheGrid() {
        var grid = Grid(width: 10, height: 1)
        grid.put("a\u{1B}b\u{7}", x: 0, y: 0)
        #expect(grid.line(0) == "a\u{FFFD}b\u{FFFD}")
    }

    @Test func spansAreCutWithAnEllipsisAndPadded() {
        var grid = Grid(width: 12, height: 2)
        grid.put([Span("too-old", Style(.danger)), Span(" EOL", Style(.warning))], x: 0, y: 0, width: 8, ellipsis: "…")
        #expect(grid.line(0) == "too-old…")
        #expect(grid[0, 0].style.role == .danger)
        grid.put([Span("ok")], x: 0, y: 1, width: 6, ellipsis: "…", alignRight: true)
        #expect(grid.line(1) == "    ok")
    }

    @Test func fillAndRestyleStayInsideTheGrid() {
        var grid = Grid(width: 4, height: 2)
        grid.fill(Rect(x: 2, y: 1, width: 10, height: 10), with: Cell("#"))
        #expect(grid.lines() == ["", "  ##"])
        grid.restyle(Rect(x: 0, y: 1, width: 4, height: 1)) { $0.reversed }
        #expect(grid[3, 1].style.reverse)
        #expect(!grid[3, 0].style.reverse)
    }
}

struct ColorAndGlyphTests {
    @Test func noColorWinsOverEverything() {
        #expect(ColorMode.requested(noColorFlag: true, environment: [:]) == .none)
        #expect(ColorMode.requested(noColorFlag: false, environment: ["NO_COLOR": "1"]) == .none)
        #expect(ColorMode.requested(noColorFlag: false, environment: ["NO_COLOR": ""]) == .palette256)
    }

    @Test func terminalCapabilityLimitsTheRequest() {
        #expect(ColorMode.palette256.limited(toTerminalColors: 256, hasColors: true) == .palette256)
        #expect(ColorMode.palette256.limited(toTerminalColors: 8, hasColors: true) == .eight)
        #expect(ColorMode.palette256.limited(toTerminalColors: 0, hasColors: false) == .none)
        #expect(ColorMode.none.limited(toTerminalColors: 256, hasColors: true) == .none)
    }

    @Test func asciiGlyphsWhenTheLocaleIsNotUTF8() {
        #expect(Glyphs.forCodeset("UTF-8") == .unicode)
        #expect(Glyphs.forCodeset("utf8") == .unicode)
        #expect(Glyphs.forCodeset("ANSI_X3.4-1968") == .ascii)
        let ascii = Glyphs.ascii
        for glyph in [ascii.horizontal, ascii.cursor, ascii.mark, ascii.ellipsis, ascii.live, ascii.ok, ascii.warn] {
            #expect(glyph.allSatisfy { $0.isASCII })
        }
    }
}

struct LayoutTests {
    @Test func fixedPartsFirstThenFillShares() {
        let rows = Layout.vertical(Rect(x: 0, y: 0, width: 80, height: 24), [.length(1), .fill(1), .length(1)])
        #expect(rows.map(\.height) == [1, 22, 1])
        #expect(rows[2].y == 23)
        let cols = Layout.horizontal(Rect(x: 0, y: 0, width: 10, height: 1), [.fill(1), .fill(1), .length(3)])
        #expect(cols.map(\.width) == [3, 4, 3])
        let tight = Layout.vertical(Rect(x: 0, y: 0, width: 1, height: 3), [.length(2), .length(2), .fill(1)])
        #expect(tight.map(\.height) == [2, 1, 0])
        #expect(Layout.sizes(total: 100, [.percentage(30), .min(10)]) == [30, 70])
    }

    @Test func rectGeometry() {
        let r = Rect(x: 2, y: 2, width: 10, height: 6)
        #expect(r.inset(by: 1) == Rect(x: 3, y: 3, width: 8, height: 4))
        #expect(r.centered(width: 4, height: 2) == Rect(x: 5, y: 4, width: 4, height: 2))
        #expect(r.intersection(Rect(x: 10, y: 0, width: 10, height: 3)) == Rect(x: 10, y: 2, width: 2, height: 1))
    }
}
