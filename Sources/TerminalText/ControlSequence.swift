/// One complete CSI sequence (`ESC [ … final` or its 8-bit form), as the scanner saw it.
public struct ControlSequence: Sendable, Hashable {
    /// The parameter bytes (`0`–`9`, `:`, `;`, `<`–`?`), at most ``EscapeSequenceScanner/maxParameterBytes`` of them.
    public let parameters: [UInt8]
    /// The final byte (`0x40`–`0x7E`), e.g. `m` for SGR or `H` for cursor position.
    public let finalByte: UInt8
    /// True when a `<`, `=`, `>` or `?` marked the sequence as private (e.g. `ESC [ ? 1049 h`).
    public let isPrivate: Bool
    /// True when intermediate bytes (`0x20`–`0x2F`) came before the final byte.
    public let hasIntermediates: Bool
    /// True when there were more parameter bytes than kept; the sequence is then not to be interpreted.
    public let parametersOverflowed: Bool

    /// Creates a sequence; the scanner is the only producer outside tests.
    public init(parameters: [UInt8], finalByte: UInt8, isPrivate: Bool = false, hasIntermediates: Bool = false,
                parametersOverflowed: Bool = false) {
        self.parameters = parameters
        self.finalByte = finalByte
        self.isPrivate = isPrivate
        self.hasIntermediates = hasIntermediates
        self.parametersOverflowed = parametersOverflowed
    }

    /// The parameters when this is a plain SGR sequence (`ESC [ … m`) that can be interpreted safely, else nil.
    public var sgrParameters: [UInt8]? {
        finalByte == 0x6D && !isPrivate && !hasIntermediates && !parametersOverflowed ? parameters : nil
    }
}
