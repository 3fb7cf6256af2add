import Testing
import TerminalText

/// What a scan of a whole string produced, event kinds kept apart.
struct Scan {
    var text = ""
    var controls: [Unicode.Scalar] = []
    var sequences: [ControlSequence] = []
    var endsInSequence = false

    init(_ input: String) {
        var scanner = EscapeSequenceScanner()
        for scalar in input.unicodeScalars {
            switch scanner.consume(scalar) {
            case .text(let shown): text.unicodeScalars.append(shown)
            case .control(let control): controls.append(control)
            case .controlSequence(let sequence): sequences.append(sequence)
            case nil: break
            }
        }
        endsInSequence = scanner.isInSequence
    }
}

@Suite("EscapeSequenceScanner: every sequence is consumed, text and controls are told apart")
struct EscapeSequenceScannerTests {
    @Test("known attacks leave only the text around them", arguments: [
        ("\u{1B}]0;pwned\u{07}ok", "ok"),                                    // window title (OSC, BEL)
        ("\u{1B}]0;pwned\u{1B}\\ok", "ok"),                                  // window title (OSC, ST)
        ("\u{1B}]0;pwned\u{9C}ok", "ok"),                                    // window title (OSC, 8-bit ST)
        ("\u{1B}]52;c;cm0gLXJmIC8=\u{07}ok", "ok"),                          // clipboard write
        ("\u{1B}]8;;http://evil\u{1B}\\link\u{1B}]8;;\u{1B}\\", "link"),    // hyperlink
        ("a\u{1B}[2J\u{1B}[H\u{1B}[10Ab", "ab"),                            // clear, home, cursor up
        ("\u{1B}[?1049h\u{1B}[?25lx", "x"),                                  // alternate screen, hide cursor
        ("\u{1B}P+q544e\u{1B}\\x", "x"),                                     // DCS query
        ("\u{90}+q544e\u{9C}x", "x"),                                        // 8-bit DCS
        ("\u{1B}_secret\u{1B}\\x\u{1B}^pm\u{1B}\\", "x"),                    // APC, PM
        ("\u{9F}apc\u{07}x\u{9E}pm\u{9C}", "x"),                             // 8-bit APC, PM
        ("\u{1B}Xsos\u{9C}x\u{98}sos\u{07}", "x"),                           // SOS, 7- and 8-bit
        ("\u{9B}2Jx\u{9D}0;t\u{07}y", "xy"),                                 // 8-bit CSI and OSC
        ("\u{1B}cx\u{1B}7\u{1B}8\u{1B}(0y\u{1B}(B", "xy"),                   // reset, save/restore, charsets
        ("\u{1B}[6n\u{1B}[c\u{1B}[>cq", "q"),                                // terminal queries (answerback attacks)
        ("\u{1B}\u{1B}[31mx", "x"),                                          // ESC ESC: the second one starts over
        ("\u{1B}]0;t\u{1B}[31mx", "x"),                                      // a sequence cuts a string short
        ("\u{1B}[1\u{1B}]0;t\u{07}x", "x"),                                  // and a CSI short
        ("x\u{1B}", "x"),                                                    // lone ESC at the end
        ("\u{1B}[1;31", ""),                                                 // unterminated CSI
        ("\u{1B}]0;never ends", ""),                                         // unterminated OSC
        ("\u{1B}P never ends \u{1B}", ""),                                   // unterminated DCS
    ])
    func attacks(input: String, expected: String) {
        #expect(Scan(input).text == expected)
    }

    @Test("every C0 control but ESC, DEL, and every C1 control that starts no sequence, is reported as a control")
    func controls() {
        let starters: Set<UInt32> = [0x1B, 0x90, 0x98, 0x9B, 0x9D, 0x9E, 0x9F]
        for value in Array(0x00...0x1F) + Array(0x7F...0x9F) where !starters.contains(UInt32(value)) {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let scan = Scan("a\(Character(scalar))b")
            #expect(scan.text == "ab", "U+\(String(value, radix: 16))")
            #expect(scan.controls == [scalar], "U+\(String(value, radix: 16))")
            #expect(!scan.endsInSequence)
        }
    }

    @Test("printable text, bidirectional formatting characters included, passes as text; the caller decides on them")
    func text() {
        let input = "plain ünï ✓ 노드 🙂 ~!@#$%^&*()[]{}|;':\",./<>? a\u{202E}b\u{2066}c"
        let scan = Scan(input)
        #expect(scan.text == input)
        #expect(scan.controls.isEmpty && scan.sequences.isEmpty)
    }

    @Test("a CSI sequence is reported whole: parameters, final byte, private and intermediate marks")
    func controlSequences() throws {
        let scan = Scan("\u{1B}[1;32mA\u{1B}[?1049hB\u{9B}2JC\u{1B}[1 qD\u{1B}[38:2::1:2:3m")
        #expect(scan.text == "ABCD")
        #expect(scan.sequences == [
            ControlSequence(parameters: Array("1;32".utf8), finalByte: UInt8(ascii: "m")),
            ControlSequence(parameters: Array("?1049".utf8), finalByte: UInt8(ascii: "h"), isPrivate: true),
            ControlSequence(parameters: Array("2".utf8), finalByte: UInt8(ascii: "J")),
            ControlSequence(parameters: Array("1".utf8), finalByte: UInt8(ascii: "q"), hasIntermediates: true),
            ControlSequence(parameters: Array("38:2::1:2:3".utf8), finalByte: UInt8(ascii: "m")),
        ])
        #expect(scan.sequences.map(\.sgrParameters) == [Array("1;32".utf8), nil, nil, nil, Array("38:2::1:2:3".utf8)])
    }

    @Test("only plain SGR is offered for interpretation: not private, not with intermediates, not overflowed")
    func sgrParameters() throws {
        #expect(Scan("\u{1B}[m").sequences.first?.sgrParameters == [])
        #expect(Scan("\u{1B}[>4;2m").sequences.first?.sgrParameters == nil)
        #expect(Scan("\u{1B}[1 m").sequences.first?.sgrParameters == nil)
        let long = Scan("\u{1B}[" + String(repeating: "1;", count: 100) + "mx")
        let sequence = try #require(long.sequences.first)
        #expect(sequence.parametersOverflowed)
        #expect(sequence.parameters.count == EscapeSequenceScanner.maxParameterBytes)
        #expect(sequence.sgrParameters == nil)
        #expect(long.text == "x", "an over-long sequence is still consumed whole")
    }

    @Test("a malformed CSI is abandoned and the scalar that broke it counts on its own")
    func malformed() {
        let scan = Scan("\u{1B}[12\u{07}x\u{1B}[3é")
        #expect(scan.controls == ["\u{07}"])
        #expect(scan.text == "xé")
        #expect(scan.sequences.isEmpty)
    }

    @Test("ESC before something that is no sequence drops only the ESC")
    func escapeBeforeNoSequence() {
        let scan = Scan("a\u{1B}\nb\u{1B}é")
        #expect(scan.text == "abé")
        #expect(scan.controls == ["\n"])
    }

    /// Scalars that open, continue, end or break sequences, and plain text, for the exhaustive property below.
    static let alphabet: [Unicode.Scalar] = [
        "\u{1B}", "[", "]", "P", "X", "_", "\\", "(", " ", "?", "1", ";", "m", "\u{07}", "\u{9B}", "\u{9C}", "\u{9D}",
        "\u{90}", "\u{0D}", "\u{7F}", "\u{85}", "a", "노",
    ]

    @Test("property: for every input of up to four hostile scalars, no control is shown and ESC \\ always resyncs")
    func exhaustive() {
        let n = Self.alphabet.count
        var checked = 0
        for length in 0...4 {
            var digits = [Int](repeating: 0, count: length)
            let total = (0..<length).reduce(1) { product, _ in product * n }
            for _ in 0..<total {
                var input = String.UnicodeScalarView(digits.map { Self.alphabet[$0] })
                input.append(contentsOf: "\u{1B}\\ok".unicodeScalars)
                let scan = Scan(String(input))
                if !scan.text.unicodeScalars.allSatisfy({ !(0x00...0x1F).contains($0.value) && !(0x7F...0x9F).contains($0.value) })
                    || !scan.text.hasSuffix("ok") || scan.endsInSequence {
                    Issue.record("input \(digits.map { Self.alphabet[$0].escaped(asASCII: true) }) scanned as \(scan.text.debugDescription)")
                    return
                }
                checked += 1
                for i in digits.indices {
                    digits[i] += 1
                    if digits[i] < n { break }
                    digits[i] = 0
                }
            }
        }
        #expect(checked == (0...4).reduce(0) { sum, length in sum + (0..<length).reduce(1) { p, _ in p * n } })
    }
}
