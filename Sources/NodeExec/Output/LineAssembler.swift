#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cuts a byte stream into lines, holding at most `maxLineBytes` of an unfinished line.
///
/// A line longer than the limit is delivered up to the limit, marked truncated, and the rest of it (up to the next
/// `\n`) is skipped, so a child printing 100 MB without a newline costs a bounded amount of memory.
struct LineAssembler {
    /// A complete line and whether its tail was cut off.
    struct Line {
        var bytes: [UInt8]
        var isTruncated: Bool
    }

    let maxLineBytes: Int
    private var pending: [UInt8] = []
    private var skippingRestOfLine = false

    init(maxLineBytes: Int) {
        self.maxLineBytes = max(1, maxLineBytes)
    }

    /// Adds a chunk of bytes and returns the lines it completed.
    mutating func append(_ chunk: UnsafeRawBufferPointer) -> [Line] {
        var lines: [Line] = []
        guard let base = chunk.baseAddress else { return lines }
        var offset = 0
        while offset < chunk.count {
            let remaining = chunk.count - offset
            let newline = memchr(base + offset, 0x0A, remaining).map { $0 - UnsafeMutableRawPointer(mutating: base) }
            let end = newline ?? chunk.count
            take(UnsafeRawBufferPointer(start: base + offset, count: end - offset), into: &lines)
            guard newline != nil else { break }
            if skippingRestOfLine {
                skippingRestOfLine = false
            } else {
                lines.append(Line(bytes: pending, isTruncated: false))
            }
            pending.removeAll(keepingCapacity: pending.count <= 4096)
            offset = end + 1
        }
        return lines
    }

    /// The unfinished last line, if any, once the stream has ended.
    mutating func finish() -> Line? {
        defer { pending = []; skippingRestOfLine = false }
        guard !skippingRestOfLine, !pending.isEmpty else { return nil }
        return Line(bytes: pending, isTruncated: false)
    }

    /// Appends part of a line, cutting it at the limit.
    private mutating func take(_ bytes: UnsafeRawBufferPointer, into lines: inout [Line]) {
        guard !skippingRestOfLine, !bytes.isEmpty else { return }
        let room = maxLineBytes - pending.count
        if bytes.count <= room {
            pending.append(contentsOf: bytes)
            return
        }
        pending.append(contentsOf: bytes.prefix(room))
        lines.append(Line(bytes: pending, isTruncated: true))
        pending.removeAll()
        skippingRestOfLine = true
    }
}
