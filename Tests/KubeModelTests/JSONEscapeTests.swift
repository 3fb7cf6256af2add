import Testing
@testable import KubeModel

/// The JSON string escapes both the client's reader and the simulator's parser use.
@Suite struct JSONEscapeTests {
    @Test func oneCharacterEscapesAndHexDigits() {
        let expected: [(Character, UInt8)] = [("\"", 0x22), ("\\", 0x5C), ("/", 0x2F), ("b", 0x08), ("f", 0x0C), ("n", 0x0A), ("r", 0x0D), ("t", 0x09)]
        for (escape, byte) in expected { #expect(JSONEscape.simple(escape.asciiValue ?? 0) == byte) }
        #expect(JSONEscape.simple(UInt8(ascii: "u")) == nil)
        #expect(JSONEscape.simple(UInt8(ascii: "x")) == nil)
        #expect(JSONEscape.hex4(Array("00e9".utf8), at: 0) == 0xE9)
        #expect(JSONEscape.hex4(Array("D83Dz".utf8), at: 0) == 0xD83D)
        #expect(JSONEscape.hex4(Array("0g00".utf8), at: 0) == nil)
        #expect(JSONEscape.hex4(Array("00e".utf8), at: 0) == nil)
    }

    @Test func surrogatesPairOnlyWithALowHalf() {
        #expect(JSONEscape.pairedSurrogate(high: 0xD83D, Array(#"\uDE80"#.utf8), next: 0) == 0x1F680)
        #expect(JSONEscape.pairedSurrogate(high: 0xD83D, Array(#"\u0041"#.utf8), next: 0) == nil)
        #expect(JSONEscape.pairedSurrogate(high: 0x0041, Array(#"\uDE80"#.utf8), next: 0) == nil)
        #expect(JSONEscape.pairedSurrogate(high: 0xD83D, Array(#"\uDE8"#.utf8), next: 0) == nil)
        var out: [UInt8] = []
        JSONEscape.appendUTF8(of: 0x1F680, to: &out)
        JSONEscape.appendUTF8(of: 0xD83D, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "🚀\u{FFFD}")
    }
}
