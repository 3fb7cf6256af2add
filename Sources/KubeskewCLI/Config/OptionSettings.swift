import Upgrade

/// The flags each option group was given, as settings, and the group again with what the settings resolved: how the
/// commands' existing option types take the configuration file without learning about it.
extension [Setting: FlagValue] {
    /// Records `value` as given by `setting`'s flag (or `flag`, the spelling typed); nil means not given.
    mutating func given(_ setting: Setting, _ value: SettingValue?, flag: String? = nil) {
        guard let value else { return }
        self[setting] = FlagValue(value: value, flag: flag ?? setting.flag)
    }

    /// An on/off flag with a `--no-` side: the flag typed is named.
    mutating func given(_ setting: Setting, _ value: Bool?) {
        guard let value else { return }
        given(setting, .flag(value), flag: value ? setting.flag : "--no-" + setting.flag.dropFirst(2))
    }
}

extension ExecutorOptions {
    var flagValues: [Setting: FlagValue] {
        var v: [Setting: FlagValue] = [:]
        v.given(.executor, executor.map { .text($0.rawValue) })
        v.given(.sshUser, sshUser.map(SettingValue.text))
        v.given(.sshPort, sshPort.map(SettingValue.number))
        v.given(.sshIdentity, sshIdentity.map(SettingValue.text))
        v.given(.sshHost, sshHost.map(SettingValue.text))
        v.given(.sshOptions, sshOption.isEmpty ? nil : .list(sshOption))
        v.given(.sshConfig, sshConfig.map(SettingValue.text))
        v.given(.podNamespace, podNamespace.map(SettingValue.text))
        v.given(.podImage, podImage.map(SettingValue.text))
        return v
    }

    /// These options as the settings resolved them (flags included: they are the first layer).
    func resolved(_ s: EffectiveSettings) -> ExecutorOptions {
        var o = self
        o.executor = s.text(.executor).flatMap(Kind.init(rawValue:))
        o.sshUser = s.text(.sshUser)
        o.sshPort = s.number(.sshPort)
        o.sshIdentity = s.text(.sshIdentity)
        o.sshHost = s.text(.sshHost)
        o.sshOption = s.list(.sshOptions) ?? []
        o.sshConfig = s.text(.sshConfig)
        o.podNamespace = s.text(.podNamespace)
        o.podImage = s.text(.podImage)
        return o
    }
}

extension PlanningOptions {
    var flagValues: [Setting: FlagValue] {
        var v: [Setting: FlagValue] = [:]
        v.given(.packageManager, packageManager.map { .text($0.rawValue) })
        v.given(.drainOptions, drainOption.isEmpty ? nil : .list(drainOption))
        v.given(.drainTimeout, drainTimeout.map(SettingValue.number))
        return v
    }

    func resolved(_ s: EffectiveSettings) -> PlanningOptions {
        var o = self
        o.packageManager = s.text(.packageManager).flatMap(PackageManager.init(rawValue:))
        o.drainOption = s.list(.drainOptions) ?? []
        o.drainTimeout = s.number(.drainTimeout)
        return o
    }
}

extension ProbeOptions {
    var flagValues: [Setting: FlagValue] {
        var v: [Setting: FlagValue] = [:]
        v.given(.probeOnOpen, probe)
        v.given(.probeConcurrency, probeConcurrency.map(SettingValue.number))
        return v
    }

    func resolved(_ s: EffectiveSettings) -> ProbeOptions {
        var o = self
        o.probe = s.flag(.probeOnOpen)
        o.probeConcurrency = s.number(.probeConcurrency)
        return o
    }
}

extension DataOptions {
    var flagValues: [Setting: FlagValue] {
        var v: [Setting: FlagValue] = [:]
        v.given(.target, target.map(SettingValue.text))
        return v
    }

    /// With the target resolved (the file's was checked when read, so `context()` takes it as it takes the flag's).
    func resolved(_ s: EffectiveSettings) -> DataOptions {
        var o = self
        o.target = s.text(.target)
        return o
    }
}

extension [Setting: FlagValue] {
    /// `self` with `other`'s flags added (the groups of one command never share a flag).
    func adding(_ other: [Setting: FlagValue]) -> [Setting: FlagValue] { merging(other) { a, _ in a } }
}
