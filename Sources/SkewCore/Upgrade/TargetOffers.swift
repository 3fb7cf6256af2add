/// One target the operator may pick, with what reaching it fixes: the CVEs it closes and the end of life it leaves.
public struct TargetOffer: Sendable, Equatable {
    public let choice: TargetChoice
    public let version: KubeVersion
    /// How it is named in the dialog ("the control plane's (kubeadm-config)", "latest patch of 1.33", "next minor").
    public let label: String
    /// CVE ids of components running in the cluster that this version fixes.
    public let closes: [String]
    public let endOfLife: CalendarDate?
    /// The version's minor is past its end of life today (no more patches, security fixes included).
    public let pastEndOfLife: Bool
}

/// The targets worth offering: where the control plane is going, the latest patch of that minor, and the newest patch of
/// each following minor the data knows (at most three), each with the CVEs it closes and its end of life.
public enum TargetOffers {
    /// `running`: the component versions in the cluster (kube-apiserver, kubelet, kube-proxy, …) whose CVEs count.
    public static func offers(
        apiservers: APIServerSet, kubeadmClusterVersion: KubeVersion?, running: [(component: String, version: KubeVersion)],
        calendar: ReleaseCalendar, advisories: Advisories, today: CalendarDate
    ) -> [TargetOffer] {
        let intended = UpgradePath.intended(apiservers: apiservers, kubeadmClusterVersion: kubeadmClusterVersion)
        let base = intended.version.policyVersion
        var candidates: [(TargetChoice, KubeVersion, String)] = [
            (.intended, base, "the control plane's (\(intended.source.rawValue))"),
        ]
        if let latest = calendar.release(base.minorLine)?.newestPatch, base < latest {
            candidates.append((.latestPatch, latest, "latest patch of \(base.minorLine)"))
        }
        for step in 1...3 {
            let line = MinorLine(major: base.major, minor: base.minor + step)
            guard let newest = calendar.release(line)?.newestPatch else { break }
            candidates.append((step == 1 ? .nextMinor : .version(newest), newest, step == 1 ? "next minor" : "\(step) minors on"))
        }
        return candidates.map { choice, version, label in
            TargetOffer(
                choice: choice, version: version, label: label,
                closes: closed(by: version, running: running, advisories: advisories),
                endOfLife: calendar.release(version.minorLine)?.endOfLife,
                pastEndOfLife: calendar.isEndOfLife(version.minorLine, on: today) == true)
        }
    }

    /// The CVEs some running component has that `target` no longer has: fixed at or below it on its own minor, or
    /// fixed only on older minors (a later minor is released with the fix).
    static func closed(by target: KubeVersion, running: [(component: String, version: KubeVersion)], advisories: Advisories) -> [String] {
        var ids: [String] = []
        for (component, version) in running {
            for (a, _) in advisories.fixable(component: component, version: version) where !ids.contains(a.id) {
                let sameMinor = a.fixed.first { $0.major == target.major && $0.minor == target.minor }
                let fixedThere = sameMinor.map { !(target < $0) }
                    ?? a.fixed.contains { $0.major == target.major && $0.minor < target.minor }
                if fixedThere { ids.append(a.id) }
            }
        }
        return ids.sorted()
    }
}
