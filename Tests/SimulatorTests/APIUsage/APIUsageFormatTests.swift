import Foundation
@testable import Simulator
import Testing

/// The formats behind the removed-API simulation, without a server: Go's float printing in metrics, the Warning
/// header's quoting, kubectl's last-applied JSON, and the scenario checks.
@Suite("Removed APIs: formats and scenario checks")
struct APIUsageFormatTests {
    @Test("metric values print as expfmt does (strconv 'g', shortest)", arguments: [
        (1.0, "1"), (148.0, "148"), (0.5, "0.5"), (1_764_012_345.29, "1.76401234529e+09"), (1_000_000.0, "1e+06"),
        (999_999.0, "999999"), (0.00001, "1e-05"), (-3.0, "-3"),
    ])
    func goFloat(value: Double, text: String) {
        #expect(MetricsText.goFloat(value) == text)
    }

    @Test("Warning header: code 299, agent -, quotes and backslashes escaped")
    func warningHeader() {
        #expect(APIUsage.headerValue(#"say "hi" \ bye"#) == #"299 - "say \"hi\" \\ bye""#)
        let usage = APIUsage(warnings: [WarningSpec(groupVersion: "v1", resource: "endpoints", text: "a"),
                                        WarningSpec(path: "/apis/batch/", text: "b")])
        #expect(usage.warnings(for: "/api/v1/namespaces/default/endpoints/kubernetes") == ["a"])
        #expect(usage.warnings(for: "/api/v1/endpoints") == ["a"])
        #expect(usage.warnings(for: "/api/v1/pods").isEmpty)
        #expect(usage.warnings(for: "/apis/batch/v1/cronjobs") == ["b"])
    }

    @Test("last-applied-configuration: keys sorted, annotations emptied, HTML characters escaped, trailing newline")
    func lastApplied() throws {
        let spec = AppliedObjectSpec(manifest: """
            kind: PodDisruptionBudget
            apiVersion: policy/v1beta1
            metadata: {name: web, namespace: shop, annotations: {team: "a&b"}}
            spec: {selector: {matchLabels: {app: web}}, minAvailable: 1}
            """)
        let (type, manifest) = try AppliedObjects.manifest(spec)
        #expect(type == .podDisruptionBudgets)
        #expect(AppliedObjects.lastApplied(manifest) == #"{"apiVersion":"policy/v1beta1","kind":"PodDisruptionBudget","metadata":{"annotations":{"team":"a\u0026b"},"name":"web","namespace":"shop"},"spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"web"}}}}"# + "\n")
    }

    @Test("scenario checks refuse unknown instances, kinds and versions")
    func validation() throws {
        var scenario = try Scenario.named("removed-apis")
        scenario.deprecatedAPICalls[0].instances = ["node01"]
        #expect(throws: ScenarioError.self) { try scenario.validate() }
        scenario = try Scenario.named("removed-apis")
        scenario.appliedObjects = [AppliedObjectSpec(manifest: "apiVersion: apps/v1beta1\nkind: Deployment\nmetadata: {name: x, namespace: y}\n")]
        #expect(throws: ScenarioError.self) { try scenario.validate() }
        scenario = try Scenario.named("removed-apis")
        scenario.appliedObjects = [AppliedObjectSpec(manifest: "apiVersion: networking.k8s.io/v1alpha1\nkind: Ingress\nmetadata: {name: x, namespace: y}\n")]
        #expect(throws: ScenarioError.self) { try scenario.validate() }
        scenario = try Scenario.named("removed-apis")
        scenario.warnings = [WarningSpec(path: "/api/v1/pods", text: "two\nlines")]
        #expect(throws: ScenarioError.self) { try scenario.validate() }
    }
}
