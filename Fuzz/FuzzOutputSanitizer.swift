// libFuzzer target: the output sanitizer (TerminalText) every child's output goes through before the screen.
// Oracle: never crash; no control character (C0 but tab, DEL, C1), no escape and no bidi override survives, and the
// runs are the text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOutputSanitizer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    var style = TextStyle()
    for line in [OutputSanitizer().sanitize(bytes), OutputSanitizer().sanitize(bytes, style: &style)] {
        for scalar in line.text.unicodeScalars {
            let v = scalar.value
            if (v < 0x20 && v != 0x09) || v == 0x7F || (0x80...0x9F).contains(v) {
                fatalError("control U+\(String(v, radix: 16)) survived in \(line.text.debugDescription)")
            }
            if (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) {
                fatalError("bidi override U+\(String(v, radix: 16)) survived")
            }
        }
        if line.runs.map(\.text).joined() != line.text { fatalError("runs are not the text") }
    }
    return 0
}
