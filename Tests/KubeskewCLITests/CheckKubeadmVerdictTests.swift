import Foundation
import KubeModel
import SkewCore
import Testing
@testable import KubeskewCLI

/// Issue 13: `check` (table and JSON) says kubeadm's own verdict on a node whose kubeadm version is known.
struct CheckKubeadmVerdictTests {
    static func report() -> CheckReport {
        func node(_ name: String, _ kubelet: String) -> Node {
            Node(metadata: ObjectMeta(name: name, labels: ["kubernetes.io/hostname": name]),
                 status: NodeStatus(nodeInfo: NodeSystemInfo(kubeletVersion: kubelet, kubeProxyVersion: kubelet)))
        }
        let snapshot = ClusterSnapshot(controlPlaneOverride: ["v1.33.3"], nodes: [node("old", "v1.32.9"), node("ahead", "v1.33.3")],
                                       kubeadmVersions: ["old": "v1.30.9", "ahead": "v1.34.0"])
        let context = AssessmentContext(today: CalendarDate(year: 2026, month: 3, day: 1))
        return CheckReport(snapshot: snapshot, assessment: Assessor(context: context).assess(snapshot.facts()), context: context)
    }

    /// The same cluster gives the same text: keys in order (JSONEncoder otherwise orders them by a per-process hash, so
    /// two runs of `check -o json` differed for a diff in CI).
    @Test func jsonKeysAreInOrder() throws {
        let text = try Self.report().json()
        let topLevel = text.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { $0.dropFirst(3).prefix { $0 != "\"" } }
        #expect(topLevel.count > 5 && topLevel == topLevel.sorted(), "\(topLevel)")
    }

    // "kubeadm can be used with Kubernetes components that are the same version as kubeadm or one version older."
    @Test func tableAndJSONSayKubeadmsVerdict() throws {
        let report = Self.report()
        let table = report.table(width: 160, color: false)
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("old ") && $0.hasSuffix("kubeadm too-old: kubeadm v1.30.9 is older than the control plane (kube-apiserver v1.33.3): it cannot manage it, nor run `kubeadm upgrade node` for it; install kubeadm v1.33.3 first") }, "\(table)")
        #expect(lines.contains { $0.hasPrefix("ahead ") && $0.hasSuffix("kubeadm-mismatch: upgrade half-finished: kubeadm at v1.34.0, kubelet at v1.33.3") }, "\(table)")
        // The old rule read kubeadm 1.34 against a 1.33 control plane as newer-than-apiserver.
        #expect(!table.contains("newer-than-apiserver"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let nodes = try #require(json["nodes"] as? [[String: Any]])
        let kubeadm = nodes.map { ($0["name"] as? String ?? "", ($0["kubeadm"] as? [String: Any])?["verdict"] as? String) }
        #expect(kubeadm.first { $0.0 == "old" }?.1 == "too-old")
        #expect(kubeadm.first { $0.0 == "ahead" }?.1 == "current")
    }
}
