/// What a piece of text means on screen; the terminal backend maps each role to a colour once.
public enum ColorRole: UInt8, Sendable, CaseIterable {
    case normal, title, columnHeader, selection, ok, advisory, warning, danger, dim, accent, border
}

/// How a cell is drawn: a colour role plus attributes that also work without colour.
public struct Style: Hashable, Sendable {
    public var role: ColorRole
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool

    public init(_ role: ColorRole = .normal, bold: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.role = role
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
    }

    public static let plain = Style()

    /// This style with reverse video on (the cursor row).
    public var reversed: Style {
        var copy = self
        copy.reverse = true
        return copy
    }

    /// This style in bold.
    public var emphasized: Style {
        var copy = self
        copy.bold = true
        return copy
    }
}

/// How many colours the terminal may use: 256, the 8 ANSI colours, or none (`NO_COLOR`, `--no-color`).
public enum ColorMode: Sendable, Equatable {
    case none, eight, palette256

    /// The mode the user asked for, before the terminal's own capability is known.
    public static func requested(noColorFlag: Bool, environment: [String: String]) -> ColorMode {
        if noColorFlag { return .none }
        if let value = environment["NO_COLOR"], !value.isEmpty { return .none }
        return .palette256
    }

    /// The lesser of what was requested and what the terminal reports (`COLORS`).
    public func limited(toTerminalColors colors: Int, hasColors: Bool) -> ColorMode {
        guard self != .none, hasColors, colors >= 8 else { return .none }
        if self == .palette256 && colors >= 256 { return .palette256 }
        return .eight
    }
}
