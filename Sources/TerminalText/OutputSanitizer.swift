/// The one sanitizer for every text that reaches the operator's terminal: command output, and with ``field(_:)``
/// text from the cluster (names, labels, versions, server messages).
///
/// Every escape sequence is consumed (by ``EscapeSequenceScanner``). Unicode bidirectional formatting characters
/// (the Bidi_Control set: embeddings, overrides, isolates, marks) are removed everywhere, since they make the
/// terminal show text in another order than it is. For command output, C0 controls other than tab are dropped, as
/// is DEL; a carriage return behaves as a progress bar expects (only the last non-empty segment of the line is
/// kept); SGR colours survive as ``StyledRun``s (or are dropped, see ``keepsStyle``). Invalid UTF-8 becomes U+FFFD.
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

    /// A one-line field from the cluster or the user, made safe to draw: escape sequences and bidirectional
    /// formatting removed, a tab turned into a space, and every other control character (line breaks included)
    /// shown as `�`, so that a hidden control still shows that it was there. No colour, no length limit.
    public static func field(_ text: String) -> String {
        // Most names and versions are printable ASCII: nothing to do.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var machine = SanitizerMachine(maxScalars: Int.max, keepsStyle: false, style: .plain, controls: .shown)
        for scalar in text.unicodeScalars {
            machine.consume(scalar)
        }
        return machine.finish().text
    }

    /// True for the scalars removed from all text because they reorder what the terminal shows.
    public static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isBidiControl
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
    /// What happens to a control character that starts no sequence.
    enum Controls {
        /// Command output: a carriage return starts the line over, a tab stays, the rest are dropped.
        case terminalLike
        /// A field: a tab becomes a space, every other control becomes `�`.
        case shown
    }

    let maxScalars: Int
    let keepsStyle: Bool
    let controls: Controls
    private(set) var style: TextStyle

    private var scanner = EscapeSequenceScanner()
    private var runs: [StyledRun] = []
    private var runText = String.UnicodeScalarView()
    private var runStyle: TextStyle
    private var segmentScalars = 0
    private var segmentTruncated = false
    private var previousSegment: (runs: [StyledRun], truncated: Bool)?

    init(maxScalars: Int, keepsStyle: Bool, style: TextStyle, controls: Controls = .terminalLike) {
        self.maxScalars = maxScalars
        self.keepsStyle = keepsStyle
        self.controls = controls
        self.style = keepsStyle ? style : .plain
        self.runStyle = self.style
    }

    mutating func consume(_ scalar: Unicode.Scalar) {
        switch scanner.consume(scalar) {
        case nil:
            break
        case .text(let text):
            if !OutputSanitizer.isBidiControl(text) { append(text) }
        case .control(let control):
            switch (controls, control.value) {
            case (.terminalLike, 0x0D): endSegment()
            case (.terminalLike, 0x09): append(control)
            case (.terminalLike, _): break                              // other C0, DEL, C1: dropped
            case (.shown, 0x09): append(" ")
            case (.shown, _): append("\u{FFFD}")
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
