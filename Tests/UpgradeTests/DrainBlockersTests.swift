import Foundation
import KubeModel
import Testing
@testable import Upgrade

/// Drain preflight follows the eviction subresource's own rules, from kubernetes/kubernetes
/// `pkg/registry/core/pod/storage/eviction.go` (`EvictionREST.Create`, `canIgnorePDB`, `checkAndDecrement`):
/// - `canIgnorePDB`: a pod that is Succeeded, Failed or Pending, or already being deleted, is deleted without
///   looking at any budget;
/// - `if len(pdbs) > 1`: 500 "This pod has more than one PodDisruptionBudget, which the eviction subresource does
///   not support.";
/// - `if !podutil.IsPodReady(pod)`: with `unhealthyPodEvictionPolicy: AlwaysAllow` the pod is deleted; with the
///   default (nil) or `IfHealthyBudget`, it is deleted when `CurrentHealthy >= DesiredHealthy && DesiredHealthy > 0`;
/// - otherwise `checkAndDecrement`: `DisruptionsAllowed == 0` → 429, `< 0` → 403.
struct DrainBlockersTests {
    static func pod(_ name: String, ready: Bool, phase: String = "Running", labels: [String: String] = ["app": "db"]) throws -> Pod {
        let labelJSON = labels.map { "\"\($0.key)\": \"\($0.value)\"" }.joined(separator: ", ")
        let json = """
            {"metadata": {"name": "\(name)", "namespace": "shop", "labels": {\(labelJSON)},
                          "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "db-7c9", "uid": "u1", "controller": true}]},
             "spec": {"nodeName": "node01", "containers": [{"name": "db", "image": "postgres:16"}]},
             "status": {"phase": "\(phase)", "conditions": [{"type": "Ready", "status": "\(ready ? "True" : "False")"}]}}
            """
        return try JSONDecoder().decode(Pod.self, from: Data(json.utf8))
    }

    static func budget(_ name: String, allowed: Int, current: Int, desired: Int, policy: String? = nil,
                       selector: String = #"{"matchLabels": {"app": "db"}}"#) throws -> PodDisruptionBudget {
        let policyJSON = policy.map { #", "unhealthyPodEvictionPolicy": "\#($0)""# } ?? ""
        let json = """
            {"metadata": {"name": "\(name)", "namespace": "shop", "generation": 1},
             "spec": {"minAvailable": \(desired), "selector": \(selector)\(policyJSON)},
             "status": {"observedGeneration": 1, "disruptionsAllowed": \(allowed), "currentHealthy": \(current),
                        "desiredHealthy": \(desired), "expectedPods": \(current)}}
            """
        return try JSONDecoder().decode(PodDisruptionBudget.self, from: Data(json.utf8))
    }

    // eviction.go: `if len(pdbs) > 1 { ... Code: 500 }` — even when each budget alone would allow the eviction.
    @Test func podCoveredByTwoBudgetsIsABlockerOfItsOwn() throws {
        let blockers = DrainBlockers.find(
            podsOnNode: [try Self.pod("db-0", ready: true)],
            budgets: [try Self.budget("db-pdb", allowed: 1, current: 3, desired: 2),
                      try Self.budget("shop-wide", allowed: 2, current: 3, desired: 1, selector: "{}")])
        #expect(blockers.map(\.kind.rawValue) == ["pod-has-several-budgets"])
        let blocker = try #require(blockers.first)
        #expect(blocker.object == "shop/db-0")
        #expect(blocker.advice.contains("db-pdb") && blocker.advice.contains("shop-wide"))
        #expect(blocker.advice.contains("more than one PodDisruptionBudget"))
    }

    // eviction.go: a not-Ready pod under `unhealthyPodEvictionPolicy: AlwaysAllow` is deleted whatever the budget says.
    @Test func unreadyPodUnderAlwaysAllowIsNotBlocked() throws {
        let blockers = DrainBlockers.find(podsOnNode: [try Self.pod("db-0", ready: false)],
                                          budgets: [try Self.budget("db-pdb", allowed: 0, current: 1, desired: 2, policy: "AlwaysAllow")])
        #expect(blockers.isEmpty, "\(blockers)")
    }

    // eviction.go, default nil and IfHealthyBudget policy: `CurrentHealthy >= DesiredHealthy && DesiredHealthy > 0`.
    @Test(arguments: [nil, "IfHealthyBudget"] as [String?])
    func unreadyPodOfAHealthyBudgetIsNotBlocked(policy: String?) throws {
        let blockers = DrainBlockers.find(podsOnNode: [try Self.pod("db-2", ready: false)],
                                          budgets: [try Self.budget("db-pdb", allowed: 0, current: 2, desired: 2, policy: policy)])
        #expect(blockers.isEmpty, "\(blockers)")
    }

    // The same not-Ready pod when the budget itself is short of healthy pods: eviction checks the budget → 429.
    @Test(arguments: [nil, "IfHealthyBudget"] as [String?])
    func unreadyPodOfAnUnhealthyBudgetIsBlocked(policy: String?) throws {
        let blockers = DrainBlockers.find(podsOnNode: [try Self.pod("db-2", ready: false)],
                                          budgets: [try Self.budget("db-pdb", allowed: 0, current: 1, desired: 2, policy: policy)])
        #expect(blockers.map(\.kind.rawValue) == ["pdb-allows-no-disruption"])
    }

    // A Ready pod and a budget with no disruption allowed: `DisruptionsAllowed == 0` → 429, as before.
    @Test func readyPodOfAnExhaustedBudgetIsBlocked() throws {
        let blockers = DrainBlockers.find(podsOnNode: [try Self.pod("db-0", ready: true)],
                                          budgets: [try Self.budget("db-pdb", allowed: 0, current: 1, desired: 1, policy: "AlwaysAllow")])
        #expect(blockers.map(\.kind.rawValue) == ["pdb-allows-no-disruption"])
        #expect(blockers.first?.object == "shop/db-pdb")
    }

    // eviction.go `canIgnorePDB`: a Pending pod is deleted without looking at its budget.
    @Test func pendingPodIsNotBlockedByItsBudget() throws {
        let blockers = DrainBlockers.find(podsOnNode: [try Self.pod("db-3", ready: false, phase: "Pending")],
                                          budgets: [try Self.budget("db-pdb", allowed: 0, current: 1, desired: 1)])
        #expect(blockers.isEmpty, "\(blockers)")
    }
}
