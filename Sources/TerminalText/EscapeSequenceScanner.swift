/// Separates terminal text from the escape sequences and control characters mixed into it, one scalar at a time.
///
/// Every escape sequence is consumed: CSI (cursor moves, erasures, modes), OSC (window titles, hyperlinks,
/// clipboard), DCS/SOS/PM/APC strings, two-byte escapes, their 8-bit C1 forms, and a lone ESC. What is left is
/// reported as ``Event/text(_:)`` or ``Event/control(_:)``; what to do with a control character (drop it, replace
/// it, treat a carriage return as a terminal would) and with a finished CSI (interpret SGR colour) is the caller's
/// policy. The states follow ECMA-48 and the VT500 parser diagram.
public struct EscapeSequenceScanner: Sendable {
    /// What one scalar turned out to be, when it is not swallowed by a sequence.
    public enum Event: Sendable, Hashable {
        /// A scalar to show: neither a C0/C1 control nor DEL (bidirectional formatting characters included).
        case text(Unicode.Scalar)
        /// A C0 control (tab, carriage return and line feed included), DEL, or a C1 control that starts no sequence.
        case control(Unicode.Scalar)
        /// The last scalar of a CSI sequence; the whole sequence, never shown.
        case controlSequence(ControlSequence)
    }

    private enum State {
        case ground
        case escape
        case controlSequence
        case controlString
        case controlStringEscape
    }

    /// Parameter bytes kept from one CSI; longer ones are still consumed but marked as overflowed.
    public static let maxParameterBytes = 64

    private var state = State.ground
    private var parameters: [UInt8] = []
    private var parametersOverflowed = false
    private var sequenceIsPrivate = false
    private var sequenceHasIntermediates = false

    /// Creates a scanner outside any sequence.
    public init() {}

    /// True while the scanner is inside an unfinished sequence (its scalars so far are swallowed).
    public var isInSequence: Bool { state != .ground }

    /// Feeds one scalar; returns what it is, or nil when it belongs to an escape sequence.
    public mutating func consume(_ scalar: Unicode.Scalar) -> Event? {
        let value = scalar.value
        switch state {
        case .ground:
            return consumeInGround(scalar)
        case .escape:
            switch value {
            case 0x5B: beginControlSequence()                         // ESC [  → CSI
            case 0x5D, 0x50, 0x58, 0x5E, 0x5F: state = .controlString   // ESC ] P X ^ _ → OSC DCS SOS PM APC
            case 0x20...0x2F: break                                     // intermediates of a two-byte escape
            case 0x30...0x7E: state = .ground                           // final byte: sequence done
            case 0x1B: break                                            // ESC ESC: the new one starts over
            default:
                state = .ground                                         // not a sequence after all
                return consumeInGround(scalar)
            }
            return nil
        case .controlSequence:
            return consumeInControlSequence(scalar)
        case .controlString:
            switch value {
            case 0x07, 0x9C: state = .ground                            // BEL or ST ends the string
            case 0x1B: state = .controlStringEscape
            default: break                                              // string content is never shown
            }
            return nil
        case .controlStringEscape:
            if value == 0x5C {
                state = .ground                                         // ESC \ is ST
                return nil
            }
            state = .escape                                             // a new sequence cuts the string short
            return consume(scalar)
        }
    }

    private mutating func consumeInGround(_ scalar: Unicode.Scalar) -> Event? {
        switch scalar.value {
        case 0x1B:
            state = .escape
        case 0x9B:
            beginControlSequence()
        case 0x90, 0x98, 0x9D, 0x9E, 0x9F:                              // 8-bit DCS SOS OSC PM APC
            state = .controlString
        case 0x00...0x1F, 0x7F...0x9F:
            return .control(scalar)
        default:
            return .text(scalar)
        }
        return nil
    }

    private mutating func consumeInControlSequence(_ scalar: Unicode.Scalar) -> Event? {
        let value = scalar.value
        switch value {
        case 0x30...0x3F:
            if value >= 0x3C { sequenceIsPrivate = true }                // < = > ? mark private sequences
            if parameters.count < Self.maxParameterBytes {
                parameters.append(UInt8(value))
            } else {
                parametersOverflowed = true
            }
        case 0x20...0x2F:
            sequenceHasIntermediates = true
        case 0x40...0x7E:
            state = .ground
            return .controlSequence(ControlSequence(
                parameters: parameters, finalByte: UInt8(value), isPrivate: sequenceIsPrivate,
                hasIntermediates: sequenceHasIntermediates, parametersOverflowed: parametersOverflowed))
        case 0x1B:
            state = .escape
        default:
            state = .ground                                             // malformed: abandon the sequence
            return consumeInGround(scalar)
        }
        return nil
    }

    private mutating func beginControlSequence() {
        state = .controlSequence
        parameters.removeAll(keepingCapacity: true)
        parametersOverflowed = false
        sequenceIsPrivate = false
        sequenceHasIntermediates = false
    }
}
