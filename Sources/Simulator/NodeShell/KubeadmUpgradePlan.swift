import SkewCore

/// `kubeadm upgrade plan [version]` as the installed kubeadm prints it: the header, one section per available
/// upgrade (patch of the cluster's minor, then the stable minor), and the component-config table; or the
/// structured `UpgradePlan` (`-o json|yaml`). "The internet" is the embedded release table.
struct KubeadmUpgradePlan {
    let view: ControlPlaneView
    let kubeadm: KubeVersion
    /// The `[version]` argument: skips the internet lookup (kubeadm's offline version getter answers it for every label).
    let explicit: KubeVersion?

    /// One available upgrade.
    struct Section {
        var description: String
        var title: String
        var target: KubeVersion
    }

    /// One row of the plan (a structured component).
    struct Component {
        var name: String
        var current: String
        var new: String
        var node: String?
    }

    var release: KubeadmRelease { KubeadmRelease(version: kubeadm) }

    /// The cluster version kubeadm reports (printed without "v", as in the 1.33/1.34 transcripts). kubeadm asks
    /// `/version`, which an HA endpoint answers from any instance; the simulator takes the lowest instance, so a
    /// plan run mid-upgrade still shows what is left to do.
    var clusterVersion: KubeVersion {
        view.instances.compactMap { KubeVersion.parse($0.apiserver)?.release }.min()
            ?? KubeVersion.parse(view.kubeadmConfigVersion)?.release ?? kubeadm
    }

    /// What `stable.txt` answers, falling back to `stable-<kubeadm minor>` when the remote is a newer minor than kubeadm.
    var stable: (version: KubeVersion, fellBack: Bool) {
        if let explicit { return (explicit, false) }
        let remote = PackageRepository.stable
        if remote.minorLine > kubeadm.minorLine { return (PackageRepository.newestPatch(kubeadm.minorLine) ?? kubeadm, true) }
        return (remote, false)
    }

    var latestInSeries: KubeVersion {
        explicit ?? PackageRepository.newestPatch(clusterVersion.minorLine) ?? clusterVersion
    }

    func sections() -> [Section] {
        let cluster = clusterVersion
        var out: [Section] = []
        let series = latestInSeries
        if series.minorLine == cluster.minorLine, cluster < series {
            out.append(Section(description: "version in the v\(cluster.minorLine) series",
                               title: "Upgrade to the latest version in the v\(cluster.minorLine) series:", target: series))
        }
        let stable = stable.version
        if stable.minorLine > cluster.minorLine {
            out.append(Section(description: "stable version", title: "Upgrade to the latest stable version:", target: stable))
        }
        return out
    }

    /// The lines before the tables (or the document).
    func header() -> [(String, Bool)] {
        var lines: [(String, Bool)] = [
            ("[preflight] Running pre-flight checks.", false),
            ("[upgrade/config] Reading configuration from the \"kubeadm-config\" ConfigMap in namespace \"kube-system\"...", false),
            ("[upgrade] Running cluster health checks", false),
            ("[upgrade] Fetching available versions to upgrade to", false),
            ("[upgrade/versions] Cluster version: \(clusterVersion.packageVersion)", false),
            ("[upgrade/versions] kubeadm version: \(kubeadm)", false),
        ]
        let stable = stable
        if stable.fellBack {
            lines.append(("I1125 13:19:39.482913   40213 version.go:261] remote version is much newer: \(PackageRepository.stable); falling back to: stable-\(kubeadm.minorLine)", true))
        }
        lines.append(("[upgrade/versions] Target version: \(stable.version)", false))
        lines.append(("[upgrade/versions] Latest version in the v\(clusterVersion.minorLine) series: \(latestInSeries)", false))
        return lines
    }

    /// The section's components in kubeadm's order: kubelets, then per instance apiserver, controller-manager,
    /// scheduler, then kube-proxy, CoreDNS, kubeadm (structured output only) and etcd.
    func components(_ section: Section, structured: Bool) -> [Component] {
        let target = section.target.description
        let next = KubeadmRelease(version: section.target)
        func byVersion<T>(_ items: [T], _ version: (T) -> String) -> [T] {
            items.enumerated().sorted { (version($0.element), $0.offset) < (version($1.element), $1.offset) }.map(\.element)
        }
        var out: [Component] = byVersion(view.kubelets, \.version).map { Component(name: "kubelet", current: $0.version, new: target, node: $0.node) }
        for (name, pick) in [("kube-apiserver", \ControlPlaneView.Instance.apiserver), ("kube-controller-manager", \.controllerManager),
                             ("kube-scheduler", \.scheduler)] {
            out += byVersion(view.instances, { $0[keyPath: pick] }).map { Component(name: name, current: $0[keyPath: pick], new: target, node: $0.node) }
        }
        out.append(Component(name: "kube-proxy", current: clusterVersion.packageVersion, new: target))
        out.append(Component(name: "CoreDNS", current: view.coreDNS, new: next.coreDNSVersion))
        if structured { out.append(Component(name: "kubeadm", current: kubeadm.description, new: target)) }
        out += byVersion(view.instances.filter { $0.etcd != nil }, { $0.etcd ?? "" }).map {
            Component(name: "etcd", current: $0.etcd ?? "", new: KubeadmRelease.newerEtcd(next.etcdVersion, $0.etcd ?? ""), node: $0.node)
        }
        return out
    }

    static let rule = String(repeating: "_", count: 69)

    /// The text output after the header.
    func text() -> [String] {
        var lines: [String] = []
        for section in sections() {
            let all = components(section, structured: false)
            let kubelets = all.filter { $0.name == "kubelet" }
            let others = all.filter { $0.name != "kubelet" }
            lines.append("Components that must be upgraded manually after you have upgraded the control plane with 'kubeadm upgrade apply':")
            if release.plansPerNode {
                lines += TabWriter.lines([["COMPONENT", "NODE", "CURRENT", "TARGET"]] + kubelets.map { [$0.name, $0.node ?? "", $0.current, $0.new] })
            } else {
                // Before v1.30 kubelets were counted per version ("2 x v1.28.5") and components had no node.
                var counts: [(String, Int)] = []
                for k in kubelets {
                    if let i = counts.firstIndex(where: { $0.0 == k.current }) { counts[i].1 += 1 } else { counts.append((k.current, 1)) }
                }
                lines += TabWriter.lines([["COMPONENT", "CURRENT", "TARGET"]] + counts.enumerated().map { i, c in
                    [i == 0 ? "kubelet" : "", "\(c.1) x \(c.0)", section.target.description]
                })
            }
            lines += ["", section.title, ""]
            if release.plansPerNode {
                lines += TabWriter.lines([["COMPONENT", "NODE", "CURRENT", "TARGET"]] + others.map { [$0.name, $0.node ?? "", $0.current, $0.new] })
            } else {
                var seen = Set<String>()
                let rows = others.filter { seen.insert($0.name).inserted }.map { c -> [String] in
                    let current = ["kube-apiserver", "kube-controller-manager", "kube-scheduler"].contains(c.name) ? clusterVersion.description : c.current
                    return [c.name, current, c.new]
                }
                lines += TabWriter.lines([["COMPONENT", "CURRENT", "TARGET"]] + rows)
            }
            lines += ["", "You can now apply the upgrade by executing the following command:", "",
                      "\tkubeadm upgrade apply \(section.target)", ""]
            if section.target != kubeadm {
                lines += ["Note: Before you can perform this upgrade, you have to update kubeadm to \(section.target).", ""]
            }
            lines += [Self.rule, ""]
        }
        if sections().isEmpty, !release.plansPerNode { lines += ["Awesome, you're up-to-date! Enjoy!"] }
        lines += ["", "The table below shows the current state of component configs as understood by this version of kubeadm.",
                  "Configs that have a \"yes\" mark in the \"MANUAL UPGRADE REQUIRED\" column require manual config upgrade or",
                  "resetting to kubeadm defaults before a successful upgrade can be performed. The version to manually",
                  "upgrade to is denoted in the \"PREFERRED VERSION\" column.", ""]
        lines += TabWriter.lines([["API GROUP", "CURRENT VERSION", "PREFERRED VERSION", "MANUAL UPGRADE REQUIRED"],
                                  ["kubeproxy.config.k8s.io", "v1alpha1", "v1alpha1", "no"],
                                  ["kubelet.config.k8s.io", "v1beta1", "v1beta1", "no"]])
        lines += [Self.rule, ""]
        return lines
    }

    /// The structured plan: v1alpha3 (per-node components) since v1.30, v1alpha2 before.
    func document(yaml: Bool) -> [String] {
        let v3 = release.plansPerNode
        let upgrades: [JSONValue] = sections().map { section in
            var comps = components(section, structured: true)
            if !v3 {
                // v1alpha2: no node names; one kubelet entry per version, counted ("2 x v1.28.5"), one entry per component.
                var merged: [(Component, Int)] = []
                for c in comps {
                    let key = c.name == "kubelet" ? c.current : nil
                    if let i = merged.firstIndex(where: { $0.0.name == c.name && (key == nil || $0.0.current == key) }) {
                        merged[i].1 += 1
                    } else {
                        merged.append((Component(name: c.name, current: c.current, new: c.new), 1))
                    }
                }
                comps = merged.map { c, n in
                    Component(name: c.name, current: c.name == "kubelet" ? "\(n) x \(c.current)" : c.current, new: c.new)
                }
            }
            return .object([("description", .string(section.description)), ("components", .array(comps.map { c in
                var m: [(String, JSONValue)] = [("name", .string(c.name)), ("currentVersion", .string(c.current)), ("newVersion", .string(c.new))]
                if let node = c.node { m.append(("nodeName", .string(node))) }
                return .object(m)
            }))])
        }
        let configs: [JSONValue] = [("kubeproxy.config.k8s.io", "v1alpha1"), ("kubelet.config.k8s.io", "v1beta1")].map { g, v in
            .object([("group", .string(g)), ("currentVersion", .string(v)), ("preferredVersion", .string(v)), ("manualUpgradeRequired", .bool(false))])
        }
        let doc = JSONValue.object([("kind", .string("UpgradePlan")), ("apiVersion", .string("output.kubeadm.k8s.io/\(v3 ? "v1alpha3" : "v1alpha2")")),
                                    ("availableUpgrades", .array(upgrades)), ("configVersions", .array(configs))])
        return (yaml ? KubeadmOutput.yaml(doc) : KubeadmOutput.json(doc)).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
