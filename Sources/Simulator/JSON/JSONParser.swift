import KubeModel

/// Why a JSON text could not be parsed; `message` mirrors Go's encoding/json wording where kubectl users see it.
public struct JSONParseError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// A strict RFC 8259 parser producing `JSONValue` with object key order preserved.
public struct JSONParser {
    private let bytes: [UInt8]
    private var index = 0

    /// Parses one JSON document; trailing whitespace is allowed, trailing content is not.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        if parser.index >= bytes.count { throw JSONParseError(message: "unexpected end of JSON input") }
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.index != bytes.count {
            throw JSONParseError(message: "invalid character after top-level value")
        }
        return value
    }

    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue { try parse(Array(text.utf8)) }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
    }

    private func fail(_ what: String) -> JSONParseError {
        index >= bytes.count ? JSONParseError(message: "unexpected end of JSON input")
            : JSONParseError(message: "invalid character '\(Character(Unicode.Scalar(bytes[index])))' \(what)")
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < 512 else { throw JSONParseError(message: "exceeded max depth") }
        skipWhitespace()
        guard index < bytes.count else { throw fail("") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail("looking for beginning of value")
        }
    }

    private mutating func expect(_ word: String) throws(JSONParseError) {
        for byte in word.utf8 {
            guard index < bytes.count, bytes[index] == byte else { throw fail("in literal") }
            index += 1
        }
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        var digits = 0
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1; digits += 1 }
        guard digits > 0 else { throw fail("in numeric literal") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var fraction = 0
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1; fraction += 1 }
            guard fraction > 0 else { throw fail("after decimal point in numeric literal") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            var exponent = 0
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1; exponent += 1 }
            guard exponent > 0 else { throw fail("in exponent of numeric literal") }
        }
        return .number(String(decoding: bytes[start..<index], as: UTF8.self))
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw JSONParseError(message: "unexpected end of JSON input") }
        guard let value = JSONEscape.hex4(bytes, at: index) else {
            index += (0..<4).first { JSONEscape.hexDigit(bytes[index + $0]) == nil } ?? 0
            throw fail("in \\u hexadecimal character escape")
        }
        index += 4
        return value
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        index += 1  // opening quote
        var out: [UInt8] = []
        while true {
            guard index < bytes.count else { throw JSONParseError(message: "unexpected end of JSON input") }
            let c = bytes[index]
            if c == UInt8(ascii: "\"") { index += 1; break }
            if c < 0x20 { throw fail("in string literal") }
            if c != UInt8(ascii: "\\") { out.append(c); index += 1; continue }
            index += 1
            guard index < bytes.count else { throw JSONParseError(message: "unexpected end of JSON input") }
            let e = bytes[index]
            index += 1
            if let byte = JSONEscape.simple(e) {
                out.append(byte)
            } else if e == UInt8(ascii: "u") {
                var scalar = try parseHex4()
                // A high surrogate pairs with a following `\u` low surrogate; anything else after it is left alone.
                if let paired = JSONEscape.pairedSurrogate(high: scalar, bytes, next: index) {
                    scalar = paired
                    index += 6
                }
                JSONEscape.appendUTF8(of: scalar, to: &out)
            } else {
                index -= 1
                throw fail("in string escape code")
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
        while true {
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard index < bytes.count else { throw fail("") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            throw fail("after array element")
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        index += 1
        var members: [(String, JSONValue)] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("looking for beginning of object key string") }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("after object key") }
            index += 1
            let value = try parseValue(depth: depth + 1)
            if let existing = members.firstIndex(where: { $0.0 == key }) { members[existing].1 = value } else { members.append((key, value)) }
            skipWhitespace()
            guard index < bytes.count else { throw fail("") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            throw fail("after object key:value pair")
        }
    }
}
