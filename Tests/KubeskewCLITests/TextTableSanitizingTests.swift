import Testing
@testable import KubeskewCLI

/// `check`'s table prints cluster text (names, roles, versions): the one terminal sanitizer cleans each cell.
struct TextTableSanitizingTests {
    @Test func cellsCarryNoEscapeSequenceControlOrBidiOverride() {
        let cell = TextTable.Cell("worker\u{202E}lortnoc\u{1B}]0;pwned\u{07}\u{1B}[2J\tend")
        #expect(!cell.text.unicodeScalars.contains { $0.properties.isBidiControl })
        #expect(!cell.text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(cell.text == "workerlortnoc end")
    }
}
