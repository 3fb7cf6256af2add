import Foundation
import TestSupport
import Testing
@testable import KubeskewCLI

/// Issue 17: `kubeskew chekc` printed the dashboard's usage (the default subcommand) instead of naming the mistake.
struct UnknownCommandTests {
    static let names = Kubeskew.listedCommands.map(\.name)

    @Test(arguments: [("chekc", "check"), ("upgarde", "upgrade"), ("hist", "history"), ("dashbaord", "dashboard"),
                      ("Check", "check"), ("ap", "apis")])
    func aCloseWordSuggestsTheCommand(_ word: String, _ expected: String) {
        #expect(CommandSuggestion.closest(to: word, in: Self.names) == expected)
    }

    @Test(arguments: ["zzz", "nodes.json", "kubectl", ""])
    func aFarWordSuggestsNothing(_ word: String) {
        #expect(CommandSuggestion.closest(to: word, in: Self.names) == nil)
    }

    @Test func aSwapOfNeighboursIsOneEdit() {
        #expect(CommandSuggestion.editDistance("chekc", "check") == 1)
        #expect(CommandSuggestion.editDistance("", "plan") == 4)
        #expect(CommandSuggestion.editDistance("plan", "plan") == 0)
    }

    @Test func optionsKnownNamesAndHelpGoToTheParser() {
        let known = Kubeskew.knownCommandNames
        for arguments in [[], ["--context", "prod"], ["-h"], ["---completion", "--", "x"], ["help", "check"], ["check"],
                          ["sim-exec"], ["history", "chekc"]] {
            #expect(UnknownCommand.find(in: arguments, known: known, suggestible: Self.names) == nil, "\(arguments)")
        }
        #expect(UnknownCommand.find(in: ["chekc", "--json"], known: known, suggestible: Self.names)
                == UnknownCommand(word: "chekc", suggestion: "check"))
    }

    @Test func theMistypedCommandIsNamedOnStderrWithTheCommands() async throws {
        let r = try await BinaryRunner.run(["chekc"])
        #expect(r.status == 64)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.hasPrefix("kubeskew: unknown command \"chekc\"; did you mean \"check\"?\n"))
        for name in Self.names { #expect(r.stderr.contains("\n  \(name)"), "\(name) is not listed") }
        #expect(!r.stderr.contains("sim-exec"), "a hidden command is listed")
        #expect(!r.stderr.contains("USAGE"), "the dashboard's usage is still printed")
    }

    @Test func aWordCloseToNothingIsStillNamedWithTheCommands() async throws {
        let r = try await BinaryRunner.run(["zzz"])
        #expect(r.status == 64)
        #expect(r.stderr.hasPrefix("kubeskew: unknown command \"zzz\"\n"))
        #expect(!r.stderr.contains("did you mean"))
        #expect(r.stderr.contains("  check "))
    }

    // As a kubectl plugin the message names `kubectl skew`, after kubectl's flags were moved behind the word.
    @Test func asAKubectlPluginTheMessageNamesKubectlSkew() async throws {
        try await BinaryRunner.withTempDir { dir in
            let plugin = dir.appendingPathComponent(KubectlPluginArguments.executableName)
            try FileManager.default.createSymbolicLink(at: plugin, withDestinationURL: BinaryRunner.binary)
            let r = try await ChildProcess.run(plugin.path, ["--context", "prod", "upgarde"])
            #expect(r.status == 64)
            #expect(r.stderr.hasPrefix("kubectl skew: unknown command \"upgarde\"; did you mean \"upgrade\"?\n"))
        }
    }
}
