import Foundation

/// The configuration file as read: the `defaults` section, one section per context, and where each value was written.
struct ConfigFile: Equatable, Sendable {
    /// A value with the line and column it was written at, for provenance and for errors found later.
    struct Entry: Equatable, Sendable {
        let value: SettingValue
        let line: Int
        let column: Int
    }

    /// The settings of one section.
    typealias Section = [Setting: Entry]

    /// The file's path, as named (the flag, the environment, or the standard place).
    let path: String
    /// `defaults:`: every context.
    var defaults: Section = [:]
    /// `contexts.<name>:`, by kubeconfig context name.
    var contexts: [String: Section] = [:]

    /// `config.yaml`: the short name provenance is shown with (the full path is printed once, above).
    var name: String { (path as NSString).lastPathComponent }
}

/// A file that cannot be used, with the line and column at fault when there is one: `path:7:14: message`, as
/// compilers say it, so that editors jump there.
struct ConfigError: Error, Equatable, CustomStringConvertible {
    let path: String
    var line: Int?
    var column: Int?
    let message: String

    var description: String {
        var place = path
        if let line { place += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        return "\(place): \(message)"
    }
}
