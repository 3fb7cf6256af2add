import Testing
@testable import SkewCore

/// What a minor hop does to the API versions still in use (rules of APIRemovals.assess).
struct APIRemovalsTests {
    let table = RemovedAPIs.embedded()

    func v(_ text: String) -> KubeVersion { KubeVersion.parse(text)! }

    func assess(_ uses: [APIUse], _ from: String, _ to: String) -> [APIFinding] {
        APIRemovals.assess(uses, table: table, from: v(from), to: v(to))
    }

    static let ingressHelm = APIUse(group: "extensions", version: "v1beta1", kind: "Ingress",
                                    evidence: .helmRelease(namespace: "web", release: "shop", revision: 3, kind: "Ingress", name: "shop"))

    @Test func noHopNoFindings() {
        // Nothing changes for the API server without a new minor: a patch upgrade or a downgrade serves the same versions.
        let uses = [Self.ingressHelm, APIUse(group: "policy", version: "v1beta1", resource: "poddisruptionbudgets",
                                             removedRelease: MinorLine("1.25"), evidence: .requested(apiserver: "cp-1"))]
        #expect(assess(uses, "v1.24.3", "v1.24.9").isEmpty)
        #expect(assess(uses, "v1.24.3", "v1.23.1").isEmpty)
    }

    @Test func aRemovalAtOrBeforeTheTargetBlocksTheHop() throws {
        let pdb = APIUse(group: "policy", version: "v1beta1", resource: "poddisruptionbudgets", removedRelease: MinorLine("1.25"),
                         evidence: .requested(apiserver: "10.0.0.1:6443"))
        let findings = assess([pdb], "v1.24.9", "v1.25.0")
        let f = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(f.severity == .removed)
        #expect(f.kind == "PodDisruptionBudget")
        #expect(f.apiVersion == "policy/v1beta1")
        #expect(f.replacement == "policy/v1")
        #expect(f.summary == "policy/v1beta1 PodDisruptionBudget: removed in 1.25; use policy/v1 (since 1.21)")
    }

    @Test func theSummaryReadsLikeTheBrief() throws {
        let f = try #require(assess([Self.ingressHelm], "v1.21.4", "v1.22.0").first)
        #expect(f.summary == "extensions/v1beta1 Ingress: removed in 1.22; use networking.k8s.io/v1 (since 1.19)")
    }

    @Test func storedManifestsOfVersionsRemovedLongAgoStillBlock() throws {
        // A Helm release or last-applied manifest naming extensions/v1beta1 Ingress (gone since 1.22) fails to
        // re-apply on 1.29 just as on 1.28: the hop is blocked until the manifest is migrated.
        let lastApplied = APIUse(group: "extensions", version: "v1beta1", kind: "Ingress",
                                 evidence: .lastApplied(kind: "Ingress", namespace: "web", name: "front"))
        let findings = assess([Self.ingressHelm, lastApplied], "v1.28.5", "v1.29.0")
        #expect(findings.count == 1)
        let f = try #require(findings.first)
        #expect(f.severity == .removed)
        #expect(f.evidence == [.lastApplied(kind: "Ingress", namespace: "web", name: "front"),
                               .helmRelease(namespace: "web", release: "shop", revision: 3, kind: "Ingress", name: "shop")])
    }

    @Test func deprecatedButRemovedAfterTheTargetIsAWarning() throws {
        // flowcontrol v1beta3: deprecated 1.29, removed 1.32. A hop to 1.30 warns; a hop to 1.32 blocks.
        let fs = APIUse(group: "flowcontrol.apiserver.k8s.io", version: "v1beta3", kind: "FlowSchema",
                        evidence: .lastApplied(kind: "FlowSchema", namespace: nil, name: "custom"))
        let warn = try #require(assess([fs], "v1.29.2", "v1.30.0").first)
        #expect(warn.severity == .deprecated)
        #expect(warn.removedIn == MinorLine("1.32"))
        #expect(warn.summary == "flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema: deprecated in 1.29, removed in 1.32; use flowcontrol.apiserver.k8s.io/v1 (since 1.29)")
        #expect(try #require(assess([fs], "v1.31.2", "v1.32.0").first).severity == .removed)
    }

    @Test func beforeItsDeprecationAStoredManifestIsNothing() {
        // Only the table speaks for a stored manifest: v1beta3 FlowSchema is not deprecated at 1.28 yet.
        let fs = APIUse(group: "flowcontrol.apiserver.k8s.io", version: "v1beta3", kind: "FlowSchema",
                        evidence: .lastApplied(kind: "FlowSchema", namespace: nil, name: "custom"))
        #expect(assess([fs], "v1.27.2", "v1.28.0").isEmpty)
    }

    @Test func aGAVersionThatIsNeverRemovedIsAWarningOnly() throws {
        // "GA API versions may be deprecated but not removed within a major version" ([POLICY]).
        let endpoints = APIUse(group: "", version: "v1", resource: "endpoints", evidence: .requested(apiserver: "cp-1"))
        let f = try #require(assess([endpoints], "v1.33.1", "v1.34.0").first)
        #expect(f.severity == .deprecated)
        #expect(f.kind == "Endpoints")
        #expect(f.apiVersion == "v1")
        #expect(f.summary == "v1 Endpoints: deprecated in 1.33, still served; use discovery.k8s.io/v1 (since 1.21)")
    }

    @Test func theMetricAloneMeansDeprecatedEvenBeforeTheTableSaysSo() throws {
        // The apiserver only sets apiserver_requested_deprecated_apis for deprecated versions.
        let f = try #require(assess([APIUse(group: "flowcontrol.apiserver.k8s.io", version: "v1beta3", resource: "flowschemas",
                                           removedRelease: MinorLine("1.32"), evidence: .requested(apiserver: "cp-1"))],
                                    "v1.27.1", "v1.28.0").first)
        #expect(f.severity == .deprecated)
        #expect(f.kind == "FlowSchema")
    }

    @Test func aMetricLabelTheTableDoesNotKnowStillCounts() throws {
        // An aggregated API or a version newer than the table: the removed_release label is the only fact there is.
        let use = APIUse(group: "example.io", version: "v1beta1", resource: "widgets", removedRelease: MinorLine("1.35"),
                         evidence: .requested(apiserver: "cp-2"))
        let f = try #require(assess([use], "v1.34.0", "v1.35.1").first)
        #expect(f.severity == .removed)
        #expect(f.kind == "widgets")
        #expect(f.removedIn == MinorLine("1.35"))
        #expect(f.replacement == nil)
        #expect(f.summary == "example.io/v1beta1 widgets: removed in 1.35; no replacement API")
        #expect(try #require(assess([use], "v1.33.0", "v1.34.1").first).severity == .deprecated)
    }

    @Test func versionsTheTargetServesUndeprecatedProduceNothing() {
        let uses = [
            APIUse(group: "apps", version: "v1", kind: "Deployment", evidence: .lastApplied(kind: "Deployment", namespace: "web", name: "front")),
            APIUse(group: "apps", version: "v1", kind: "Deployment",
                   evidence: .helmRelease(namespace: "web", release: "shop", revision: 1, kind: "Deployment", name: "shop")),
            APIUse(group: "policy", version: "v1", kind: "PodDisruptionBudget",
                   evidence: .helmRelease(namespace: "web", release: "shop", revision: 1, kind: "PodDisruptionBudget", name: "shop")),
            APIUse(group: "", version: "v1", kind: "Service", evidence: .lastApplied(kind: "Service", namespace: "web", name: "front")),
        ]
        #expect(assess(uses, "v1.24.0", "v1.25.0").isEmpty)
    }

    @Test func aWarningHeaderOutsideTheTableIsADeprecation() throws {
        let text = "example.com/v1alpha1 Widget is deprecated; use example.com/v1 Widget"
        let use = APIUse(group: "example.com", version: "v1alpha1", kind: "Widget", evidence: .warning(text: text))
        let f = try #require(assess([use], "v1.30.0", "v1.31.0").first)
        #expect(f.severity == .deprecated)
        #expect(f.kind == "Widget")
        #expect(f.evidence == [.warning(text: text)])
        #expect(f.summary == "example.com/v1alpha1 Widget: deprecated, still served; no replacement API")
    }

    @Test func usesGroupIntoOneFindingPerKindWithSortedDistinctEvidence() throws {
        let uses = [
            APIUse(group: "batch", version: "v1beta1", resource: "cronjobs", removedRelease: MinorLine("1.25"), evidence: .requested(apiserver: "cp-2")),
            APIUse(group: "batch", version: "v1beta1", kind: "CronJob", evidence: .lastApplied(kind: "CronJob", namespace: "ops", name: "backup")),
            APIUse(group: "batch", version: "v1beta1", resource: "cronjobs", removedRelease: MinorLine("1.25"), evidence: .requested(apiserver: "cp-1")),
            APIUse(group: "batch", version: "v1beta1", resource: "cronjobs", removedRelease: MinorLine("1.25"), evidence: .requested(apiserver: "cp-2")),
        ]
        let findings = assess(uses, "v1.24.0", "v1.25.0")
        #expect(findings.count == 1)
        #expect(findings.first?.kind == "CronJob")
        #expect(findings.first?.evidence == [.requested(apiserver: "cp-1"), .requested(apiserver: "cp-2"),
                                             .lastApplied(kind: "CronJob", namespace: "ops", name: "backup")])
    }

    @Test func removedFirstThenByReleaseGroupVersionKind() {
        let uses = [
            APIUse(group: "", version: "v1", resource: "endpoints", evidence: .requested(apiserver: "cp")),
            APIUse(group: "autoscaling", version: "v2beta2", resource: "horizontalpodautoscalers", evidence: .requested(apiserver: "cp")),
            APIUse(group: "policy", version: "v1beta1", resource: "poddisruptionbudgets", evidence: .requested(apiserver: "cp")),
            APIUse(group: "batch", version: "v1beta1", resource: "cronjobs", evidence: .requested(apiserver: "cp")),
            APIUse(group: "extensions", version: "v1beta1", kind: "Ingress", evidence: .lastApplied(kind: "Ingress", namespace: "a", name: "b")),
            APIUse(group: "policy", version: "v1beta1", resource: "podsecuritypolicies", evidence: .requested(apiserver: "cp")),
            APIUse(group: "flowcontrol.apiserver.k8s.io", version: "v1beta3", kind: "PriorityLevelConfiguration",
                   evidence: .lastApplied(kind: "PriorityLevelConfiguration", namespace: nil, name: "x")),
            APIUse(group: "", version: "v1", resource: "componentstatuses", evidence: .requested(apiserver: "cp")),
        ]
        let findings = APIRemovals.assess(uses, table: table, from: v("v1.24.0"), to: v("v1.33.0"))
        #expect(findings.map { "\($0.severity) \($0.apiVersion) \($0.kind)" } == [
            "removed extensions/v1beta1 Ingress",
            "removed batch/v1beta1 CronJob",
            "removed policy/v1beta1 PodDisruptionBudget",
            "removed policy/v1beta1 PodSecurityPolicy",
            "removed autoscaling/v2beta2 HorizontalPodAutoscaler",
            "removed flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration",
            "deprecated v1 ComponentStatus",
            "deprecated v1 Endpoints",
        ])
        let psp = findings.first { $0.kind == "PodSecurityPolicy" }
        #expect(psp?.summary.hasPrefix("policy/v1beta1 PodSecurityPolicy: removed in 1.25; no replacement API: move to Pod Security Admission") == true)
    }

    @Test func alphaVersionsCanGoWithoutDeprecation() throws {
        // "alpha versions can disappear in any release without notice" ([POLICY]): no deprecatedIn, still a blocker.
        let vap = APIUse(group: "admissionregistration.k8s.io", version: "v1alpha1", kind: "ValidatingAdmissionPolicy",
                         evidence: .lastApplied(kind: "ValidatingAdmissionPolicy", namespace: nil, name: "p"))
        let f = try #require(assess([vap], "v1.32.3", "v1.33.0").first)
        #expect(f.severity == .removed)
        #expect(f.deprecatedIn == nil)
        #expect(assess([vap], "v1.31.0", "v1.32.0").isEmpty)
    }

    @Test func aMultiMinorJumpCountsEveryRemovalOnTheWay() {
        // Beta versions "stay served for at least 3 releases after deprecation" ([POLICY]), so a far target can pass
        // several removals: each one in between is a blocker.
        let uses = [
            APIUse(group: "policy", version: "v1beta1", kind: "PodDisruptionBudget", evidence: .lastApplied(kind: "PodDisruptionBudget", namespace: "a", name: "b")),
            APIUse(group: "storage.k8s.io", version: "v1beta1", kind: "CSIStorageCapacity", evidence: .lastApplied(kind: "CSIStorageCapacity", namespace: "a", name: "c")),
        ]
        #expect(assess(uses, "v1.24.0", "v1.27.0").map(\.severity) == [.removed, .removed])
        #expect(assess(uses, "v1.24.0", "v1.26.0").map(\.severity) == [.removed, .deprecated])
    }
}
