/// The options of one `kubectl drain`, and the only place its flags and its process deadline are built: the
/// upgrade's drain step, the dashboard's drain dialog and single drain actions all take them from here, so the same
/// options give the same command everywhere.
public struct DrainOptions: Equatable, Hashable, Sendable, Codable {
    /// `--ignore-daemonsets`: DaemonSet pods cannot be evicted (their controller puts them back); on by default.
    public var ignoreDaemonSets = true
    /// `--delete-emptydir-data`: pods with emptyDir volumes are evicted and that data is lost.
    public var deleteEmptyDirData = false
    /// `--force`: pods without a controller are deleted for good.
    public var force = false
    /// `--disable-eviction`: pods are deleted instead of evicted, which bypasses PodDisruptionBudgets.
    public var disableEviction = false
    /// `--grace-period`: seconds each pod gets to stop; nil leaves each pod's own terminationGracePeriodSeconds.
    public var gracePeriodSeconds: Int?
    /// `--timeout`: how long the drain may take before kubectl gives up (kubectl's own default, 0, waits forever,
    /// so kubeskew always passes one).
    public var timeoutSeconds = DrainOptions.defaultTimeoutSeconds

    /// The drain timeout when the operator names none: the official procedure gives none, kubectl would wait forever.
    public static let defaultTimeoutSeconds = 300

    /// How much longer than its own `--timeout` the kubectl process may run before kubeskew stops it: kubectl
    /// reports "global timeout reached" itself first, with the pods it was waiting for, and the margin covers its
    /// start, the cordon and the last eviction round trip.
    public static let processMarginSeconds = 30

    public init(ignoreDaemonSets: Bool = true, deleteEmptyDirData: Bool = false, force: Bool = false,
                disableEviction: Bool = false, gracePeriodSeconds: Int? = nil, timeoutSeconds: Int = DrainOptions.defaultTimeoutSeconds) {
        self.ignoreDaemonSets = ignoreDaemonSets
        self.deleteEmptyDirData = deleteEmptyDirData
        self.force = force
        self.disableEviction = disableEviction
        self.gracePeriodSeconds = gracePeriodSeconds
        self.timeoutSeconds = timeoutSeconds
    }

    /// kubectl's flags for these options, in a fixed order (what follows `kubectl drain NODE`).
    public var kubectlFlags: [String] {
        var flags: [String] = []
        if ignoreDaemonSets { flags.append("--ignore-daemonsets") }
        if deleteEmptyDirData { flags.append("--delete-emptydir-data") }
        if force { flags.append("--force") }
        if disableEviction { flags.append("--disable-eviction") }
        if let gracePeriodSeconds { flags.append("--grace-period=\(gracePeriodSeconds)") }
        flags.append("--timeout=\(timeoutSeconds)s")
        return flags
    }

    /// The deadline of the kubectl drain process: its own `--timeout` plus `processMarginSeconds`.
    public var processTimeoutSeconds: Int { timeoutSeconds + Self.processMarginSeconds }

    /// An option kubeskew does not put on a drain command line.
    public struct UnknownFlag: Error, Sendable, Equatable, CustomStringConvertible {
        public let flag: String
        public var description: String {
            "drain option \(DisplaySafe.quote(flag)) is not one kubeskew passes (known: --ignore-daemonsets, --delete-emptydir-data, --force, --disable-eviction, --grace-period=N, --timeout=Ns)"
        }
    }

    /// Options from command-line flags (`--drain-option`, repeatable): none given keeps the defaults; any given
    /// replace them (so `--ignore-daemonsets` must be named to keep it). `timeoutSeconds`, when set, wins over a
    /// `--timeout` flag. Anything else is refused: no unvalidated text reaches the argv.
    public static func parse(flags: [String], timeoutSeconds: Int? = nil) throws(UnknownFlag) -> DrainOptions {
        var options = flags.isEmpty ? DrainOptions() : DrainOptions(ignoreDaemonSets: false)
        for flag in flags {
            switch flag {
            case "--ignore-daemonsets", "--ignore-daemonsets=true": options.ignoreDaemonSets = true
            case "--ignore-daemonsets=false": options.ignoreDaemonSets = false
            case "--delete-emptydir-data", "--delete-emptydir-data=true": options.deleteEmptyDirData = true
            case "--force", "--force=true": options.force = true
            case "--disable-eviction", "--disable-eviction=true": options.disableEviction = true
            default:
                if let n = seconds(flag, prefix: "--grace-period=", suffix: "") { options.gracePeriodSeconds = n }
                else if let n = seconds(flag, prefix: "--timeout=", suffix: "s") ?? seconds(flag, prefix: "--timeout=", suffix: ""), n > 0 {
                    options.timeoutSeconds = n
                } else { throw UnknownFlag(flag: flag) }
            }
        }
        if let timeoutSeconds { options.timeoutSeconds = timeoutSeconds }
        return options
    }

    private static func seconds(_ flag: String, prefix: String, suffix: String) -> Int? {
        guard flag.hasPrefix(prefix), flag.hasSuffix(suffix) else { return nil }
        let digits = flag.dropFirst(prefix.count).dropLast(suffix.count)
        guard !digits.isEmpty, digits.count <= 7, digits.allSatisfy(\.isASCIIDigit) else { return nil }
        return Int(digits)
    }
}
