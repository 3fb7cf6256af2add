import Foundation

/// The day each embedded data file was taken on (its `dataTakenOn`), for `kubeskew --version`: an operator must
/// see how old the release calendar and the CVE table a verdict rests on are.
public struct EmbeddedDataStamp: Sendable, Equatable {
    /// The file in Assets/data, e.g. `releases.json`.
    public let file: String
    /// What the file holds, in words (`release calendar`); the file name for a file this code does not know.
    public let title: String
    /// Nil when the file carries no readable `dataTakenOn`.
    public let takenOn: CalendarDate?

    /// The words for the files kubeskew knows; any other embedded data file is listed by its name.
    static let titles = ["releases.json": "release calendar", "advisories.json": "advisories (CVEs)",
                         "removed-apis.json": "removed APIs"]

    /// Every embedded data file, the known ones first in a fixed order, then the others by name.
    public static func all(files: [String: String] = EmbeddedData.files) -> [EmbeddedDataStamp] {
        let order = ["releases.json", "advisories.json", "removed-apis.json"]
        let names = files.keys.filter { $0.hasSuffix(".json") }.sorted {
            (order.firstIndex(of: $0) ?? order.count, $0) < (order.firstIndex(of: $1) ?? order.count, $1)
        }
        return names.map { name in
            EmbeddedDataStamp(file: name, title: titles[name] ?? name, takenOn: takenOn(files[name] ?? ""))
        }
    }

    /// The removed-API data is named even while no such file is embedded, so its absence is visible.
    public static var hasRemovedAPIData: Bool { EmbeddedData.files["removed-apis.json"] != nil }

    private struct Header: Decodable { let dataTakenOn: String? }

    static func takenOn(_ json: String) -> CalendarDate? {
        guard let header = try? JSONDecoder().decode(Header.self, from: Data(json.utf8)), let day = header.dataTakenOn else { return nil }
        return CalendarDate(day)
    }
}
