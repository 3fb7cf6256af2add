import Upgrade

/// The messages for a run id that names no run, shared by `history ID` and `upgrade --resume ID`: each says what to
/// run next instead of naming a journal file that was never there.
enum RunLookup {
    static func notARunID(_ id: String) -> String {
        "\"\(id)\" is not a run id (ids are like 20261125T151242Z-b6f417); kubeskew history lists the runs"
    }

    static func noRun(_ id: String, in journal: Journal) -> String {
        "no run \"\(id)\" in \(journal.root.path); kubeskew history lists the runs"
    }
}
