/// Finds the elements of the top-level `items` array of a JSON list document as bytes stream in, so a 200 MB
/// NodeList is decoded one item at a time instead of being held whole (with its parse tree) in memory.
/// It tracks only strings, escapes and nesting; each item's own JSON is checked by the decoder it is handed to.
public struct ListItemScanner {
    /// What the scanner learned about the document once it has seen all of it.
    public struct Summary: Equatable {
        /// The top-level `kind`, when present.
        public var kind: String?
        /// Whether a top-level `items` array was found.
        public var sawItems: Bool
        public var itemCount: Int
    }

    /// The document is not a JSON object with an `items` array (or is cut short).
    public enum ScanError: Error, Equatable {
        case notAnObject
        case truncated
        case itemNotAnObject(index: Int)
    }

    private var depth = 0
    private var inString = false
    private var escaped = false
    private var expectingKey = false
    private var capturingKey = false
    private var key: [UInt8] = []
    private var currentKey: [UInt8] = []
    private var capturingKind = false
    private var kind: [UInt8] = []
    private var inItems = false
    private var capturingItem = false
    private var item: [UInt8] = []
    private var sawStart = false
    private var sawItems = false
    private var itemCount = 0

    private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
    private static let itemsKey = Array("items".utf8)
    private static let kindKey = Array("kind".utf8)

    public init() {}

    /// Feeds the next bytes; `onItem` gets each complete element of `items` (its bytes and index). Inside an item
    /// only strings, escapes and nesting matter, so a tight loop finds its end and the item is handed over as one
    /// slice of `bytes` (copied only when it spans two feeds): a 64 MB NodeList is scanned at memory speed, not a
    /// byte-by-byte state machine's.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, onItem: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        let count = bytes.count
        var i = 0
        while i < count {
            if capturingItem {
                let start = i
                var closed = false
                while i < count {
                    let b = bytes[i]
                    i += 1
                    if inString {
                        if escaped { escaped = false } else if b == Self.backslash { escaped = true } else if b == Self.quote { inString = false }
                    } else if b == Self.quote {
                        inString = true
                    } else if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") {
                        depth += 1
                    } else if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                        depth -= 1
                        if depth == 2 { closed = true; break }
                    }
                }
                let piece = UnsafeRawBufferPointer(rebasing: bytes[start..<i])
                guard closed else { item.append(contentsOf: piece); continue }
                capturingItem = false
                if item.isEmpty {
                    try onItem(piece, itemCount)
                } else {
                    item.append(contentsOf: piece)
                    try item.withUnsafeBytes { try onItem($0, itemCount) }
                    item.removeAll(keepingCapacity: true)
                }
                itemCount += 1
                continue
            }
            let b = bytes[i]
            i += 1
            if inString {
                if escaped {
                    escaped = false
                    if capturingKey { key.append(b) } else if capturingKind { kind.append(b) }
                } else if b == Self.backslash {
                    escaped = true
                    if capturingKey { key.append(b) } else if capturingKind { kind.append(b) }
                } else if b == Self.quote {
                    inString = false
                    if capturingKey { capturingKey = false; currentKey = key }
                    capturingKind = false
                } else if capturingKey {
                    key.append(b)
                } else if capturingKind {
                    kind.append(b)
                }
                continue
            }
            switch b {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                continue
            case Self.quote:
                try checkStart(b)
                inString = true
                if depth == 1 && expectingKey {
                    capturingKey = true
                    key.removeAll(keepingCapacity: true)
                } else if depth == 1 && currentKey == Self.kindKey {
                    capturingKind = true
                    kind.removeAll()
                } else if depth == 2 && inItems {
                    throw ScanError.itemNotAnObject(index: itemCount)
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                try checkStart(b)
                if depth == 2 && inItems {
                    // The item's own loop above reads it, this bracket included.
                    capturingItem = true
                    item.removeAll(keepingCapacity: true)
                    i -= 1
                    continue
                }
                depth += 1
                if depth == 1 { expectingKey = true }
                if depth == 2 && b == UInt8(ascii: "[") && currentKey == Self.itemsKey {
                    inItems = true
                    sawItems = true
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth < 0 { throw ScanError.notAnObject }
                if depth == 1 && inItems { inItems = false }
            case UInt8(ascii: ":"):
                if depth == 1 { expectingKey = false }
            case UInt8(ascii: ","):
                if depth == 1 { expectingKey = true }
            default:
                try checkStart(b)
                if depth == 2 && inItems { throw ScanError.itemNotAnObject(index: itemCount) }
            }
        }
    }

    private mutating func checkStart(_ b: UInt8) throws {
        if !sawStart {
            guard b == UInt8(ascii: "{") else { throw ScanError.notAnObject }
            sawStart = true
        }
    }

    /// Call after the last bytes: the document's kind and whether it was complete.
    public func finish() throws -> Summary {
        guard sawStart else { throw ScanError.notAnObject }
        guard depth == 0, !inString else { throw ScanError.truncated }
        return Summary(kind: kind.isEmpty ? nil : String(decoding: kind, as: UTF8.self), sawItems: sawItems, itemCount: itemCount)
    }
}
