import BuildInfo
import SkewCore

/// kubeskew's own version and what `kubeskew --version` says about the build and the data it carries.
public enum KubeskewVersion {
    /// The release number; raised by hand at each release.
    public static let number = "0.6.0"

    /// Version, commit and the day each embedded data file was taken on: verdicts are only as fresh as that data.
    public static func text(commit: String = BuildInfo.commit, stamps: [EmbeddedDataStamp] = EmbeddedDataStamp.all(),
                            removedAPIData: Bool = EmbeddedDataStamp.hasRemovedAPIData) -> String {
        var lines = ["kubeskew \(number)", "commit: \(commit)"]
        let width = max(stamps.map(\.title.count).max() ?? 0, "removed APIs".count)
        func row(_ title: String, _ value: String) -> String {
            "  " + title + String(repeating: " ", count: width - title.count) + "  " + value
        }
        lines.append("embedded data (taken on):")
        for stamp in stamps {
            lines.append(row(stamp.title, "\(stamp.takenOn?.description ?? "no date") (\(stamp.file))"))
        }
        if !removedAPIData { lines.append(row("removed APIs", "none embedded")) }
        return lines.joined(separator: "\n")
    }
}
