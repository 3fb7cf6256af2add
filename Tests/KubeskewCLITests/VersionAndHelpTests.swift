import ArgumentParser
import Foundation
import SkewCore
import Testing
@testable import KubeskewCLI

/// `kubeskew --version` names the build and the age of the data verdicts rest on; `--help` reads well in a terminal.
struct VersionAndHelpTests {
    @Test func versionNamesTheCommitAndEachEmbeddedDataFilesDate() throws {
        let releases = try #require(EmbeddedData.files["releases.json"])
        let day = try #require(releases.firstMatch(of: /"dataTakenOn": "(\d{4}-\d{2}-\d{2})"/)?.1)
        let text = KubeskewVersion.text(commit: "0123456789ab")
        #expect(text.hasPrefix("kubeskew \(KubeskewVersion.number)\ncommit: 0123456789ab\n"))
        #expect(text.contains("release calendar   \(day) (releases.json)"))
        #expect(text.contains("advisories (CVEs)"))
        // The removed-API table is embedded now: its date shows, not "none embedded".
        let removed = try #require(EmbeddedData.files["removed-apis.json"])
        let removedDay = try #require(removed.firstMatch(of: /"dataTakenOn": "(\d{4}-\d{2}-\d{2})"/)?.1)
        #expect(text.contains("removed APIs       \(removedDay) (removed-apis.json)"))
        #expect(!text.contains("none embedded"))
        #expect(Kubeskew.configuration.version == KubeskewVersion.text())
    }

    @Test func aDataFileWithoutADateOrUnknownIsStillListed() {
        let stamps = EmbeddedDataStamp.all(files: ["zeta.json": "{}", "advisories.json": #"{"dataTakenOn": "2026-01-02"}"#,
                                                   "removed-apis.json": #"{"dataTakenOn": "2026-03-04"}"#, "notes.txt": ""])
        #expect(stamps.map(\.file) == ["advisories.json", "removed-apis.json", "zeta.json"])
        #expect(stamps.map(\.takenOn?.description) == ["2026-01-02", "2026-03-04", nil])
        let text = KubeskewVersion.text(commit: "unknown", stamps: stamps, removedAPIData: true)
        #expect(text.contains("removed APIs       2026-03-04 (removed-apis.json)"))
        #expect(text.contains("zeta.json          no date (zeta.json)"))
        #expect(!text.contains("none embedded"))
    }

    static var commands: [any ParsableCommand.Type] { [Kubeskew.self] + Kubeskew.configuration.subcommands }

    /// Lines of the overview and discussion (what comes before USAGE).
    static func overview(_ command: any ParsableCommand.Type, columns: Int) -> [Substring] {
        let help = Kubeskew.helpMessage(for: command, columns: columns)
        return help.split(separator: "\n", omittingEmptySubsequences: false).prefix { !$0.hasPrefix("USAGE:") }
    }

    // Issue 17: "the --help overviews break lines in mid-sentence". With room enough every paragraph is one line, so
    // a line starting in lower case is a sentence broken by a hard newline in the source.
    @Test(arguments: commands.map { ObjectIdentifier($0) })
    func paragraphsAreNotBrokenInMidSentence(_ id: ObjectIdentifier) throws {
        let command = try #require(Self.commands.first { ObjectIdentifier($0) == id })
        for line in Self.overview(command, columns: 1000) {
            #expect(!(line.first?.isLowercase ?? false), "\(command._commandName): a sentence broken in the source: \(line)")
        }
    }

    // Examples are indented lines; at 80 columns each must still fit on its own line.
    @Test(arguments: commands.map { ObjectIdentifier($0) })
    func examplesFitEightyColumns(_ id: ObjectIdentifier) throws {
        let command = try #require(Self.commands.first { ObjectIdentifier($0) == id })
        let wide = Self.overview(command, columns: 1000).filter { $0.hasPrefix("  ") }
        let narrow = Self.overview(command, columns: 80).filter { $0.hasPrefix("  ") }
        #expect(narrow == wide, "\(command._commandName): an example wraps at 80 columns")
    }
}
