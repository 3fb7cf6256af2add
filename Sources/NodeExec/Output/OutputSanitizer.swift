import TerminalText

/// Turns raw child-process output into text that is safe to draw on the operator's terminal.
///
/// Every escape sequence is consumed (by ``EscapeSequenceScanner``, shared with the TUI). C0 controls other
/// than tab are dropped, as are DEL and the Unicode bidirectional overrides. A carriage return behaves as a
/// progress bar expects: only the last non-empty segment of the line is kept. SGR colours survive as
/// ``StyledRun``s (or are dropped, see ``keepsStyle``). Invalid UTF-8 becomes U+FFFD.
public struct OutputSanitizer: Sendable {
    /// Longest line kept, in Unicode scalars; the rest of a longer line is cut and the line marked truncated.
    public var maxScalars: Int
    /// Whether SGR colours and attributes are kept as runs; when false every run is plain.
    public var keepsStyle: Bool

    /// Creates a sanitizer.
    public init(maxScalars: Int = 4096, keepsStyle: Bool = true) {
        self.maxScalars = max(1, maxScalars)
        self.keepsStyle = keepsStyle
    }

    /// Sanitizes one line of output given as bytes (without its `\n`), starting from the plain style.
    public func sanitize(_ bytes: some Collection<UInt8>) -> SanitizedLine {
        var style = TextStyle.plain
        return sanitize(bytes, style: &style)
    }

    /// Sanitizes one line of text (without its `\n`), starting from the plain style.
    public func sanitize(_ text: String) -> SanitizedLine {
        var style = TextStyle.plain
        return sanitize(text, style: &style)
    }

    /// Sanitizes one line; `style` is the style in force at its start and is left at the style in force at its end,
    /// because a terminal carries colour across newlines.
    public func sanitize(_ bytes: some Collection<UInt8>, style: inout TextStyle) -> SanitizedLine {
        if let plain = plainASCII(bytes, style: style) { return plain }
        return sanitize(String(decoding: bytes, as: UTF8.self), style: &style)
    }

    /// Sanitizes one line of text; see ``sanitize(_:style:)-(Collection<UInt8>,_)``.
    public func sanitize(_ text: String, style: inout TextStyle) -> SanitizedLine {
        var machine = SanitizerMachine(maxScalars: maxScalars, keepsStyle: keepsStyle, style: style)
        for scalar in text.unicodeScalars {
            machine.consume(scalar)
        }
        let line = machine.finish()
        style = machine.style
        return line
    }

    /// Splits text on `\n` and sanitizes each line, carrying the style from one line to the next.
    public func sanitizeLines(_ text: String) -> [SanitizedLine] {
        var style = TextStyle.plain
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { sanitize(String($0), style: &style) }
    }

    /// The fast path for the common case: printable ASCII and tabs need no parsing at all.
    private func plainASCII(_ bytes: some Collection<UInt8>, style: TextStyle) -> SanitizedLine? {
        guard bytes.count <= maxScalars else { return nil }
        guard bytes.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 }) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        if style == .plain || !keepsStyle { return SanitizedLine(plain: text, isTruncated: false) }
        return SanitizedLine(runs: [StyledRun(text: text, style: style)], isTruncated: false)
    }
}

/// Builds one ``SanitizedLine`` from the scanner's events: the output policy (what to keep, colour, carriage
/// returns, the length limit) on top of the shared escape-sequence scanning of ``EscapeSequenceScanner``.
struct SanitizerMachine {
    let maxScalars: Int
    let keepsStyle: Bool
    private(set) var style: TextStyle

    private var scanner = EscapeSequenceScanner()
    private var runs: [StyledRun] = []
    private var runText = String.UnicodeScalarView()
    private var runStyle: TextStyle
    private var segmentScalars = 0
    private var segmentTruncated = false
    private var previousSegment: (runs: [StyledRun], truncated: Bool)?

    init(maxScalars: Int, keepsStyle: Bool, style: TextStyle) {
        self.maxScalars = maxScalars
        self.keepsStyle = keepsStyle
        self.style = keepsStyle ? style : .plain
        self.runStyle = self.style
    }

    mutating func consume(_ scalar: Unicode.Scalar) {
        switch scanner.consume(scalar) {
        case nil:
            break
        case .text(let text):
            switch text.value {
            case 0x202A...0x202E, 0x2066...0x2069: break                // bidi embeddings and isolates reorder text
            default: append(text)
            }
        case .control(let control):
            switch control.value {
            case 0x0D: endSegment()
            case 0x09: append(control)
            default: break                                              // other C0, DEL, C1: dropped
            }
        case .controlSequence(let sequence):
            if keepsStyle, let parameters = sequence.sgrParameters {
                SGRInterpreter.apply(parameters: parameters, to: &style)
            }
        }
    }

    private mutating func append(_ scalar: Unicode.Scalar) {
        guard segmentScalars < maxScalars else {
            segmentTruncated = true
            return
        }
        if style != runStyle {
            flushRun()
            runStyle = style
        }
        runText.append(scalar)
        segmentScalars += 1
    }

    private mutating func flushRun() {
        if !runText.isEmpty {
            runs.append(StyledRun(text: String(runText), style: runStyle))
            runText = String.UnicodeScalarView()
        }
    }

    /// A carriage return: what follows overwrites what came before, as on a terminal drawing a progress bar.
    private mutating func endSegment() {
        flushRun()
        if !runs.isEmpty {
            previousSegment = (runs, segmentTruncated)
        }
        runs = []
        segmentScalars = 0
        segmentTruncated = false
    }

    mutating func finish() -> SanitizedLine {
        flushRun()
        if runs.isEmpty, let previousSegment {
            return SanitizedLine(runs: previousSegment.runs, isTruncated: previousSegment.truncated)
        }
        return SanitizedLine(runs: runs, isTruncated: segmentTruncated)
    }
}
