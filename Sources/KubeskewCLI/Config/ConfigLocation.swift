import Foundation

/// Which configuration file is read, and why that one: `--config FILE`, else `KUBESKEW_CONFIG`, else
/// `$XDG_CONFIG_HOME/kubeskew/config.yaml`, else `~/.config/kubeskew/config.yaml`; `--no-config` reads none.
struct ConfigLocation: Equatable, Sendable {
    enum Origin: String, Equatable, Sendable {
        case flag = "--config"
        case environment = "KUBESKEW_CONFIG"
        case standard = "$XDG_CONFIG_HOME or ~/.config"
        case disabled = "--no-config"
    }

    /// The file, or nil under `--no-config`.
    let path: String?
    let origin: Origin

    /// A file named on purpose must exist; the standard one may be absent (every setting then has its default).
    var mustExist: Bool { origin == .flag || origin == .environment }

    static func resolve(flag: String?, disabled: Bool, environment: [String: String]) -> ConfigLocation {
        if disabled { return ConfigLocation(path: nil, origin: .disabled) }
        if let flag { return ConfigLocation(path: flag, origin: .flag) }
        if let env = environment["KUBESKEW_CONFIG"], !env.isEmpty { return ConfigLocation(path: env, origin: .environment) }
        // The XDG base directory spec: a relative XDG_CONFIG_HOME is invalid and ignored.
        let base: String
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            base = xdg
        } else {
            base = ((environment["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".config")
        }
        return ConfigLocation(path: (base as NSString).appendingPathComponent("kubeskew/config.yaml"), origin: .standard)
    }

    /// Reads and parses the file; nil when there is none to read. The file is only ever read, never written.
    func load(home: String) throws(ConfigError) -> ConfigFile? {
        guard let path else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            if mustExist { throw ConfigError(path: path, message: "no such file (named by \(origin.rawValue))") }
            return nil
        }
        if isDirectory.boolValue { throw ConfigError(path: path, message: "is a folder, not a file") }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            let reason = FileManager.default.isReadableFile(atPath: path) ? "cannot be read" : "permission denied"
            throw ConfigError(path: path, message: reason)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ConfigError(path: path, message: "is not UTF-8 text") }
        return try ConfigParser.parse(text, path: path, home: home)
    }
}
