/// The escapes of JSON strings (RFC 8259 §7), shared by the client's selective reader and the simulator's parser so
/// that both read `\n`, `\u00e9` and surrogate pairs alike; each keeps its own error messages.
public enum JSONEscape {
    /// The byte a one-character escape stands for (`n` → 0x0A); nil for `u` and for an invalid escape.
    public static func simple(_ escape: UInt8) -> UInt8? {
        switch escape {
        case UInt8(ascii: "\""): return 0x22
        case UInt8(ascii: "\\"): return 0x5C
        case UInt8(ascii: "/"): return 0x2F
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        default: return nil
        }
    }

    /// The value of one hex digit; nil when the byte is not one.
    public static func hexDigit(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// The four hex digits at `at`, nil when there are fewer or one is not a hex digit (to look ahead without failing).
    public static func hex4<Bytes: RandomAccessCollection>(_ bytes: Bytes, at: Int) -> UInt32?
    where Bytes.Element == UInt8, Bytes.Index == Int {
        guard at >= bytes.startIndex, at + 4 <= bytes.endIndex else { return nil }
        var value: UInt32 = 0
        for k in 0..<4 {
            guard let digit = hexDigit(bytes[at + k]) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    /// When `high` is a high surrogate and `\uXXXX` with a low surrogate follows at `next`, the code point of the pair;
    /// nil otherwise (then the low half is not consumed).
    public static func pairedSurrogate<Bytes: RandomAccessCollection>(high: UInt32, _ bytes: Bytes, next: Int) -> UInt32?
    where Bytes.Element == UInt8, Bytes.Index == Int {
        guard (0xD800...0xDBFF).contains(high), next + 6 <= bytes.endIndex,
              bytes[next] == UInt8(ascii: "\\"), bytes[next + 1] == UInt8(ascii: "u"),
              let low = hex4(bytes, at: next + 2), (0xDC00...0xDFFF).contains(low) else { return nil }
        return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
    }

    /// Appends the UTF-8 of a code point; a lone surrogate (not a scalar) becomes U+FFFD.
    public static func appendUTF8(of codePoint: UInt32, to out: inout [UInt8]) {
        let scalar = Unicode.Scalar(codePoint) ?? "\u{FFFD}"
        out.append(contentsOf: String(scalar).utf8)
    }
}
