import ArgumentParser

/// `kubeskew version`: the same text as `--version`, as `kubectl version` users expect a subcommand
/// (`kubectl skew version`).
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print kubeskew's version, the commit it was built from and the dates of its embedded data."
    )

    func run() {
        print(KubeskewVersion.text())
    }
}
