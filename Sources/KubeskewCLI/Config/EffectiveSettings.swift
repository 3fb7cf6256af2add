/// Where a setting's value came from, as `kubeskew config` says it.
enum SettingSource: Equatable, Sendable {
    /// The command line (the flag as typed: `--no-probe` for the off side of `--probe`).
    case flag(String)
    /// The file: its short name, the line, and the section (`defaults`, `contexts.prod`).
    case file(name: String, line: Int, section: String)
    /// Neither: the built-in default.
    case builtIn

    var shown: String {
        switch self {
        case .flag(let flag): "flag \(flag)"
        case let .file(name, line, section): "\(name):\(line) (\(section))"
        case .builtIn: "default"
        }
    }
}

/// A value given on the command line, with the flag that gave it.
struct FlagValue: Equatable, Sendable {
    let value: SettingValue
    let flag: String
}

/// Every setting resolved for one context: flag, else `contexts.<context>`, else `defaults`, else built in. The one
/// place the layers meet; commands read their values from here and keep their own defaults for `nil`.
struct EffectiveSettings: Sendable {
    /// A setting's value (nil: the built-in default) and where it came from.
    struct Resolved: Equatable, Sendable {
        let value: SettingValue?
        let source: SettingSource
    }

    /// The context whose section applied, if any.
    let context: String?
    /// The file read (nil: none) and the flags given: the layers, kept to resolve for another context.
    let file: ConfigFile?
    let flags: [Setting: FlagValue]
    private(set) var resolved: [Setting: Resolved] = [:]

    /// Resolves every setting from the flags given, the file (nil: none) and the context in use.
    init(flags: [Setting: FlagValue], file: ConfigFile?, context: String?) {
        self.context = context
        self.file = file
        self.flags = flags
        let own = context.flatMap { file?.contexts[$0] } ?? [:]
        for setting in Setting.allCases {
            if let given = flags[setting] {
                resolved[setting] = Resolved(value: given.value, source: .flag(given.flag))
            } else if let file, let entry = own[setting], let context {
                resolved[setting] = Resolved(value: entry.value, source: .file(name: file.name, line: entry.line, section: "contexts.\(context)"))
            } else if let file, let entry = file.defaults[setting] {
                resolved[setting] = Resolved(value: entry.value, source: .file(name: file.name, line: entry.line, section: "defaults"))
            } else {
                resolved[setting] = Resolved(value: nil, source: .builtIn)
            }
        }
    }

    /// The same layers for another context (`check --all-contexts`: each cluster its own section).
    func forContext(_ name: String) -> EffectiveSettings { EffectiveSettings(flags: flags, file: file, context: name) }

    /// No file and no flags: every setting at its default.
    static let builtIn = EffectiveSettings(flags: [:], file: nil, context: nil)

    subscript(_ setting: Setting) -> Resolved { resolved[setting] ?? Resolved(value: nil, source: .builtIn) }

    func text(_ s: Setting) -> String? { self[s].value?.text }
    func number(_ s: Setting) -> Int? { self[s].value?.number }
    func flag(_ s: Setting) -> Bool? { self[s].value?.flag }
    func list(_ s: Setting) -> [String]? { self[s].value?.list }

    /// How a value is named in a message: the flag, or the file's line, so that the operator knows what to change.
    func origin(_ s: Setting) -> String {
        switch self[s].source {
        case .flag(let flag): flag
        case .file: "\(s.key) at \(self[s].source.shown)"
        case .builtIn: s.flag
        }
    }
}
