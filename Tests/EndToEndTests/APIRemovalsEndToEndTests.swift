import Foundation
import Testing
import TestSupport

/// Issue 14, tried as a new user would on `kubeskew sim --scenario removed-apis` (a v1.31 cluster): a client still
/// calling flowcontrol.apiserver.k8s.io/v1beta3 (removed in 1.32), an Ingress last applied as extensions/v1beta1, and
/// a Helm release with a policy/v1beta1 PodDisruptionBudget. Policy (removed-apis.md §1): "beta versions stay served
/// for at least 3 releases … after deprecation"; every removal ships with a migration entry in the deprecation guide.
@Suite(.serialized)
struct APIRemovalsEndToEndTests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// apiVersion + kind → the finding.
    static func findings(_ doc: [String: Any]) -> [String: [String: Any]] {
        let list = (doc["apiRemovals"] as? [String: Any])?["findings"] as? [[String: Any]] ?? []
        return Dictionary(list.map { ("\($0["apiVersion"] as? String ?? "?") \($0["kind"] as? String ?? "?")", $0) },
                          uniquingKeysWith: { first, _ in first })
    }

    static func evidence(_ finding: [String: Any]?) -> [[String: Any]] { finding?["evidence"] as? [[String: Any]] ?? [] }

    @Test func theHopTo132FindsAllThreeWithWhoUsesThemAndExits2() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "removed-apis"])
        defer { sim.stop() }
        let check = try await BinaryRunner.run(["check", "--kubeconfig", sim.kubeconfig.path, "--target", "next-minor", "-o", "json"])
        #expect(check.status == 2, "a removed API still in use is exit 2: \(check.stderr)")
        let doc = try Self.json(check.stdout)
        let removals = try #require(doc["apiRemovals"] as? [String: Any], "\(check.stdout)")
        #expect(removals["from"] as? String == "1.31" && removals["to"] as? String == "1.32")
        let found = Self.findings(doc)
        #expect(Set(found.keys) == ["flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema", "extensions/v1beta1 Ingress",
                                     "policy/v1beta1 PodDisruptionBudget"], "nothing for APIs the target still serves: \(found.keys)")
        let flow = found["flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema"]
        #expect(flow?["severity"] as? String == "removed" && flow?["removedIn"] as? String == "1.32")
        #expect(flow?["replacement"] as? String == "flowcontrol.apiserver.k8s.io/v1")
        #expect(Self.evidence(flow).contains { $0["source"] as? String == "metrics" })
        let ingress = found["extensions/v1beta1 Ingress"]
        #expect(ingress?["replacement"] as? String == "networking.k8s.io/v1")
        #expect(Self.evidence(ingress).contains {
            $0["source"] as? String == "last-applied" && $0["namespace"] as? String == "shop" && $0["name"] as? String == "storefront"
        }, "\(Self.evidence(ingress))")
        let pdb = found["policy/v1beta1 PodDisruptionBudget"]
        #expect(pdb?["replacement"] as? String == "policy/v1")
        #expect(Self.evidence(pdb).contains {
            $0["source"] as? String == "helm" && $0["namespace"] as? String == "monitoring" && $0["release"] as? String == "legacy-exporter"
                && $0["revision"] as? Int == 3
        }, "\(Self.evidence(pdb))")
        #expect((removals["notChecked"] as? [String])?.isEmpty == true, "\(removals)")
        #expect((doc["data"] as? [String: Any])?["removedAPIs"] as? String != nil)

        // The table for people says the same, and `apis` alone too.
        let apis = try await BinaryRunner.run(["apis", "--kubeconfig", sim.kubeconfig.path, "--target", "next-minor"],
                                              environment: ["COLUMNS": "200"])
        #expect(apis.status == 2, "\(apis.stderr)")
        #expect(apis.stdout.contains("API versions in use that the hop 1.31 → 1.32 removes or deprecates (3 removed"), "\(apis.stdout)")
        #expect(apis.stdout.contains("last applied: Ingress shop/storefront"))
        #expect(apis.stdout.contains("Helm release monitoring/legacy-exporter (revision 3): PodDisruptionBudget"))
        #expect(apis.stdout.contains("a client called it (apiserver_requested_deprecated_apis on cp-1)"), "the one instance, by its node")
        print("=== kubeskew apis --target next-minor on the removed-apis scenario ===\n\(apis.stdout)")

        // Piped at 80 columns the table would cut what to use and who uses it: one block per API, every line whole.
        let narrow = try await BinaryRunner.run(["apis", "--kubeconfig", sim.kubeconfig.path, "--target", "next-minor"],
                                                environment: ["COLUMNS": "80"])
        #expect(narrow.status == 2, "\(narrow.stderr)")
        #expect(narrow.stdout.contains("extensions/v1beta1 Ingress: removed in 1.22; use networking.k8s.io/v1 (since 1.19)\n  last applied: Ingress shop/storefront\n"), "\(narrow.stdout)")
        #expect(narrow.stdout.contains("  Helm release monitoring/legacy-exporter (revision 3): PodDisruptionBudget legacy-exporter\n"))
        #expect(!narrow.stdout.contains("…"), "nothing cut:\n\(narrow.stdout)")
    }

    /// The ha scenario (three API servers, v1.33.3 on cp-1, v1.32.9 on cp-2 and cp-3) plus one client that only cp-2
    /// served: resource.k8s.io/v1alpha3 ResourceClaims, which 1.34 removes. Written to a file for `sim --scenario FILE`.
    static func haWithCallOnlyOnCP2(in directory: URL) throws -> String {
        let ha = try String(contentsOf: BinaryRunner.repoRoot.appendingPathComponent("Assets/scenarios/ha.yaml"), encoding: .utf8)
        let path = directory.appendingPathComponent("ha-call-on-cp-2.yaml").path
        try (ha + """

            deprecatedAPICalls:
              - group: resource.k8s.io
                version: v1alpha3
                resource: resourceclaims
                removedRelease: "1.34"
                instances: [cp-2]

            """).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Each instance's deprecated-API gauge is its own: the scan must read every API server at its advertise endpoint,
    /// and on the simulator each answers there as itself, so none is a "not checked" gap.
    @Test func anHAClusterIsReadAtEveryInstanceAndTheCallIsPinnedOnCP2() async throws {
        try await BinaryRunner.withTempDir { directory in
            let sim = try await SimProcess.start(arguments: ["--scenario", try Self.haWithCallOnlyOnCP2(in: directory)])
            defer { sim.stop() }
            let json = try await BinaryRunner.run(["apis", "--kubeconfig", sim.kubeconfig.path, "--target", "next-minor", "-o", "json"])
            #expect(json.status == 2, "a removed API in use: \(json.stderr)")
            let doc = try Self.json(json.stdout)
            let removals = try #require(doc["apiRemovals"] as? [String: Any], "\(json.stdout)")
            let claims = Self.findings(doc).first { $0.key.hasPrefix("resource.k8s.io/v1alpha3 ") }?.value
            #expect(claims?["severity"] as? String == "removed", "\(removals)")
            let apiservers = Self.evidence(claims).filter { $0["source"] as? String == "metrics" }.compactMap { $0["apiserver"] as? String }
            #expect(apiservers == ["cp-2"], "the instance that served it, by its node, once: \(apiservers)")
            #expect(!apiservers.contains("cp-1") && !apiservers.contains("cp-3"), "\(apiservers)")
            #expect((removals["notChecked"] as? [String])?.isEmpty == true, "every instance was reachable: \(removals)")
            // The three advertise endpoints; the kubeconfig's 127.0.0.1 (a load balancer: some instance in turn) is not
            // read again once every instance answered at its own address (it counted one of them twice).
            #expect((removals["read"] as? [String])?.contains("/metrics of 3 API servers") == true, "\(removals)")

            let table = try await BinaryRunner.run(["apis", "--kubeconfig", sim.kubeconfig.path, "--target", "next-minor"],
                                                   environment: ["COLUMNS": "200"])
            #expect(table.status == 2, "\(table.stderr)")
            #expect(table.stdout.contains("a client called it (apiserver_requested_deprecated_apis on cp-2)"), "\(table.stdout)")
            #expect(table.stdout.contains("read: /metrics of 3 API servers"), "\(table.stdout)")
            #expect(!table.stdout.contains("one of cp-1"), "\(table.stdout)")
            #expect(!table.stdout.contains("not checked") && !table.stdout.contains("could not be read"), "\(table.stdout)")
            print("=== kubeskew apis --target next-minor on ha with a call only cp-2 served ===\n\(table.stdout)")
        }
    }

    @Test func noHopNoFindings() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "removed-apis"])
        defer { sim.stop() }
        let check = try await BinaryRunner.run(["check", "--kubeconfig", sim.kubeconfig.path, "--target", "latest-patch", "-o", "json"])
        #expect([0, 2, 3].contains(check.status), "\(check.stderr)")
        let doc = try Self.json(check.stdout)
        #expect(doc["apiRemovals"] == nil, "the target's minor is the control plane's: no API goes away")
        let apis = try await BinaryRunner.run(["apis", "--kubeconfig", sim.kubeconfig.path, "--target", "latest-patch"])
        #expect(apis.status == 0, "\(apis.stderr)")
        #expect(apis.stdout.contains("no minor hop"), "\(apis.stdout)")
    }

    @Test func aForbiddenMetricsIsSaidAndTheRestIsStillFound() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "removed-apis"])
        defer { sim.stop() }
        // sim-viewer has the view role: no /metrics, no Secrets, but it lists Ingresses.
        let check = try await BinaryRunner.run(["check", "--kubeconfig", sim.kubeconfig.path, "--context", "sim-viewer",
                                                "--target", "next-minor", "-o", "json"])
        #expect(check.status == 2, "\(check.stderr)")
        let doc = try Self.json(check.stdout)
        let found = Self.findings(doc)
        #expect(found["extensions/v1beta1 Ingress"] != nil, "the last-applied manifests are still read: \(found.keys)")
        #expect(found["flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema"] == nil)
        let gaps = ((doc["apiRemovals"] as? [String: Any])?["notChecked"] as? [String]) ?? []
        #expect(gaps.contains { $0.contains("/metrics is forbidden for sim-viewer") && $0.contains("--non-resource-url=/metrics") }, "\(gaps)")
        #expect(gaps.contains { $0.contains("Helm releases were not checked") }, "\(gaps)")
    }

    @Test func theClusterPlanStopsOnTheThreeBeforeAnythingRuns() async throws {
        let sim = try await SimProcess.start(arguments: ["--scenario", "removed-apis"])
        defer { sim.stop() }
        let plan = try await BinaryRunner.run(["plan", "--cluster", "--kubeconfig", sim.kubeconfig.path, "--target", "next-minor"],
                                              environment: ["COLUMNS": "200"])
        #expect(plan.status == 0, "\(plan.stderr)")
        for api in ["flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema", "extensions/v1beta1 Ingress", "policy/v1beta1 PodDisruptionBudget"] {
            #expect(plan.stdout.contains("! removed-api-in-use \(api)"), "\(api) is a blocker of the hop:\n\(plan.stdout)")
        }
        #expect(plan.stdout.contains("use flowcontrol.apiserver.k8s.io/v1"), "\(plan.stdout)")
        // Without --accept-blockers the headless cluster run refuses before touching anything.
        let upgrade = try await BinaryRunner.run(["upgrade", "--cluster", "--kubeconfig", sim.kubeconfig.path, "--target", "next-minor",
                                                  "--executor", "simulated", "--yes"])
        #expect(upgrade.status != 0)
        #expect(upgrade.stdout.contains("! removed-api-in-use policy/v1beta1 PodDisruptionBudget"), "\(upgrade.stdout)")
        #expect(upgrade.stderr.contains("resolve them or pass --accept-blockers"), "\(upgrade.stderr)")
        let after = try await BinaryRunner.kubectl(["--kubeconfig", sim.kubeconfig.path, "get", "nodes", "-o", "jsonpath={.items[*].spec.unschedulable}"])
        #expect(after.stdout.trimmingCharacters(in: .whitespaces).isEmpty, "no node was cordoned: \(after.stdout)")
    }
}
