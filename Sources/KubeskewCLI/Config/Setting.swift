import NodeExec
import SkewCore
import Upgrade

/// One setting the configuration file may hold: its key in the file, the flag that overrides it, its built-in
/// default, and what it accepts. Every key mirrors a flag, so what the file says and what `--help` says agree.
enum Setting: String, CaseIterable, Sendable {
    case executor
    case sshUser = "ssh.user"
    case sshPort = "ssh.port"
    case sshIdentity = "ssh.identity"
    case sshHost = "ssh.host"
    case sshOptions = "ssh.options"
    case sshConfig = "ssh.config"
    case podNamespace = "pod.namespace"
    case podImage = "pod.image"
    case packageManager
    case drainOptions = "drain.options"
    case drainTimeout = "drain.timeoutSeconds"
    case concurrency
    case probeOnOpen = "probing.onOpen"
    case probeConcurrency = "probing.concurrency"
    case readOnly
    case target
    case color

    /// The key as written in a section, dotted for the nested ones (`ssh.user` is `ssh: { user: … }`).
    var key: String { rawValue }

    /// The flag that overrides it (the positive one, for the on/off settings).
    var flag: String {
        switch self {
        case .executor: "--executor"
        case .sshUser: "--ssh-user"
        case .sshPort: "--ssh-port"
        case .sshIdentity: "--ssh-identity"
        case .sshHost: "--ssh-host"
        case .sshOptions: "--ssh-option"
        case .sshConfig: "--ssh-config"
        case .podNamespace: "--pod-namespace"
        case .podImage: "--pod-image"
        case .packageManager: "--package-manager"
        case .drainOptions: "--drain-option"
        case .drainTimeout: "--drain-timeout"
        case .concurrency: "--concurrency"
        case .probeOnOpen: "--probe"
        case .probeConcurrency: "--probe-concurrency"
        case .readOnly: "--read-only"
        case .target: "--target"
        case .color: "--color"
        }
    }

    /// What applies when neither a flag nor the file gives a value, as `kubeskew config` shows it.
    var defaultShown: String {
        switch self {
        case .executor: "ssh"
        case .sshUser: "ssh's own (~/.ssh/config, else your user)"
        case .sshPort: "ssh's own (~/.ssh/config, else 22)"
        case .sshIdentity: "ssh's own (~/.ssh/config, agent, default keys)"
        case .sshHost: "the node's name (an ssh alias), else its address"
        case .sshOptions: "none"
        case .sshConfig: "~/.ssh/config"
        case .podNamespace: "kube-system"
        case .podImage: ExecutorOptions.defaultPodImage
        case .packageManager: "from each node's OS image"
        case .drainOptions: Planner.defaultDrainOptions.joined(separator: ", ")
        case .drainTimeout: "\(DrainOptions.defaultTimeoutSeconds)"
        case .concurrency: "1"
        case .probeOnOpen: "true"
        case .probeConcurrency: "8"
        case .readOnly: "false"
        case .target: "the version the control plane is being upgraded to"
        case .color: "auto"
        }
    }

    /// Whether the file gives a list (a YAML sequence) rather than one value.
    var isList: Bool { self == .sshOptions || self == .drainOptions }

    /// Whether the value is a file path: `~/` is the home folder, a relative path is relative to the config file.
    var isPath: Bool { self == .sshIdentity || self == .sshConfig }

    /// The value `text` (one scalar of the file, as written) stands for, or what it should have been.
    func value(of text: String) -> Result<SettingValue, SettingProblem> {
        switch self {
        case .executor:
            return choice(text, ExecutorOptions.Kind.allCases.map(\.rawValue))
        case .packageManager:
            return choice(text, PackageManager.allCases.map(\.rawValue))
        case .color:
            return choice(text, ["auto", "never"])
        case .sshPort:
            guard let port = Int(text), HostValidation.isPort(port) else { return .failure(.init("must be a port number (1-65535)")) }
            return .success(.number(port))
        case .concurrency, .probeConcurrency, .drainTimeout:
            guard let n = Int(text), n >= 1 else { return .failure(.init("must be a whole number ≥ 1")) }
            return .success(.number(n))
        case .probeOnOpen, .readOnly:
            switch text.lowercased() {
            case "true": return .success(.flag(true))
            case "false": return .success(.flag(false))
            default: return .failure(.init("must be true or false"))
            }
        case .sshUser:
            return HostValidation.isUserName(text) ? .success(.text(text)) : .failure(.init("must be a user name"))
        case .sshHost:
            do { try SSHSettings(hostTemplate: text).validate() } catch {
                return .failure(.init("must give a host name or address once {name} and {ip} are filled in"))
            }
            return .success(.text(text))
        case .sshIdentity, .sshConfig:
            do { try SSHSettings(identityFile: text).validate() } catch { return .failure(.init("must be a file path")) }
            return .success(.text(text))
        case .podNamespace:
            return HostValidation.isRFC1123Label(text) ? .success(.text(text))
                : .failure(.init("must be a namespace name (lower-case letters, digits and '-')"))
        case .podImage:
            let plain = !text.isEmpty && !text.hasPrefix("-") && text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F }
            return plain ? .success(.text(text)) : .failure(.init("must be an image reference"))
        case .target:
            guard TargetChoice(argument: text) != nil else { return .failure(.init("must be vX.Y.Z, latest-patch or next-minor")) }
            return .success(.text(text))
        case .sshOptions, .drainOptions:
            return .success(.list([text]))
        }
    }

    /// Checks a whole list; the failing item's index is returned so that its own line and column can be named.
    func value(ofList items: [String]) -> Result<SettingValue, SettingProblem> {
        for (i, item) in items.enumerated() {
            switch self {
            case .sshOptions where !HostValidation.isSSHOption(item):
                return .failure(.init("items must be ssh options of the form Key=Value", item: i))
            case .drainOptions:
                do { _ = try DrainOptions.parse(flags: [item]) } catch {
                    return .failure(.init("items must be kubectl drain flags kubeskew passes (--ignore-daemonsets, "
                                          + "--delete-emptydir-data, --force, --disable-eviction, --grace-period=N, --timeout=Ns)", item: i))
                }
            default:
                break
            }
        }
        return .success(.list(items))
    }

    private func choice(_ text: String, _ choices: [String]) -> Result<SettingValue, SettingProblem> {
        choices.contains(text) ? .success(.text(text)) : .failure(.init("must be one of " + choices.joined(separator: ", ")))
    }
}

/// Why a value in the file is not one its setting accepts: the sentence after the key, and which list item.
struct SettingProblem: Error, Equatable {
    let reason: String
    var item: Int?

    init(_ reason: String, item: Int? = nil) {
        self.reason = reason
        self.item = item
    }
}

/// A setting's value, as the file or a flag gives it.
enum SettingValue: Equatable, Sendable {
    case text(String)
    case number(Int)
    case flag(Bool)
    case list([String])

    /// How `kubeskew config` prints it.
    var shown: String {
        switch self {
        case .text(let s): s
        case .number(let n): String(n)
        case .flag(let b): b ? "true" : "false"
        case .list(let items): items.isEmpty ? "none" : items.joined(separator: ", ")
        }
    }

    var text: String? { if case .text(let s) = self { s } else { nil } }
    var number: Int? { if case .number(let n) = self { n } else { nil } }
    var flag: Bool? { if case .flag(let b) = self { b } else { nil } }
    var list: [String]? { if case .list(let l) = self { l } else { nil } }
}
