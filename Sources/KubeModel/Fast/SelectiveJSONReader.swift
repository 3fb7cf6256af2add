import Foundation

/// A forward-only JSON reader that decodes the values asked for and skips everything else at byte speed: a Node is
/// ~14 KB of which kubeskew reads ~1 KB (images and managedFields are most of it), so skipping without building a
/// parse tree is what makes a 5,000-node list cheap. It validates what it reads and what it skips enough to throw on
/// malformed input, never to crash.
struct SelectiveJSONReader {
    /// Malformed or unexpected JSON, with the byte offset.
    struct Malformed: Error, CustomStringConvertible {
        let offset: Int
        let expected: String
        var description: String { "invalid JSON at byte \(offset): expected \(expected)" }
    }

    let bytes: UnsafeRawBufferPointer
    var index = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

    mutating func skipWhitespace() {
        while index < bytes.count {
            let b = bytes[index]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { index += 1 } else { return }
        }
    }

    func fail(_ expected: String) -> Malformed { Malformed(offset: index, expected: expected) }

    mutating func peek() throws -> UInt8 {
        skipWhitespace()
        guard index < bytes.count else { throw fail("a value, found the end") }
        return bytes[index]
    }

    mutating func expect(_ byte: UInt8) throws {
        guard try peek() == byte else { throw fail("'\(Character(Unicode.Scalar(byte)))'") }
        index += 1
    }

    /// Iterates the members of an object: `body` is called with each key, and must consume its value.
    mutating func forEachMember(_ body: (inout SelectiveJSONReader, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        if try peek() == UInt8(ascii: "}") { index += 1; return }
        while true {
            let key = try readString()
            try expect(UInt8(ascii: ":"))
            try body(&self, key)
            let next = try peek()
            index += 1
            if next == UInt8(ascii: "}") { return }
            guard next == UInt8(ascii: ",") else { index -= 1; throw fail("',' or '}'") }
        }
    }

    /// Iterates the elements of an array; `body` must consume each element.
    mutating func forEachElement(_ body: (inout SelectiveJSONReader) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        if try peek() == UInt8(ascii: "]") { index += 1; return }
        while true {
            try body(&self)
            let next = try peek()
            index += 1
            if next == UInt8(ascii: "]") { return }
            guard next == UInt8(ascii: ",") else { index -= 1; throw fail("',' or ']'") }
        }
    }

    /// True (and consumed) when the next value is `null`.
    mutating func consumeNull() throws -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try skipLiteral("null")
        return true
    }

    mutating func readString() throws -> String {
        guard try peek() == Self.quote else { throw fail("a string") }
        index += 1
        let start = index
        let escaped = try skipStringBody()
        let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<(index - 1)])
        return escaped ? try Self.unescape(raw, at: start) : String(decoding: raw, as: UTF8.self)
    }

    /// Moves past the closing quote of the string whose opening quote was just read; true when it holds escapes.
    /// Eight bytes at a time while they hold no quote, backslash or control character: most of a Node's bytes are
    /// in strings.
    @inline(__always)
    private mutating func skipStringBody() throws -> Bool {
        let count = bytes.count
        var escaped = false
        while true {
            if let base = bytes.baseAddress {
                while index + 8 <= count {
                    let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    if Self.holds(word, Self.quote) || Self.holds(word, Self.backslash) || Self.holdsControl(word) { break }
                    index += 8
                }
            }
            let stop = min(index + 8, count)
            guard index < stop else { throw fail("the end of a string") }
            while index < stop {
                let b = bytes[index]
                if b == Self.quote { index += 1; return escaped }
                if b == Self.backslash { escaped = true; index += 2; continue }
                if b < 0x20 { throw fail("no control character inside a string") }
                index += 1
            }
        }
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080

    /// Whether any byte of `word` is `byte` (the has-a-zero-byte test on `word ^ byte…byte`).
    @inline(__always)
    private static func holds(_ word: UInt64, _ byte: UInt8) -> Bool {
        let v = word ^ (UInt64(byte) &* ones)
        return (v &- ones) & ~v & highs != 0
    }

    /// Whether any byte of `word` is below 0x20 (a control character, which a JSON string may not hold raw).
    @inline(__always)
    private static func holdsControl(_ word: UInt64) -> Bool {
        (word &- 0x2020_2020_2020_2020) & ~word & highs != 0
    }

    /// A string, or nil for `null`.
    mutating func readOptionalString() throws -> String? {
        try consumeNull() ? nil : try readString()
    }

    mutating func readBool() throws -> Bool? {
        switch try peek() {
        case UInt8(ascii: "t"): try skipLiteral("true"); return true
        case UInt8(ascii: "f"): try skipLiteral("false"); return false
        case UInt8(ascii: "n"): try skipLiteral("null"); return nil
        default: throw fail("a boolean")
        }
    }

    /// An object of string values (labels, annotations); nil for `null`.
    mutating func readStringMap() throws -> [String: String]? {
        if try consumeNull() { return nil }
        var out: [String: String] = [:]
        try forEachMember { r, key in out[key] = try r.readString() }
        return out
    }

    /// Decodes the next value with JSONDecoder: for the rare fields not worth a reader of their own.
    mutating func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        skipWhitespace()
        let start = index
        try skipValue()
        return try JSONDecoder().decode(T.self, from: Data(UnsafeRawBufferPointer(rebasing: bytes[start..<index])))
    }

    /// Skips any value: strings by scanning to the closing quote, containers by counting depth.
    mutating func skipValue() throws {
        let first = try peek()
        switch first {
        case Self.quote:
            index += 1
            _ = try skipStringBody()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            // Only strings and nesting matter here; `b | 0x20` folds `[` onto `{` and `]` onto `}`.
            var depth = 0
            while index < bytes.count {
                let b = bytes[index]
                if b == Self.quote {
                    index += 1
                    _ = try skipStringBody()
                    continue
                }
                if b | 0x20 == UInt8(ascii: "{") {
                    depth += 1
                } else if b | 0x20 == UInt8(ascii: "}") {
                    depth -= 1
                    if depth == 0 { index += 1; return }
                }
                index += 1
            }
            throw fail("the end of an object or array")
        case UInt8(ascii: "t"): try skipLiteral("true")
        case UInt8(ascii: "f"): try skipLiteral("false")
        case UInt8(ascii: "n"): try skipLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            while index < bytes.count {
                let b = bytes[index]
                if (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
                    || b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") { index += 1 } else { break }
            }
        default:
            throw fail("a value")
        }
    }

    private mutating func skipLiteral(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        guard index + n <= bytes.count else { throw fail("\(word)") }
        for i in 0..<n where bytes[index + i] != word.utf8Start[i] { throw fail("\(word)") }
        index += n
    }

    /// Decodes the escapes of a JSON string (`\n`, `\"`, `\uXXXX` with surrogate pairs).
    static func unescape(_ raw: UnsafeRawBufferPointer, at offset: Int) throws -> String {
        var out = [UInt8]()
        out.reserveCapacity(raw.count)
        var i = 0
        func hex4(_ at: Int) throws -> UInt32 {
            guard at + 4 <= raw.count else { throw Malformed(offset: offset + at, expected: "four hex digits") }
            guard let value = JSONEscape.hex4(raw, at: at) else {
                let bad = (0..<4).first { JSONEscape.hexDigit(raw[at + $0]) == nil } ?? 0
                throw Malformed(offset: offset + at + bad, expected: "a hex digit")
            }
            return value
        }
        while i < raw.count {
            let b = raw[i]
            guard b == backslash else { out.append(b); i += 1; continue }
            guard i + 1 < raw.count else { throw Malformed(offset: offset + i, expected: "an escape") }
            let e = raw[i + 1]
            i += 2
            if let byte = JSONEscape.simple(e) {
                out.append(byte)
            } else if e == UInt8(ascii: "u") {
                var scalar = try hex4(i)
                i += 4
                if let paired = JSONEscape.pairedSurrogate(high: scalar, raw, next: i) {
                    scalar = paired
                    i += 6
                }
                JSONEscape.appendUTF8(of: scalar, to: &out)
            } else {
                throw Malformed(offset: offset + i - 1, expected: "a valid escape")
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
