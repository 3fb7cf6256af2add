import Foundation

/// Reads `kubeadm upgrade plan V -o json` (`UpgradePlan`, output.kubeadm.k8s.io v1alpha3 since v1.30, v1alpha2
/// from v1.25; control-plane-upgrade.md §2) before `apply`: kubeadm itself must name V for kube-apiserver, and no
/// component config may need a manual upgrade (apply fails on it without `--config`).
public enum KubeadmUpgradePlanJSON {
    /// Why the plan does not confirm `version`; nil when it does. Lines before the JSON document (health checks,
    /// klog lines) are skipped, as kubeadm prints them on the same stream.
    public static func problem(_ lines: [String], version: String) -> String? {
        guard let start = lines.firstIndex(where: { $0.hasPrefix("{") }) else {
            return "kubeadm upgrade plan -o json printed no JSON document"
        }
        let text = lines[start...].joined(separator: "\n")
        guard let document = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              document["kind"] as? String == "UpgradePlan" else {
            return "kubeadm upgrade plan -o json printed no UpgradePlan kubeskew could read"
        }
        let manual = (document["configVersions"] as? [[String: Any]] ?? []).filter { $0["manualUpgradeRequired"] as? Bool == true }
        if !manual.isEmpty {
            let groups = manual.compactMap { $0["group"] as? String }.joined(separator: ", ")
            return "kubeadm upgrade plan says \(groups) need a manual config upgrade: apply would fail; upgrade those configs (kubeadm upgrade apply --config) first"
        }
        let upgrades = document["availableUpgrades"] as? [[String: Any]] ?? []
        let apiservers = upgrades.flatMap { $0["components"] as? [[String: Any]] ?? [] }.filter { $0["name"] as? String == "kube-apiserver" }
        // Nothing to upgrade: kubeadm finds the control plane at V already (an apply that ran before, resumed).
        if upgrades.isEmpty { return nil }
        let targets = Set(apiservers.compactMap { $0["newVersion"] as? String }.map { $0.hasPrefix("v") ? $0 : "v" + $0 })
        guard targets == [version] else {
            let said = targets.isEmpty ? "no kube-apiserver version" : targets.sorted().joined(separator: ", ")
            return "kubeadm upgrade plan names \(said) for kube-apiserver, not \(version): kubeskew does not apply it"
        }
        return nil
    }

    /// The version an `upgrade plan V -o json` argv asks about.
    public static func version(in argv: [String]) -> String? {
        guard let plan = argv.firstIndex(of: "plan"), plan + 1 < argv.count, argv[plan + 1].hasPrefix("v") else { return nil }
        return argv[plan + 1]
    }
}
