import Foundation
import TerminalText

/// What `kubeskew config` prints: the file read, the context, and every setting with its value and its source.
struct ConfigReport {
    let location: ConfigLocation
    let file: ConfigFile?
    let context: ConfigContext
    let settings: EffectiveSettings

    /// The header line about the file: which one, or why none.
    var fileLine: String {
        guard let path = location.path else { return "config file: none (--no-config)" }
        if file == nil { return "config file: none: no config file at \(path) (every setting is a flag or its default)" }
        return "config file: \(path)" + (location.origin == .standard ? "" : " (from \(location.origin.rawValue))")
    }

    var contextLine: String {
        guard let name = context.name else { return "context: none (\(context.how)): only defaults apply" }
        let section = file?.contexts[name] == nil ? "no section contexts.\(name) in the file" : "section contexts.\(name) applies"
        return "context: \(name) (\(context.how); \(section))"
    }

    func table() -> String {
        let rows = Setting.allCases.map { s -> [String] in
            let r = settings[s]
            return [s.key, r.value?.shown ?? s.defaultShown, r.source.shown].map(OutputSanitizer.field)
        }
        let titles = ["SETTING", "VALUE", "FROM"]
        let widths = titles.indices.map { c in max(titles[c].count, rows.map { $0[c].count }.max() ?? 0) }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).enumerated().map { i, cw in
                i == cells.count - 1 ? cw.0 : cw.0.padding(toLength: cw.1, withPad: " ", startingAt: 0)
            }.joined(separator: "  ") + "\n"
        }
        return OutputSanitizer.field(fileLine) + "\n" + OutputSanitizer.field(contextLine) + "\n\n" + line(titles) + rows.map(line).joined()
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes, .sortedKeys]
        let doc = JSONDoc(
            file: location.path, fileFound: file != nil, fileOrigin: location.origin.rawValue,
            context: context.name, contextFrom: context.how,
            settings: Setting.allCases.map { s in
                let r = settings[s]
                var entry = JSONSetting(key: s.key, flag: s.flag, value: r.value.map(JSONValue.init), shown: r.value?.shown ?? s.defaultShown,
                                        source: "default", from: r.source.shown)
                switch r.source {
                case .flag: entry.source = "flag"
                case let .file(_, line, section):
                    entry.source = "file"
                    entry.line = line
                    entry.section = section
                case .builtIn: break
                }
                return entry
            })
        return String(decoding: try encoder.encode(doc), as: UTF8.self) + "\n"
    }

    private struct JSONDoc: Encodable {
        let file: String?
        let fileFound: Bool
        let fileOrigin: String
        let context: String?
        let contextFrom: String
        let settings: [JSONSetting]
    }

    private struct JSONSetting: Encodable {
        let key: String
        let flag: String
        /// The value as typed (number, boolean, list or text); null: the built-in default, described by `shown`.
        let value: JSONValue?
        let shown: String
        /// flag, file or default.
        var source: String
        let from: String
        var line: Int?
        var section: String?
    }

    private struct JSONValue: Encodable {
        let value: SettingValue
        init(_ value: SettingValue) { self.value = value }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch value {
            case .text(let s): try c.encode(s)
            case .number(let n): try c.encode(n)
            case .flag(let b): try c.encode(b)
            case .list(let l): try c.encode(l)
            }
        }
    }
}
