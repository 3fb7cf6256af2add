import Foundation
import Testing
import TestSupport

/// Issue 16: "Fuzz the version parser, the Node decoder, the kubeconfig loader and the output sanitizer (libFuzzer
/// through `-sanitize=fuzzer` …; a short run in the test suite, a long run reported in the closing note)". The short
/// run: each target built with libFuzzer and AddressSanitizer (scripts/fuzz) and run 20,000 times on its seeds; a
/// crash, a sanitizer report or a broken oracle (see Fuzz/*.swift) fails it, with the input in .build/fuzz/findings.
@Suite(.serialized)
struct FuzzSmokeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: ["version", "sanitizer", "node", "kubeconfig"])
    func twentyThousandRunsFindNothing(target: String) async throws {
        let r = try await ChildProcess.run("/bin/bash", [Self.root.appendingPathComponent("scripts/fuzz").path, target, "-runs=20000", "-seed=1"],
                                           timeout: .seconds(1200))
        #expect(r.status == 0, "scripts/fuzz \(target) found something:\n\(r.stderr.suffix(4000))")
        #expect(r.stderr.contains("Done 20000 runs"), "\(r.stderr.suffix(2000))")
    }
}
