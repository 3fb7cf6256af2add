import Foundation

/// One `apiserver_requested_deprecated_apis` series: a deprecated API version some client requested from this
/// apiserver since it started.
public struct RequestedDeprecatedAPI: Sendable, Hashable {
    /// "" for the core group.
    public let group: String
    public let version: String
    public let resource: String
    public let subresource: String
    /// The `removed_release` label ("1.22"); nil when it is empty (a GA version that stays served).
    public let removedRelease: String?

    public init(group: String, version: String, resource: String, subresource: String, removedRelease: String?) {
        self.group = group
        self.version = version
        self.resource = resource
        self.subresource = subresource
        self.removedRelease = removedRelease
    }
}

/// Reads `apiserver_requested_deprecated_apis` out of an apiserver's `/metrics` (Prometheus text exposition format).
public enum DeprecatedAPIMetric {
    public static let name = "apiserver_requested_deprecated_apis"
    /// Longer label values are no Kubernetes names (a DNS subdomain has at most 253 characters): such a line is
    /// hostile or broken and is skipped rather than truncated into a wrong name.
    public static let maxLabelValueBytes = 256
    /// Longer lines are skipped unread, so a hostile line cannot make the parser build a huge value.
    public static let maxLineBytes = 16 * 1024
    /// A real apiserver has a few dozen such series; past this many distinct ones the rest are ignored.
    public static let maxSeries = 10_000

    /// Every series of the metric with a value other than 0, in order of appearance, without repeats.
    public static func parse(_ text: String) -> [RequestedDeprecatedAPI] {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    /// Same, for a part of a larger text.
    public static func parse(_ text: Substring) -> [RequestedDeprecatedAPI] {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    /// One line of the exposition (no newline); nil unless it is a series of this metric with a value other than 0.
    public static func parse(line: Substring) -> RequestedDeprecatedAPI? {
        var line = line
        return line.withUTF8 { buf in
            buf.count > maxLineBytes ? nil : series(in: buf[...])
        }
    }

    static func parse(bytes: UnsafeBufferPointer<UInt8>) -> [RequestedDeprecatedAPI] {
        var found: [RequestedDeprecatedAPI] = []
        var seen: Set<RequestedDeprecatedAPI> = []
        var start = 0
        let end = bytes.count
        guard let base = bytes.baseAddress else { return [] }
        while start < end {
            // Lines are walked in place: nothing is copied for the many lines of other series.
            let stop = memchr(base + start, Int32(newline), end - start)
                .map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base } ?? end
            if stop - start <= maxLineBytes, let s = series(in: bytes[start..<stop]), found.count < maxSeries, seen.insert(s).inserted {
                found.append(s)
            }
            start = stop + 1
        }
        return found
    }

    private static let newline = UInt8(ascii: "\n")
    private static let nameBytes = Array(name.utf8)

    /// The series on this line, if it is one of this metric's with a value other than 0.
    static func series(in line: Slice<UnsafeBufferPointer<UInt8>>) -> RequestedDeprecatedAPI? {
        var p = Cursor(bytes: line)
        p.skipBlanks()
        // Comments (# HELP, # TYPE) and other series are rejected on their first bytes.
        guard p.consume(nameBytes) else { return nil }
        p.skipBlanks()
        // A longer name that starts with this one (…_apis_total) is another metric.
        guard p.consume(UInt8(ascii: "{")) else { return nil }
        var labels: [String: String] = [:]
        while true {
            p.skipBlanks()
            if p.consume(UInt8(ascii: "}")) { break }
            guard let key = p.labelName() else { return nil }
            p.skipBlanks()
            guard p.consume(UInt8(ascii: "=")) else { return nil }
            p.skipBlanks()
            guard let value = p.quotedValue(limit: maxLabelValueBytes) else { return nil }
            labels[key] = value
            p.skipBlanks()
            if p.consume(UInt8(ascii: ",")) { continue }
            guard p.consume(UInt8(ascii: "}")) else { return nil }
            break
        }
        p.skipBlanks()
        guard let valueText = p.token(), let value = Double(valueText), !value.isNaN, value != 0 else { return nil }
        p.skipBlanks()
        if let timestamp = p.token() {
            guard Int64(timestamp) != nil else { return nil }
            p.skipBlanks()
        }
        guard p.atEnd else { return nil }
        guard let group = labels["group"], let version = labels["version"], let resource = labels["resource"],
              !version.isEmpty, !resource.isEmpty else { return nil }
        let subresource = labels["subresource"] ?? ""
        let removed = labels["removed_release"] ?? ""
        // These values are names; a control character (an escaped \n included) means the line is not a real series.
        guard [group, version, resource, subresource, removed].allSatisfy({ !$0.unicodeScalars.contains(where: isControl) }) else { return nil }
        return RequestedDeprecatedAPI(group: group, version: version, resource: resource, subresource: subresource,
                                      removedRelease: removed.isEmpty ? nil : removed)
    }

    private static func isControl(_ s: Unicode.Scalar) -> Bool { s.value < 0x20 || (0x7F...0x9F).contains(s.value) }
}

/// A read position in one line of the exposition format.
private struct Cursor {
    let bytes: Slice<UnsafeBufferPointer<UInt8>>
    var i: Int

    init(bytes: Slice<UnsafeBufferPointer<UInt8>>) {
        self.bytes = bytes
        i = bytes.startIndex
    }

    var atEnd: Bool { i >= bytes.endIndex }

    mutating func skipBlanks() {
        // A trailing \r (CRLF line ends) counts as a blank.
        while i < bytes.endIndex, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D { i += 1 }
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard i < bytes.endIndex, bytes[i] == byte else { return false }
        i += 1
        return true
    }

    mutating func consume(_ word: [UInt8]) -> Bool {
        guard bytes.endIndex - i >= word.count else { return false }
        for (k, b) in word.enumerated() where bytes[i + k] != b { return false }
        i += word.count
        return true
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`
    mutating func labelName() -> String? {
        let start = i
        while i < bytes.endIndex {
            let b = bytes[i]
            let letter = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
            let digit = b >= 0x30 && b <= 0x39
            guard letter || (digit && i > start) else { break }
            i += 1
        }
        guard i > start, i - start <= 128 else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
    }

    /// A `"…"` value with the format's escapes `\\`, `\"` and `\n`; nil when unterminated or longer than `limit` bytes.
    mutating func quotedValue(limit: Int) -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        var out: [UInt8] = []
        while i < bytes.endIndex {
            let b = bytes[i]
            i += 1
            if b == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            if b == UInt8(ascii: "\\") {
                guard i < bytes.endIndex else { return nil }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(e)
                default: out.append(b); out.append(e)   // not an escape of the format: kept as written
                }
            } else {
                out.append(b)
            }
            if out.count > limit { return nil }
        }
        return nil
    }

    /// Bytes up to the next blank.
    mutating func token() -> String? {
        let start = i
        while i < bytes.endIndex, bytes[i] != 0x20, bytes[i] != 0x09, bytes[i] != 0x0D { i += 1 }
        guard i > start, i - start <= 64 else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
    }
}
