import Testing
@testable import NodeExec
@testable import TerminalText

@Suite("OutputSanitizer: nothing that could drive the terminal survives")
struct OutputSanitizerTests {
    let sanitizer = OutputSanitizer(maxScalars: 200)

    /// Pieces of hostile terminal output, combined at random by the property tests.
    static let fragments: [[UInt8]] = [
        [0x1B], Array("[".utf8), Array("]".utf8), Array("P".utf8), Array("\\".utf8), [0x07], Array("0;".utf8),
        Array("31".utf8), Array(";".utf8), Array("?1049h".utf8), Array("m".utf8), Array("H".utf8), Array("2J".utf8),
        [0xC2, 0x9B], [0xC2, 0x9D], [0xC2, 0x9C], [0xC2, 0x90], [0x9B], [0x9D], [0x0D], [0x09], [0x08], [0x7F],
        [0x00], [0x0A], [0x0C], [0x18], [0xFF], [0xC0, 0xAF], [0xE2, 0x80, 0xAE], [0xE2, 0x81, 0xA6],
        Array("plain text ".utf8), Array("ünï ✓ 노드 ".utf8), Array("🙂".utf8), Array("38;2;1;2;3".utf8),
        Array("5;".utf8), Array(":".utf8), Array("(B".utf8), Array("\u{1B}]52;c;ZXZpbA==\u{07}".utf8),
        Array("\u{1B}[6n".utf8), Array("\u{1B}P+q544e\u{1B}\\".utf8), Array("\u{1B}_apc\u{1B}\\".utf8),
    ]

    static func hostileInput(_ random: inout SeededRandom) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<Int.random(in: 0...40, using: &random) {
            if Bool.random(using: &random) {
                bytes += fragments.randomElement(using: &random) ?? []
            } else {
                bytes.append(UInt8.random(in: 0...255, using: &random))
            }
        }
        return bytes
    }

    /// A scalar that may be shown: no C0 but tab, no DEL, no C1, no bidi override.
    static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09: true
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: false
        default: true
        }
    }

    @Test("property: 20,000 hostile lines come out safe, bounded, consistent and idempotent")
    func hostileInputProperty() {
        var random = SeededRandom(seed: 0x6B75_6265_736B_6577)
        for _ in 0..<20_000 {
            let input = Self.hostileInput(&random)
            let line = sanitizer.sanitize(input)
            let rendered = "\(input)"
            #expect(line.text.unicodeScalars.allSatisfy(Self.isSafe), "unsafe output for \(rendered)")
            #expect(line.text.unicodeScalars.count <= 200)
            #expect(line.text == line.runs.map(\.text).joined())
            #expect(line.runs.allSatisfy { !$0.text.isEmpty })
            #expect(sanitizer.sanitize(line.text).text == line.text, "not idempotent for \(rendered)")
            if !line.text.unicodeScalars.allSatisfy(Self.isSafe) { return }
        }
    }

    @Test("property: printable text without controls passes unchanged")
    func printableTextUnchanged() {
        var random = SeededRandom(seed: 42)
        let alphabet = Array("abcXYZ019 \t~!@#$%^&*()_+-=[]{}|;':\",./<>?ünï✓노드🙂".unicodeScalars)
        for _ in 0..<5_000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...150, using: &random) {
                if let scalar = alphabet.randomElement(using: &random) { text.append(scalar) }
            }
            let input = String(text)
            let line = sanitizer.sanitize(Array(input.utf8))
            #expect(line.text == input)
            #expect(!line.isTruncated)
            #expect(line.runs.allSatisfy { $0.style == .plain })
        }
    }

    // Which sequences are consumed is EscapeSequenceScannerTests' job (TerminalTextTests); here, what the output
    // policy does with the rest: controls dropped, tabs kept, bidi overrides dropped, carriage returns as a terminal.
    @Test("the output policy on top of the scanner", arguments: [
        ("\u{1B}]0;pwned\u{07}ok\u{1B}[2Jx", "okx"),                         // sequences are gone, as in the scanner
        ("bell\u{07}\u{08}\u{0C}\u{0B}\u{00}\u{7F}\u{85}!", "bell!"),        // C0, DEL and C1 dropped
        ("a\tb", "a\tb"),                                                   // tab kept
        ("a\u{202E}evil\u{2066}b", "aevilb"),                                // bidi overrides
        ("10%\r50%\r100%", "100%"),                                           // progress bar
        ("done\r", "done"),                                                   // CR before LF
        ("\u{1B}[1;31", ""),                                                 // unterminated CSI
    ])
    func attacks(input: String, expected: String) {
        #expect(sanitizer.sanitize(input).text == expected)
    }

    @Test("invalid UTF-8 becomes U+FFFD")
    func invalidUTF8() {
        #expect(sanitizer.sanitize([0x61, 0xFF, 0x62, 0xC0, 0xAF]).text == "a\u{FFFD}b\u{FFFD}\u{FFFD}")
    }

    @Test("SGR colours become runs")
    func colourRuns() {
        let line = sanitizer.sanitize("ok \u{1B}[1;32mPASS\u{1B}[0m \u{1B}[38;5;208mwarm\u{1B}[48;2;1;2;3m!\u{1B}[m end")
        #expect(line.text == "ok PASS warm! end")
        #expect(line.runs.map(\.text) == ["ok ", "PASS", " ", "warm", "!", " end"])
        var boldGreen = TextStyle.plain
        boldGreen.bold = true
        boldGreen.foreground = .ansi(2)
        #expect(line.runs[1].style == boldGreen)
        #expect(line.runs[3].style.foreground == .palette(208))
        #expect(line.runs[4].style.background == .rgb(1, 2, 3))
        #expect(line.runs[5].style == .plain)
    }

    @Test("colour carries over to the next line like on a terminal, and can be dropped")
    func styleCarriesAcrossLines() {
        let lines = sanitizer.sanitizeLines("\u{1B}[31mred\nstill red\u{1B}[0m\nplain")
        #expect(lines.map(\.text) == ["red", "still red", "plain"])
        #expect(lines[1].runs.first?.style.foreground == .ansi(1))
        #expect(lines[2].runs.first?.style == .plain)
        let colourless = OutputSanitizer(keepsStyle: false).sanitize("\u{1B}[31mred\u{1B}[0m")
        #expect(colourless.runs == [StyledRun(text: "red", style: .plain)])
    }

    @Test("bright, 256 and truecolour forms, colon sub-parameters, and resets")
    func sgrForms() {
        var style = TextStyle.plain
        SGRInterpreter.apply(parameters: Array("91;104;4;7".utf8), to: &style)
        #expect(style.foreground == .ansi(9) && style.background == .ansi(12) && style.underline && style.inverse)
        SGRInterpreter.apply(parameters: Array("38:2::10:20:30".utf8), to: &style)
        #expect(style.foreground == .rgb(10, 20, 30))
        SGRInterpreter.apply(parameters: Array("38:5:99;24;27;39;49".utf8), to: &style)
        #expect(style.foreground == nil && style.background == nil && !style.underline && !style.inverse)
        SGRInterpreter.apply(parameters: Array("38;2;300;0;0".utf8), to: &style)
        #expect(style.foreground == nil, "out-of-range colours are ignored")
        SGRInterpreter.apply(parameters: Array("1;2;3;9".utf8), to: &style)
        #expect(style.bold && style.dim && style.italic && style.strikethrough)
        SGRInterpreter.apply(parameters: [], to: &style)
        #expect(style == .plain)
    }

    @Test("long lines are cut at the limit and marked")
    func truncation() {
        let line = OutputSanitizer(maxScalars: 10).sanitize(String(repeating: "ab", count: 50))
        #expect(line.text == "ababababab")
        #expect(line.isTruncated)
        let short = OutputSanitizer(maxScalars: 10).sanitize("\u{1B}[31m" + String(repeating: "x", count: 10))
        #expect(!short.isTruncated, "escape sequences do not count against the limit")
    }
}

@Suite("LineAssembler: bytes to bounded lines")
struct LineAssemblerTests {
    func feed(_ chunks: [String], max: Int = 16) -> [(String, Bool)] {
        var assembler = LineAssembler(maxLineBytes: max)
        var lines: [(String, Bool)] = []
        for chunk in chunks {
            let bytes = Array(chunk.utf8)
            lines += bytes.withUnsafeBytes { assembler.append($0) }.map { (String(decoding: $0.bytes, as: UTF8.self), $0.isTruncated) }
        }
        if let last = assembler.finish() { lines.append((String(decoding: last.bytes, as: UTF8.self), last.isTruncated)) }
        return lines
    }

    @Test("lines split across chunks are joined; the unfinished last line is kept")
    func joining() {
        let lines = feed(["al", "pha\nbe", "ta\n\ngam", "ma"])
        #expect(lines.map(\.0) == ["alpha", "beta", "", "gamma"])
        #expect(lines.allSatisfy { !$0.1 })
    }

    @Test("property: however the stream is chunked, the lines are those of the whole stream, cut at the limit")
    func chunkingDoesNotMatter() {
        var random = SeededRandom(seed: 99)
        let limit = 16
        for _ in 0..<2_000 {
            let stream = (0..<Int.random(in: 0...200, using: &random)).map { _ -> UInt8 in
                Int.random(in: 0..<5, using: &random) == 0 ? 0x0A : UInt8.random(in: 0x61...0x7A, using: &random)
            }
            // Reference: split the whole stream, keep at most `limit` bytes of each line.
            var expected = stream.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
                (Array(line.prefix(limit)), line.count > limit)
            }
            if stream.last == 0x0A || stream.isEmpty { expected.removeLast() }
            var assembler = LineAssembler(maxLineBytes: limit)
            var lines: [([UInt8], Bool)] = []
            var offset = 0
            while offset < stream.count {
                let size = min(stream.count - offset, Int.random(in: 1...40, using: &random))
                let chunk = Array(stream[offset..<(offset + size)])
                lines += chunk.withUnsafeBytes { assembler.append($0) }.map { ($0.bytes, $0.isTruncated) }
                offset += size
            }
            if let last = assembler.finish() { lines.append((last.bytes, last.isTruncated)) }
            #expect(lines.map(\.0) == expected.map(\.0), "stream \(stream)")
            #expect(lines.map(\.1) == expected.map(\.1), "stream \(stream)")
        }
    }

    @Test("an over-long line is cut once and the rest of it skipped")
    func overlong() {
        let lines = feed([String(repeating: "x", count: 10), String(repeating: "y", count: 100), "z\nnext\n"])
        #expect(lines.map(\.0) == ["xxxxxxxxxxyyyyyy", "next"])
        #expect(lines.map(\.1) == [true, false])
    }
}
