import Foundation
import SkewCore

/// kubeadm on control-plane nodes: `upgrade plan`, `upgrade apply`, `upgrade node` and `certs check-expiration`,
/// worded as the installed kubeadm's version words them (reference: control-plane-upgrade.md), changing the node's
/// static pods, the kubeadm-config ConfigMap and the addons through the API as kubeadm does.
extension SimulatedNodeShells {
    /// Handles the control-plane subcommands; nil leaves the command to the worker path.
    func kubeadmControlPlane(_ node: String, _ args: [String], _ s: inout NodeShellState, _ emit: Emit) async -> Int32? {
        let view = await cluster.controlPlaneView()
        let isControlPlane = view.instance(node) != nil
        if args.starts(with: ["certs", "check-expiration"]) {
            return await checkExpiration(node, view, &s, emit)
        }
        if args.starts(with: ["upgrade", "plan"]) || args.starts(with: ["upgrade", "apply"]) {
            guard isControlPlane else {
                // Workers have no admin.conf, which both commands need.
                await fatal(["couldn't create a Kubernetes client from file \"/etc/kubernetes/admin.conf\": failed to load admin kubeconfig: open /etc/kubernetes/admin.conf: no such file or directory"], emit)
                return 1
            }
            return args[1] == "plan" ? await upgradePlan(Array(args.dropFirst(2)), view, s, emit)
                : await upgradeApply(node, Array(args.dropFirst(2)), view, &s, emit)
        }
        if args.starts(with: ["upgrade", "node"]), isControlPlane {
            return await upgradeNode(node, view, &s, emit)
        }
        return nil
    }

    private func fatal(_ lines: [String], _ emit: Emit) async {
        for line in lines { await emit(line, true) }
        await emit("To see the stack trace of this error execute with --v=5 or higher", true)
    }

    // MARK: plan

    private func upgradePlan(_ args: [String], _ view: ControlPlaneView, _ s: NodeShellState, _ emit: Emit) async -> Int32 {
        let (flags, operands) = Self.parseFlags(args, valued: ["o", "output", "config", "kubeconfig", "ignore-preflight-errors"])
        let release = KubeadmRelease(version: s.kubeadm)
        let format = flags["output"] ?? flags["o"] ?? "text"
        if format != "text", !release.hasStructuredPlan {
            await emit("Error: unknown shorthand flag: 'o' in -o", true)
            return 1
        }
        guard ["text", "json", "yaml"].contains(format) else {
            await emit("error: unable to match a printer suitable for the output format \"\(format)\", allowed formats are: json,yaml,text", true)
            return 1
        }
        var explicit: KubeVersion?
        if let text = operands.first {
            guard let v = KubeVersion.parse(text) else {
                await fatal(["[upgrade/versions] FATAL: unable to parse version \"\(text)\""], emit)
                return 1
            }
            explicit = v
        }
        let plan = KubeadmUpgradePlan(view: view, kubeadm: s.kubeadm, explicit: explicit)
        await pause(0.3)
        for (line, isError) in plan.header() {
            // With structured output only the health-check line reaches stdout before the document (#123461).
            let toStdout = !isError && (format == "text" || line == "[upgrade] Running cluster health checks")
            await emit(line, !toStdout)
        }
        await pause(0.4)
        for line in format == "text" ? plan.text() : plan.document(yaml: format == "yaml") { await emit(line, false) }
        return 0
    }

    // MARK: apply

    private func upgradeApply(_ node: String, _ args: [String], _ view: ControlPlaneView, _ s: inout NodeShellState, _ emit: Emit) async -> Int32 {
        let (flags, operands) = Self.parseFlags(args, valued: ["config", "kubeconfig", "ignore-preflight-errors", "patches"])
        let release = KubeadmRelease(version: s.kubeadm)
        let phases = release.hasPhases
        let prefix = phases ? "error execution phase preflight: " : "[upgrade/version] FATAL: "
        guard let text = operands.first else {
            await fatal(["missing one or more required arguments. Required arguments: [version]"], emit)
            return 1
        }
        guard let target = KubeVersion.parse(text.hasPrefix("v") ? text : "v" + text)?.release else {
            await fatal(["\(prefix)unable to parse version \"\(text)\""], emit)
            return 1
        }
        let force = flags["force"] == "true" || flags["f"] == "true"
        let yes = force || flags["yes"] == "true" || flags["y"] == "true"
        let dryRun = flags["dry-run"] == "true"
        let cluster = KubeVersion.parse(view.kubeadmConfigVersion)?.release ?? target
        if phases {
            await emit("[upgrade] Reading configuration from the \"kubeadm-config\" ConfigMap in namespace \"kube-system\"...", false)
            await emit("[upgrade] Use 'kubeadm init phase upload-config --config your-config-file' to re-upload it.", false)
            await emit("[upgrade/preflight] Running preflight checks", false)
            await pause(0.3)
            await emit("[upgrade] Running cluster health checks", false)
            await emit("[upgrade/preflight] You have chosen to upgrade the cluster version to \"\(target)\"", false)
        } else {
            await emit("[upgrade/config] Making sure the configuration is correct:", false)
            await emit("[upgrade/config] Reading configuration from the cluster...", false)
            await emit("[upgrade/config] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'", false)
            await emit("[preflight] Running pre-flight checks.", false)
            await pause(0.3)
            await emit("[upgrade] Running cluster health checks", false)
            await emit("[upgrade/version] You have chosen to change the cluster version to \"\(target)\"", false)
        }
        await emit("[upgrade/versions] Cluster version: \(view.kubeadmConfigVersion)", false)
        await emit("[upgrade/versions] kubeadm version: \(s.kubeadm)", false)

        // kubeadm's EnforceVersionPolicies: mandatory errors stop the upgrade, skippable ones need --force.
        let kubeadm = s.kubeadm
        var mandatory: [String] = []
        var skippable: [String] = []
        if target.minor > cluster.minor + 1 {
            mandatory.append("Specified version to upgrade to \"\(target)\" is too high; kubeadm can upgrade only 1 minor version at a time")
        }
        if target.minor < cluster.minor - 1 {
            mandatory.append("Specified version to downgrade to \"\(target)\" is too low; kubeadm can downgrade only 1 minor version at a time")
        }
        if kubeadm.release < target {
            if kubeadm.minor < target.minor {
                mandatory.append("Specified version to upgrade to \"\(target)\" is one minor release higher than the kubeadm minor release (\(target.minor) > \(kubeadm.minor)). Such an upgrade is not supported")
            } else {
                skippable.append("Specified version to upgrade to \"\(target)\" is higher than the kubeadm version \"\(kubeadm)\". Upgrade kubeadm first using the tool you used to install kubeadm")
            }
        }
        if kubeadm.minor > target.minor {
            skippable.append("Kubeadm version \(kubeadm) can only be used to upgrade to Kubernetes version \(kubeadm.major).\(kubeadm.minor)")
        }
        let oldKubelets = Set(view.kubelets.compactMap { KubeVersion.parse($0.version) }.filter { $0.minor < target.minor - 3 }.map(\.description)).sorted()
        if !oldKubelets.isEmpty {
            skippable.append("There are kubelets in this cluster that are too old that have these versions [\(oldKubelets.joined(separator: " "))]")
        }
        func list(_ errors: [String]) -> [String] { errors.map { "\t- \($0)" } }
        let argument = phases ? "the version argument" : "the --version argument"
        if !mandatory.isEmpty {
            await fatal(["\(prefix)\(argument) is invalid due to these fatal errors:", ""] + list(mandatory)
                        + ["", "Please fix the misalignments highlighted above and try upgrading again"], emit)
            return 1
        }
        if !skippable.isEmpty {
            guard force else {
                await fatal(["\(prefix)\(argument) is invalid due to these errors:", ""] + list(skippable)
                            + ["", "Can be bypassed if you pass the --force flag"], emit)
                return 1
            }
            await emit("[upgrade/version] Found \(skippable.count) potential version compatibility errors but skipping since the --force flag is set: ", false)
            await emit("", false)
            for line in list(skippable) { await emit(line, false) }
        }
        guard yes || dryRun else {
            await emit("[upgrade] Are you sure you want to proceed? [y/N]: ", false)
            // The shell has no terminal: kubeadm reads an empty answer.
            await fatal(["\(phases ? prefix : "[upgrade/confirm] FATAL: ")won't proceed; the user didn't answer (Y|y) in order to continue"], emit)
            return 1
        }
        let p = phases ? "[upgrade/preflight]" : "[upgrade/prepull]"
        await emit("\(p) Pulling images required for setting up a Kubernetes cluster", false)
        await emit("\(p) This might take a minute or two, depending on the speed of your internet connection", false)
        await emit("\(p) You can also perform this action beforehand using 'kubeadm config images pull'", false)
        await pause(1.0)
        guard PackageRepository.carries(target) else {
            let image = "registry.k8s.io/kube-apiserver:\(target)"
            await fatal(["\(phases ? "error execution phase preflight: " : "")[preflight] Some fatal errors occurred:",
                         "\t[ERROR ImagePull]: failed to pull image \(image): failed to pull image \"\(image)\": rpc error: code = NotFound desc = failed to pull and unpack image \"\(image)\": failed to resolve reference \"\(image)\": \(image): not found",
                         "[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`"], emit)
            return 2
        }
        await emit(phases ? "[upgrade/control-plane] Upgrading your static Pod-hosted control plane to version \"\(target)\" (timeout: 5m0s)..."
                          : "[upgrade/apply] Upgrading your Static Pod-hosted control plane to version \"\(target)\" (timeout: 5m0s)...", false)
        await upgradeStaticPods(node, to: target, etcd: flags["etcd-upgrade"] != "false", dryRun: dryRun, release: release, emit)
        if phases { await emit("[upgrade/control-plane] The control plane instance for this node was successfully upgraded!", false) }
        await emit("[upload-config] Storing the configuration used in ConfigMap \"kubeadm-config\" in the \"kube-system\" Namespace", false)
        if !dryRun { try? await self.cluster.setKubeadmConfigVersion(target.description) }
        await emit("[kubelet] Creating a ConfigMap \"kubelet-config\" in namespace kube-system with the configuration for the kubelets in the cluster", false)
        await emit("[upgrade] Backing up kubelet config file to /etc/kubernetes/tmp/kubeadm-kubelet-config\(Int.random(in: 100_000_000...999_999_999))/config.yaml", false)
        await emit("[kubelet-start] Writing kubelet configuration to file \"/var/lib/kubelet/config.yaml\"", false)
        if phases {
            await emit("[upgrade/kubelet-config] The kubelet configuration for this node was successfully upgraded!", false)
            await emit("[upgrade/bootstrap-token] Configuring bootstrap token and cluster-info RBAC rules", false)
        }
        for line in ["[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to get nodes",
                     "[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to post CSRs in order for nodes to get long term certificate credentials",
                     "[bootstrap-token] Configured RBAC rules to allow the csrapprover controller automatically approve CSRs from a Node Bootstrap Token",
                     "[bootstrap-token] Configured RBAC rules to allow certificate rotation for all node client certificates in the cluster"] {
            await emit(line, false)
        }
        await addons(to: target, release: release, dryRun: dryRun, emit)
        if flags["certificate-renewal"] != "false", !dryRun { s.certificatesExpire = Date().addingTimeInterval(365 * 86_400) }
        if dryRun {
            await emit("[upgrade/successful] Finished dryrunning successfully!", false)
            return 0
        }
        for line in release.successLines(target) { await emit(line, false) }
        return 0
    }

    /// `[upgrade/staticpods]`: etcd first (only upward, and only when the target's etcd differs), then the three
    /// control-plane components; each changed manifest restarts its mirror pod with the new image.
    private func upgradeStaticPods(_ node: String, to target: KubeVersion, etcd: Bool, dryRun: Bool, release: KubeadmRelease, _ emit: Emit) async {
        let view = await cluster.controlPlaneView()
        guard let instance = view.instance(node) else { return }
        let stamp = Self.backupStamp()
        await emit("[upgrade/staticpods] Writing new Static Pod manifests to \"/etc/kubernetes/tmp/kubeadm-upgraded-manifests\(Int.random(in: 100_000_000...999_999_999))\"", false)
        let targetEtcd = KubeadmRelease(version: target).etcdVersion
        var steps: [(String, String, String, [String])] = []
        if etcd, let current = instance.etcd {
            steps.append(("etcd", current, KubeadmRelease.newerEtcd(current, targetEtcd), ["etcd-server", "etcd-peer", "etcd-healthcheck-client"]))
        }
        steps += [("kube-apiserver", instance.apiserver, target.description, ["apiserver", "apiserver-kubelet-client", "front-proxy-client", "apiserver-etcd-client"]),
                  ("kube-controller-manager", instance.controllerManager, target.description, ["controller-manager.conf"]),
                  ("kube-scheduler", instance.scheduler, target.description, ["scheduler.conf"])]
        for (component, current, next, certificates) in steps {
            if current == next {
                await emit("[upgrade/staticpods] Current and new manifests of \(component) are equal, skipping upgrade", false)
                continue
            }
            await emit("[upgrade/staticpods] Preparing for \"\(component)\" upgrade", false)
            for c in certificates { await emit("[upgrade/staticpods] Renewing \(c) certificate", false) }
            await emit("[upgrade/staticpods] Moved new manifest to \"/etc/kubernetes/manifests/\(component).yaml\" and backed up old manifest to \"/etc/kubernetes/tmp/kubeadm-backup-manifests-\(stamp)/\(component).yaml\"", false)
            await emit("[upgrade/staticpods] Waiting for the kubelet to restart the component", false)
            await emit(release.hasPhases ? "[upgrade/staticpods] This can take up to 5m0s"
                                         : "[upgrade/staticpods] This might take a minute or longer depending on the component/version gap (timeout 5m0s)", false)
            await pause(0.8)
            if !dryRun { try? await cluster.setStaticPodImage(node: node, component: component, tag: next) }
            let count = view.instances.filter { component == "etcd" ? $0.etcd != nil : true }.count
            await emit("[apiclient] Found \(count) Pods for label selector component=\(component)", false)
            await emit("[upgrade/staticpods] Component \"\(component)\" upgraded successfully!", false)
            if component == "etcd" { await emit("[upgrade/etcd] Waiting for etcd to become available", false) }
        }
    }

    /// CoreDNS and kube-proxy: since v1.28 only once every instance runs the target (else kubeadm says which not).
    private func addons(to target: KubeVersion, release: KubeadmRelease, dryRun: Bool, _ emit: Emit) async {
        let behind = await cluster.controlPlaneView().instances.filter { KubeVersion.parse($0.apiserver)?.release != target }.map(\.node)
        if release.waitsForAllInstancesBeforeAddons, !behind.isEmpty {
            await emit("[upgrade/addons] skip upgrade addons because control plane instances [\(behind.joined(separator: " "))] have not been upgraded", false)
            return
        }
        if !dryRun { try? await cluster.applyAddons(kubeProxy: target.description, coreDNS: KubeadmRelease(version: target).coreDNSVersion) }
        await emit("[addons] Applied essential addon: CoreDNS", false)
        await emit("[addons] Applied essential addon: kube-proxy", false)
    }

    static func backupStamp() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd-HH-mm-ss"
        return f.string(from: Date())
    }

    // MARK: node (control plane)

    /// `kubeadm upgrade node` on a control-plane node: its static pods follow the kubeadm-config version.
    private func upgradeNode(_ node: String, _ view: ControlPlaneView, _ s: inout NodeShellState, _ emit: Emit) async -> Int32 {
        let release = KubeadmRelease(version: s.kubeadm)
        guard let target = KubeVersion.parse(view.kubeadmConfigVersion)?.release else {
            await fatal(["the ConfigMap \"kubeadm-config\" in the kube-system namespace used for getting configuration information was not found"], emit)
            return 1
        }
        await emit("[upgrade] Reading configuration from the \"kubeadm-config\" ConfigMap in namespace \"kube-system\"...", false)
        await emit("[upgrade] Use 'kubeadm init phase upload-config --config your-config-file' to re-upload it.", false)
        // kubeadm deploys manifests from its own templates: a binary older than the cluster's minor would write
        // an older component's flags for a newer image; the simulator refuses that as apply's policy does.
        if s.kubeadm.minor < target.minor {
            await fatal(["\(release.hasPhases ? "error execution phase preflight: " : "")Specified version to upgrade to \"\(target)\" is one minor release higher than the kubeadm minor release (\(target.minor) > \(s.kubeadm.minor)). Such an upgrade is not supported"], emit)
            return 1
        }
        let p = release.hasPhases ? "[upgrade/preflight]" : "[preflight]"
        await emit("\(p) Running pre-flight checks", false)
        await emit("\(p) Pulling images required for setting up a Kubernetes cluster", false)
        await emit("\(p) This might take a minute or two, depending on the speed of your internet connection", false)
        await emit("\(p) You can also perform this action beforehand using 'kubeadm config images pull'", false)
        await pause(0.8)
        await emit("[upgrade/control-plane] Upgrading your Static Pod-hosted control plane instance to version \"\(target)\"...", false)
        await upgradeStaticPods(node, to: target, etcd: true, dryRun: false, release: release, emit)
        await emit("[upgrade/control-plane] The control plane instance for this node was successfully upgraded!", false)
        await emit("[upgrade/kubeconfig] The kubeconfig files for this node were successfully upgraded!", false)
        await emit("[upgrade] Backing up kubelet config file to /etc/kubernetes/tmp/kubeadm-kubelet-config\(Int.random(in: 100_000_000...999_999_999))/config.yaml", false)
        await emit("[kubelet-start] Writing kubelet configuration to file \"/var/lib/kubelet/config.yaml\"", false)
        await emit("[upgrade/kubelet-config] The kubelet configuration for this node was successfully upgraded!", false)
        // The node's addon phase (v1.32+, kubernetes#127242): the last instance to upgrade applies the addons.
        if release.hasPhases { await addons(to: target, release: release, dryRun: false, emit) }
        s.certificatesExpire = Date().addingTimeInterval(365 * 86_400)
        s.configuredFor = s.kubeadm
        await emit("[upgrade] The configuration for this node was successfully updated!", false)
        await emit("[upgrade] Now you should go ahead and upgrade the kubelet package using your package manager.", false)
        return 0
    }

    // MARK: certs

    private func checkExpiration(_ node: String, _ view: ControlPlaneView, _ s: inout NodeShellState, _ emit: Emit) async -> Int32 {
        var leaf: Date?
        if view.instance(node) != nil {
            if s.certificatesExpire == nil {
                let days = await cluster.packages(of: node)?.certificatesExpireInDays ?? 320
                s.certificatesExpire = Date().addingTimeInterval(Double(days) * 86_400 + 3_600)
            }
            leaf = s.certificatesExpire
        } else {
            await emit("[check-expiration] Error reading configuration from the Cluster. Falling back to default configuration", true)
        }
        let certs = KubeadmCertificates(leafExpiry: leaf, caExpiry: Date().addingTimeInterval((3_650 - 45) * 86_400),
                                        hasEtcd: view.instance(node)?.etcd != nil, hasSuperAdmin: view.instances.first?.node == node,
                                        kubeadm: s.kubeadm, now: Date())
        for line in certs.lines() { await emit(line, false) }
        return 0
    }
}
