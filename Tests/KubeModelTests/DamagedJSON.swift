import Foundation

/// Real JSON with a few bytes replaced by JSON's structural characters and a few others: the input of the property
/// tests that compare the selective decoders with JSONDecoder.
enum DamagedJSON {
    static func variants(of base: Data, count: Int = 400) -> [Data] {
        var rng = SystemRandomNumberGenerator()
        let original = Array(base)
        let replacements = Array(#"{}[]",:\0a1 "#.utf8)
        return (0..<count).map { _ in
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = replacements.randomElement(using: &rng) ?? 0
            }
            return Data(bytes)
        }
    }
}
