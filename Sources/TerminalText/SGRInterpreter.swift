/// Applies the parameters of one SGR sequence (`ESC [ … m`) to a style.
///
/// Only colours and a handful of attributes are understood; anything unknown or malformed is ignored, since the
/// worst a wrong guess can do here is colour some text.
enum SGRInterpreter {
    /// At most this many parameters are read from one sequence; the rest are ignored.
    static let maxParameters = 32

    static func apply(parameters: [UInt8], to style: inout TextStyle) {
        // Parameters are separated by ';'; a parameter may carry ':'-separated sub-parameters (ITU T.416 form).
        var groups: [[Int?]] = []
        for group in parameters.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false) {
            if groups.count == maxParameters { break }
            groups.append(group.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false).map(number))
        }
        if groups.isEmpty { groups = [[0]] }
        var index = 0
        while index < groups.count {
            let group = groups[index]
            index += 1
            guard let code = group.first ?? 0 else { continue }
            switch code {
            case 0: style = .plain
            case 1: style.bold = true
            case 2: style.dim = true
            case 3: style.italic = true
            case 4: style.underline = (group.count > 1 ? group[1] ?? 1 : 1) != 0
            case 7: style.inverse = true
            case 9: style.strikethrough = true
            case 21: style.underline = true
            case 22: style.bold = false; style.dim = false
            case 23: style.italic = false
            case 24: style.underline = false
            case 27: style.inverse = false
            case 29: style.strikethrough = false
            case 30...37: style.foreground = .ansi(UInt8(code - 30))
            case 39: style.foreground = nil
            case 40...47: style.background = .ansi(UInt8(code - 40))
            case 49: style.background = nil
            case 90...97: style.foreground = .ansi(UInt8(code - 90 + 8))
            case 100...107: style.background = .ansi(UInt8(code - 100 + 8))
            case 38, 48:
                let colour: TerminalColor?
                if group.count > 1 {
                    colour = extendedColour(Array(group.dropFirst()), allowsColourSpace: true)
                } else {
                    let (parsed, used) = extendedColour(following: groups, from: index)
                    colour = parsed
                    index += used
                }
                guard let colour else { return }
                if code == 38 { style.foreground = colour } else { style.background = colour }
            default:
                continue
            }
        }
    }

    /// `38;5;n` / `38;2;r;g;b`: the colour spread over the following parameters; returns how many it used.
    private static func extendedColour(following groups: [[Int?]], from index: Int) -> (TerminalColor?, Int) {
        guard index < groups.count, let mode = groups[index].first ?? nil else { return (nil, 0) }
        let needed = mode == 5 ? 1 : mode == 2 ? 3 : 0
        guard needed > 0, index + needed < groups.count else { return (nil, groups.count - index) }
        let values = groups[(index + 1)...(index + needed)].map { $0.first ?? nil }
        return (extendedColour([mode] + values, allowsColourSpace: false), needed + 1)
    }

    /// `5:n`, `2:r:g:b` or `2:colourspace:r:g:b`.
    private static func extendedColour(_ values: [Int?], allowsColourSpace: Bool) -> TerminalColor? {
        guard let mode = values.first ?? nil else { return nil }
        func byte(_ value: Int??) -> UInt8? {
            guard let value = value ?? nil, (0...255).contains(value) else { return nil }
            return UInt8(value)
        }
        switch (mode, values.count) {
        case (5, 2):
            return byte(values[1]).map(TerminalColor.palette)
        case (2, 4):
            guard let r = byte(values[1]), let g = byte(values[2]), let b = byte(values[3]) else { return nil }
            return .rgb(r, g, b)
        case (2, 5) where allowsColourSpace:
            guard let r = byte(values[2]), let g = byte(values[3]), let b = byte(values[4]) else { return nil }
            return .rgb(r, g, b)
        default:
            return nil
        }
    }

    /// A decimal parameter; empty means 0 (the SGR default), absurdly long or non-numeric means none.
    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        if digits.isEmpty { return 0 }
        guard digits.count <= 6 else { return nil }
        var value = 0
        for digit in digits {
            guard (0x30...0x39).contains(digit) else { return nil }
            value = value * 10 + Int(digit - 0x30)
        }
        return value
    }
}
