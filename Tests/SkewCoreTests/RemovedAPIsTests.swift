import Foundation
import Testing
@testable import SkewCore

/// The removed-API table: its parsing, its lookups, and the embedded copy's content.
struct RemovedAPIsTests {
    let table = RemovedAPIs.embedded()

    @Test(arguments: [("1.22", "1.22"), ("v1.22", "1.22"), ("v1.9", "1.9")])
    func minorReleaseParses(text: String, expected: String) throws {
        #expect(try #require(MinorLine(text)).description == expected)
    }

    @Test(arguments: ["", "1", "1.", ".22", "v", "1.22.3", "1.22.3.4", "1.x", "+1.2", "1.22-rc.1", "99999999999999999999.1", "1.22.", "١.٢"])
    func minorReleaseRejects(text: String) {
        #expect(MinorLine(text) == nil)
    }

    @Test func minorReleasesOrderNumerically() throws {
        #expect(try #require(MinorLine("1.9")) < #require(MinorLine("1.22")))
        #expect(MinorLine(KubeVersion(major: 1, minor: 31, patch: 4)) == MinorLine(major: 1, minor: 31))
    }

    @Test func embeddedTableCarriesItsDateAndEveryRemovalRelease() {
        #expect(table.dataTakenOn == CalendarDate("2026-12-07"))
        let releases = Set(table.apis.compactMap(\.removedIn?.description))
        #expect(releases.isSuperset(of: ["1.16", "1.22", "1.25", "1.26", "1.27", "1.29", "1.32"]))
        // The doubtful pluto entry (resource.k8s.io/v1beta1 removed in 1.36) is left out.
        #expect(!table.apis.contains { $0.group == "resource.k8s.io" && $0.version == "v1beta1" })
    }

    @Test func lookupByResourceFindsRemovedAPIs() throws {
        let ingress = try #require(table.entry(group: "extensions", version: "v1beta1", resource: "ingresses"))
        #expect(ingress.removedIn == MinorLine("1.22"))
        #expect(ingress.replacement == "networking.k8s.io/v1")
        #expect(ingress.replacementAvailableIn == MinorLine("1.19"))
        #expect(ingress.groupVersion == "extensions/v1beta1")
        #expect(ingress.note?.contains("defaultBackend") == true)
        // Same old group/version, another replacement: the split entries keep them apart.
        #expect(table.entry(group: "extensions", version: "v1beta1", resource: "deployments")?.replacement == "apps/v1")
        #expect(table.entry(group: "extensions", version: "v1beta1", resource: "podsecuritypolicies")?.replacement == "policy/v1beta1")
    }

    @Test func resourcesAreMatchedWhateverTheirCase() {
        #expect(table.entry(group: "policy", version: "v1beta1", resource: "PodDisruptionBudgets")?.kinds == ["PodDisruptionBudget"])
        #expect(table.entry(apiVersion: "policy/v1beta1", kind: "poddisruptionbudget")?.removedIn == MinorLine("1.25"))
    }

    @Test func storageV1beta1KindsEachHaveTheirOwnAvailability() {
        func available(_ resource: String) -> String? {
            table.entry(group: "storage.k8s.io", version: "v1beta1", resource: resource)?.replacementAvailableIn?.description
        }
        #expect(available("csidrivers") == "1.19")
        #expect(available("csinodes") == "1.17")
        #expect(available("storageclasses") == "1.6")
        #expect(available("volumeattachments") == "1.13")
        #expect(available("csistoragecapacities") == "1.24")
        #expect(table.entry(group: "storage.k8s.io", version: "v1beta1", resource: "csistoragecapacities")?.removedIn == MinorLine("1.27"))
    }

    @Test func deprecatedButServedCoreAPIs() throws {
        let endpoints = try #require(table.entry(apiVersion: "v1", kind: "Endpoints"))
        #expect(endpoints.group == "")
        #expect(endpoints.groupVersion == "v1")
        #expect(endpoints.removedIn == nil)
        #expect(endpoints.deprecatedIn == MinorLine("1.33"))
        #expect(table.entry(group: "", version: "v1", resource: "componentstatuses")?.deprecatedIn == MinorLine("1.19"))
        #expect(table.entry(apiVersion: "policy/v1beta1", kind: "PodSecurityPolicy")?.replacement == nil)
    }

    @Test func versionsStillServedAreNotInTheTable() {
        #expect(table.entry(apiVersion: "apps/v1", kind: "Deployment") == nil)
        #expect(table.entry(apiVersion: "v1", kind: "Pod") == nil)
        #expect(table.entry(group: "networking.k8s.io", version: "v1", resource: "ingresses") == nil)
        #expect(table.entry(apiVersion: "networking.k8s.io/v1beta1", kind: "NetworkPolicy") == nil)
    }

    @Test func everyEmbeddedEntryPairsKindsWithLowercaseResourcesAndNamesItsSource() {
        for e in table.apis {
            #expect(e.kinds.count == e.resources.count, "\(e.groupVersion)")
            #expect(e.resources.allSatisfy { $0 == $0.lowercased() && $0.hasSuffix("s") }, "\(e.groupVersion) \(e.resources)")
            #expect(!e.source.isEmpty)
            if let r = e.removedIn, let d = e.deprecatedIn { #expect(d <= r, "\(e.groupVersion)") }
        }
        // No (group, version, resource) is listed twice: a lookup must not depend on the order of entries.
        let keys = table.apis.flatMap { e in e.resources.map { "\(e.groupVersion) \($0)" } }
        #expect(Set(keys).count == keys.count)
    }

    @Test func aBrokenRemovedAPIsFileNamesTheFileAndTheField() {
        let broken = Data(#"{"dataTakenOn": "2026-12-07", "source": "x", "apis": [{"group": "", "version": "v1", "kinds": ["Endpoints"], "resources": ["endpoints"], "deprecatedIn": "soon", "source": "me"}]}"#.utf8)
        #expect(throws: DataFileError.self) { try RemovedAPIs.decode(broken, origin: "mine.json") }
        do {
            _ = try RemovedAPIs.decode(broken, origin: "mine.json")
        } catch let e as DataFileError {
            #expect(e.description.hasPrefix("mine.json: apis[0].deprecatedIn"))
            #expect(e.description.contains("soon"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: [
        (#"{"group": "x", "version": "v1", "kinds": ["A", "B"], "resources": ["as"], "removedIn": "1.2", "source": "s"}"#, "has 2 kinds but 1 resources"),
        (#"{"group": "x", "version": "v1", "kinds": ["A"], "resources": ["As"], "removedIn": "1.2", "source": "s"}"#, "lowercase"),
        (#"{"group": "x", "version": "v1", "kinds": ["A"], "resources": ["as"], "source": "s"}"#, "neither deprecatedIn nor removedIn"),
        (#"{"group": "x", "version": "v1", "kinds": ["A"], "resources": ["as"], "removedIn": "1.2"}"#, "apis[0].source is missing"),
        (#"{"group": "x", "version": "", "kinds": [], "resources": [], "removedIn": "1.2", "source": "s"}"#, "version is empty"),
    ])
    func inconsistentEntriesAreRefusedWithTheReason(entry: String, problem: String) {
        let data = Data(#"{"dataTakenOn": "2026-12-07", "source": "x", "apis": [\#(entry)]}"#.utf8)
        do {
            _ = try RemovedAPIs.decode(data, origin: "--removed-apis my.json")
            Issue.record("accepted \(entry)")
        } catch let e as DataFileError {
            #expect(e.file == "--removed-apis my.json")
            #expect(e.problem.contains(problem), "\(e.problem)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func notJSONAtAllIsNamed() {
        do {
            _ = try RemovedAPIs.decode(Data("apis:\n - nope".utf8), origin: "apis.yaml")
            Issue.record("accepted YAML")
        } catch let e as DataFileError {
            #expect(e.description.hasPrefix("apis.yaml: not valid JSON"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func theTableRoundTripsThroughJSON() throws {
        let data = try JSONEncoder().encode(table)
        let again = try RemovedAPIs.decode(data, origin: "round trip")
        #expect(again.apis == table.apis)
    }
}
