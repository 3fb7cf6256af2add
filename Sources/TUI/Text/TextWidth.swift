/// Terminal column width of text: the one function layout, truncation and the grid use (CJK and emoji are 2).
public enum TextWidth {
    /// Width of one code point as glibc's `wcwidth` reports it under C.UTF-8; non-printable code points are -1.
    public static func of(scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value >= 0x20 && value < 0x7F { return 1 }
        if contains(WidthTable.doubleWidthRanges, value) { return 2 }
        if contains(WidthTable.zeroWidthRanges, value) { return 0 }
        if contains(WidthTable.nonPrintableRanges, value) { return -1 }
        return 1
    }

    /// Width of one grapheme cluster as the terminal shows it: its base character's width, 2 for emoji presentation
    /// (a variation selector 16 or a regional-indicator flag), and 1 for non-printable characters, which the grid
    /// replaces with a visible substitute.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.count == 1 {
            let width = of(scalar: first)
            return width < 0 ? 1 : width
        }
        if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        if (0x1F1E6...0x1F1FF).contains(first.value) { return 2 }
        var width = 0
        for scalar in scalars {
            let w = of(scalar: scalar)
            if w > 0 { width = max(width, w) }
        }
        return width == 0 ? (of(scalar: first) == 0 ? 0 : 1) : width
    }

    /// Width of a string: the sum of its characters' widths.
    public static func of(_ text: some StringProtocol) -> Int {
        let utf8 = text.utf8
        if utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return utf8.count }
        var total = 0
        for character in text {
            if character.isASCII, let ascii = character.asciiValue, ascii >= 0x20, ascii < 0x7F {
                total += 1
            } else {
                total += of(character)
            }
        }
        return total
    }

    /// The longest prefix of `text` that fits `width` columns, ending in `ellipsis` when something was cut.
    public static func truncate(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if of(text) <= width { return text }
        let ellipsisWidth = of(ellipsis)
        guard ellipsisWidth <= width else { return String(repeating: ".", count: width) }
        let budget = width - ellipsisWidth
        var used = 0
        var result = ""
        for character in text {
            let w = of(character)
            if used + w > budget { break }
            used += w
            result.append(character)
        }
        return result + ellipsis
    }

    /// `text` truncated to `width` and padded with spaces to exactly `width` columns (left or right aligned).
    public static func fit(_ text: String, to width: Int, alignRight: Bool = false, ellipsis: String = "…") -> String {
        let cut = truncate(text, to: width, ellipsis: ellipsis)
        let pad = String(repeating: " ", count: max(0, width - of(cut)))
        return alignRight ? pad + cut : cut + pad
    }

    private static func contains(_ ranges: [UInt32], _ value: UInt32) -> Bool {
        // Binary search over (start, end) pairs sorted by start.
        var low = 0
        var high = ranges.count / 2 - 1
        while low <= high {
            let mid = (low + high) / 2
            let start = ranges[mid * 2]
            let end = ranges[mid * 2 + 1]
            if value < start {
                high = mid - 1
            } else if value > end {
                low = mid + 1
            } else {
                return true
            }
        }
        return false
    }
}
