import Testing
@testable import NodeExec

@Suite("OutputScrollback: bounded memory")
struct OutputScrollbackTests {
    func line(_ text: String) -> OutputLine {
        OutputLine(source: .stdout, content: OutputSanitizer().sanitize(text))
    }

    @Test("the line cap keeps the newest lines and counts the dropped ones")
    func lineCap() {
        var scrollback = OutputScrollback(maxLines: 3, maxBytes: 1 << 20)
        for i in 1...10 { scrollback.append(line("line \(i)")) }
        #expect(scrollback.lines.map(\.text) == ["line 8", "line 9", "line 10"])
        #expect(scrollback.droppedLineCount == 7)
        #expect(scrollback.totalLineCount == 10)
    }

    @Test("the byte cap holds whatever the line sizes, even for 100 MB of input")
    func byteCap() {
        var scrollback = OutputScrollback(maxLines: 1_000_000, maxBytes: 256 << 10)
        let big = line(String(repeating: "x", count: 4000))
        var appended = 0
        while appended < 100_000_000 {
            scrollback.append(big)
            appended += big.text.utf8.count
            #expect(scrollback.byteCount <= 256 << 10)
        }
        #expect(scrollback.count == (256 << 10) / OutputScrollback.cost(of: big))
        #expect(scrollback.byteCount == scrollback.lines.reduce(0) { $0 + OutputScrollback.cost(of: $1) })
    }

    @Test("a line larger than the whole budget empties the buffer and the next line fits again")
    func oversizedLine() {
        var scrollback = OutputScrollback(maxLines: 10, maxBytes: 200)
        scrollback.append(line("small"))
        scrollback.append(line(String(repeating: "y", count: 500)))
        #expect(scrollback.count == 0)
        scrollback.append(line("after"))
        #expect(scrollback.lines.map(\.text) == ["after"])
        #expect(scrollback.suffix(5).map(\.text) == ["after"])
    }
}
