import NIOCore

/// Cuts a byte stream into `\n`-terminated lines (one watch event per line), whatever the chunking.
struct LineSplitter {
    private var buffer = ByteBuffer()
    /// Where the search for the next newline resumes, so long lines arriving in many chunks cost O(n).
    private var scanned = 0
    let maxLineLength: Int

    init(maxLineLength: Int = 16 << 20) { self.maxLineLength = maxLineLength }

    mutating func append(_ chunk: ByteBuffer) {
        var chunk = chunk
        buffer.writeBuffer(&chunk)
    }

    /// The next complete line without its newline (empty lines are skipped); nil when none is complete yet.
    mutating func nextLine() throws(LineTooLong) -> ByteBuffer? {
        while true {
            let view = buffer.readableBytesView
            let start = view.startIndex + scanned
            guard let newline = view[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                scanned = view.count
                if view.count > maxLineLength { throw LineTooLong(length: view.count) }
                return nil
            }
            let length = newline - view.startIndex
            let line = buffer.readSlice(length: length)
            buffer.moveReaderIndex(forwardBy: 1)
            scanned = 0
            if buffer.readableBytes == 0 { buffer.clear() } else if buffer.readerIndex > 1 << 20 { buffer.discardReadBytes() }
            if let line, line.readableBytes > 0, !(line.readableBytes == 1 && line.readableBytesView.first == UInt8(ascii: "\r")) {
                return line
            }
        }
    }

    /// Bytes after the last newline (a truncated event when the stream ended).
    var remainder: Int { buffer.readableBytes }

    /// A line longer than the limit: the stream is not a watch stream.
    struct LineTooLong: Error { let length: Int }
}
