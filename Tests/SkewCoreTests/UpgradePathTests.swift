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

    // "`kubelet` must not be newer than `kube-apiserver`": the target is never newer than the oldest API server.
    @Test func targetNeverNewerThanTheOldestAPIServer() throws {
        let ha = try #require(APIServerSet([v("v1.33.3"), v("v1.32.9")]))
        #expect(try UpgradePath.target(apiservers: ha, override: nil) == v("v1.32.9"))
        #expect(throws: UpgradePathError.targetNewerThanAPIServer(target: v("v1.33.3"), apiserver: v("v1.32.9"))) {
            try UpgradePath.target(apiservers: ha, override: v("v1.33.3"))
        }
        #expect(try UpgradePath.target(apiservers: ha, override: v("v1.32.8")) == v("v1.32.8"))
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
