import Testing
@testable import SkewCore

private func v(_ s: String) -> KubeVersion {
    guard let parsed = KubeVersion.parse(s) else { fatalError("bad test version \(s)") }
    return parsed
}

struct UpgradePathTests {
    let calendar = ReleaseCalendar.embedded()

    // "Project policies ... require `kube-apiserver` to not skip minor versions when upgrading" and kubeadm "can
    // upgrade only 1 minor version at a time": 1.30 → 1.33 is three passes, through the newest patch of each minor.
    @Test func hopsOneMinorAtATime() throws {
        let hops = try UpgradePath.hops(from: v("v1.30.9"), to: v("v1.33.3"), calendar: calendar)
        #expect(hops.map(\.version.description) == ["v1.31.14", "v1.32.13", "v1.33.3"])
        #expect(hops.allSatisfy { $0.changesMinor })
        #expect(hops.map(\.repositoryMinor.description) == ["1.31", "1.32", "1.33"])
        #expect(hops[0].debRepository == "https://pkgs.k8s.io/core:/stable:/v1.31/deb/")
        #expect(hops[2].rpmRepository == "https://pkgs.k8s.io/core:/stable:/v1.33/rpm/")
    }

    @Test func patchUpgradeIsOnePassWithoutRepositorySwitch() throws {
        let hops = try UpgradePath.hops(from: v("v1.33.2"), to: v("v1.33.3"), calendar: calendar)
        #expect(hops == [Hop(version: v("v1.33.3"), changesMinor: false)])
        #expect(try UpgradePath.hops(from: v("v1.33.3"), to: v("v1.33.3"), calendar: calendar).isEmpty)
    }

    // DESIGN.md §1: "The target is the version the control plane is being upgraded to (kubeadm-config
    // `kubernetesVersion`, else the newest API server), or what the operator picks". Newer than the oldest API server
    // is allowed now: the control plane goes first (each node says so, `controlPlaneFirst`).
    @Test func targetIsWhereTheControlPlaneIsGoing() throws {
        let ha = try #require(APIServerSet([v("v1.33.3"), v("v1.32.9")]))
        let cal = ReleaseCalendar.embedded()
        func t(_ k: String?, _ c: TargetChoice) throws -> ResolvedTarget {
            try UpgradePath.target(apiservers: ha, kubeadmClusterVersion: k.map(v), choice: c, calendar: cal)
        }
        #expect(try t(nil, .intended) == ResolvedTarget(version: v("v1.33.3"), source: .newestAPIServer))
        #expect(try t("v1.33.4", .intended) == ResolvedTarget(version: v("v1.33.4"), source: .kubeadmConfig))
        #expect(try t("v1.32.9", .intended) == ResolvedTarget(version: v("v1.33.3"), source: .newestAPIServer),
                "a kubeadm-config older than a running API server is stale")
        #expect(try t(nil, .version(v("v1.34.1"))) == ResolvedTarget(version: v("v1.34.1"), source: .explicit))
        #expect(try t(nil, .version(v("v1.32.8"))) == ResolvedTarget(version: v("v1.32.8"), source: .explicit))
        let latest = try #require(cal.release(MinorLine(major: 1, minor: 33))?.newestPatch)
        let next = try #require(cal.release(MinorLine(major: 1, minor: 34))?.newestPatch)
        #expect(try t("v1.33.3", .latestPatch) == ResolvedTarget(version: latest, source: .latestPatch))
        #expect(try t("v1.33.3", .nextMinor) == ResolvedTarget(version: next, source: .nextMinor))
        #expect(throws: UpgradePathError.majorChange(from: v("v1.33.3"), to: v("v2.0.0"))) { try t(nil, .version(v("v2.0.0"))) }
    }

    @Test func targetArguments() {
        #expect(TargetChoice(argument: "latest-patch") == .latestPatch)
        #expect(TargetChoice(argument: "next-minor") == .nextMinor)
        #expect(TargetChoice(argument: "v1.33.3") == .version(v("v1.33.3")))
        #expect(TargetChoice(argument: "v1.33") == nil)
        #expect(TargetChoice(argument: "newest") == nil)
    }

    @Test func refusesDowngradesAndMajorChanges() {
        #expect(throws: UpgradePathError.downgrade(from: v("v1.33.4"), to: v("v1.33.3"))) {
            try UpgradePath.hops(from: v("v1.33.4"), to: v("v1.33.3"), calendar: calendar)
        }
        #expect(throws: UpgradePathError.majorChange(from: v("v0.9.0"), to: v("v1.33.3"))) {
            try UpgradePath.hops(from: v("v0.9.0"), to: v("v1.33.3"), calendar: calendar)
        }
    }

    @Test func unknownIntermediateMinorIsAnError() {
        #expect(throws: UpgradePathError.unknownPatch(MinorLine(major: 1, minor: 23))) {
            try UpgradePath.hops(from: v("v1.22.0"), to: v("v1.24.17"), calendar: calendar)
        }
    }
}
