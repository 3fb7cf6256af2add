import Foundation
import Yams

/// Reads the configuration file's text into a `ConfigFile`. Strict: an unknown key is an error (a typo must not
/// silently leave a setting at its default), and so is a value of the wrong kind; each error names its line and column.
/// Yams directly, not swift-configuration's YAML provider: that one keeps neither the line and column of a value nor
/// the keys it did not ask for (see the commit introducing this file).
enum ConfigParser {
    static let sectionKeys = ["defaults", "contexts"]

    /// Keys that look like credentials get their own answer: the file holds none, by design.
    static let credentialWords = ["token", "password", "secret", "credential", "client-key", "clientkey", "privatekey"]

    /// Parses `text`, read from `path`; `home` expands `~/` and relative paths are taken from the file's folder.
    static func parse(_ text: String, path: String, home: String) throws(ConfigError) -> ConfigFile {
        var file = ConfigFile(path: path)
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw syntaxError(error, path: path) }
        guard let root else { return file }  // empty, or only comments
        let context = Walk(path: path, home: home)
        let top = try context.mapping(root, what: "the file")
        for (keyNode, value) in top {
            let key = try context.key(keyNode)
            switch key {
            case "defaults":
                file.defaults = try context.section(value, name: "defaults")
            case "contexts":
                if Walk.isEmpty(value) { continue }
                for (nameNode, section) in try context.mapping(value, what: "contexts") {
                    let name = try context.key(nameNode)
                    file.contexts[name] = try context.section(section, name: "contexts.\(name)")
                }
            default:
                throw context.unknown(key, at: keyNode, in: nil, known: sectionKeys)
            }
        }
        return file
    }

    /// A YAML syntax error, with the line and column Yams reports.
    static func syntaxError(_ error: any Error, path: String) -> ConfigError {
        guard let yaml = error as? YamlError else { return ConfigError(path: path, message: "not YAML: \(error)") }
        switch yaml {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let around = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            return ConfigError(path: path, line: mark.line, column: mark.column, message: "YAML syntax: \(problem)\(around)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return ConfigError(path: path, line: context.mark.line, column: context.mark.column,
                               message: "key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) given twice in the same section")
        case let .reader(problem, _, _, _):
            return ConfigError(path: path, message: "not readable as text: \(problem)")
        default:
            return ConfigError(path: path, message: "YAML: \(yaml)")
        }
    }

    /// The walk over the nodes: knows the file, so that every error can name it.
    private struct Walk {
        let path: String
        let home: String

        func error(_ node: Node, _ message: String) -> ConfigError {
            ConfigError(path: path, line: node.mark?.line, column: node.mark?.column, message: message)
        }

        func mapping(_ node: Node, what: String) throws(ConfigError) -> [(Node, Node)] {
            guard let mapping = node.mapping else {
                throw error(node, "\(what) must be a mapping of keys to values, got \(Self.kind(node))")
            }
            return mapping.map { ($0.key, $0.value) }
        }

        func key(_ node: Node) throws(ConfigError) -> String {
            guard let key = node.scalar?.string else { throw error(node, "keys must be plain words") }
            return key
        }

        /// One section (`defaults`, `contexts.prod`): its keys, the groups (`ssh:`, `drain:`, …) walked into.
        func section(_ node: Node, name: String) throws(ConfigError) -> ConfigFile.Section {
            var section: ConfigFile.Section = [:]
            if Self.isEmpty(node) { return section }  // `prod:` with nothing under it
            for (keyNode, value) in try mapping(node, what: name) {
                let key = try self.key(keyNode)
                if let setting = Setting(rawValue: key) {
                    section[setting] = try entry(setting, value, key: keyNode)
                    continue
                }
                let members = Setting.allCases.filter { $0.key.hasPrefix(key + ".") }
                guard !members.isEmpty else {
                    throw unknown(key, at: keyNode, in: name, known: Self.topKeys)
                }
                for (memberNode, memberValue) in try mapping(value, what: "\(name).\(key)") {
                    let member = try self.key(memberNode)
                    guard let setting = Setting(rawValue: "\(key).\(member)") else {
                        throw unknown(member, at: memberNode, in: "\(name).\(key)", known: members.map { String($0.key.dropFirst(key.count + 1)) })
                    }
                    section[setting] = try entry(setting, memberValue, key: memberNode)
                }
            }
            return section
        }

        /// A key with nothing after it (`prod:`): YAML's null, an empty plain scalar.
        static func isEmpty(_ node: Node) -> Bool { node.scalar.map { $0.string.isEmpty && $0.style == .plain } ?? false }

        /// The first-level keys of a section: the plain settings and the groups.
        static var topKeys: [String] {
            var seen = Set<String>()
            return Setting.allCases.map { String($0.key.split(separator: ".")[0]) }.filter { seen.insert($0).inserted }
        }

        func entry(_ setting: Setting, _ node: Node, key: Node) throws(ConfigError) -> ConfigFile.Entry {
            let line = key.mark?.line ?? node.mark?.line ?? 0
            let column = node.mark?.column ?? key.mark?.column ?? 0
            if setting.isList {
                let items: [Node]
                if let sequence = node.sequence { items = Array(sequence) } else { throw error(node, "\(setting.key) must be a list, got \(Self.kind(node))") }
                var texts: [String] = []
                for item in items {
                    guard let text = item.scalar?.string else { throw error(item, "\(setting.key) items must be single values, got \(Self.kind(item))") }
                    texts.append(text)
                }
                switch setting.value(ofList: texts) {
                case .success(let value): return ConfigFile.Entry(value: value, line: line, column: column)
                case .failure(let problem):
                    let at = problem.item.map { items[$0] } ?? node
                    throw error(at, "\(setting.key) \(problem.reason), got '\(problem.item.map { texts[$0] } ?? "")'")
                }
            }
            guard let scalar = node.scalar else { throw error(node, "\(setting.key) must be a single value, got \(Self.kind(node))") }
            if Self.isEmpty(node) {
                throw error(key, "\(setting.key) has no value (remove the key to use the default)")
            }
            switch setting.value(of: scalar.string) {
            case .success(var value):
                if setting.isPath, case .text(let p) = value { value = .text(expand(p)) }
                return ConfigFile.Entry(value: value, line: line, column: column)
            case .failure(let problem):
                throw error(node, "\(setting.key) \(problem.reason), got '\(scalar.string)'")
            }
        }

        /// `~/x` in the home folder, `x` beside the config file: where the operator who wrote it meant.
        func expand(_ p: String) -> String {
            if p == "~" { return home }
            if p.hasPrefix("~/") { return (home as NSString).appendingPathComponent(String(p.dropFirst(2))) }
            if p.hasPrefix("/") { return p }
            let folder = (path as NSString).deletingLastPathComponent
            return ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(p)
        }

        func unknown(_ key: String, at node: Node, in section: String?, known: [String]) -> ConfigError {
            let place = section.map { " in \($0)" } ?? ""
            let lowered = key.lowercased()
            if ConfigParser.credentialWords.contains(where: { lowered.contains($0) }) {
                return error(node, "unknown key '\(key)'\(place): the config file holds no credentials; tokens and keys stay in the kubeconfig, ssh's config or agent")
            }
            var message = "unknown key '\(key)'\(place)"
            if let close = CommandSuggestion.closest(to: key, in: known) { message += "; did you mean '\(close)'?" }
            return error(node, message + " (known: \(known.joined(separator: ", ")))")
        }

        static func kind(_ node: Node) -> String {
            switch node {
            case .scalar(let s): "'\(s.string)'"
            case .mapping: "a mapping"
            case .sequence: "a list"
            case .alias: "an alias"
            }
        }
    }
}
