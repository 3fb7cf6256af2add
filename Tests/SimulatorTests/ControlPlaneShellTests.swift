import Foundation
@testable import Simulator
import SkewCore
import Testing

/// kubeadm, etcdctl and etcdutl on simulated control-plane nodes: outputs per kubeadm version, refusals, and the
/// state each command changes.
@Suite("control-plane node shells")
struct ControlPlaneShellTests {
    /// One control-plane node and one worker at `version`, cp-1's kubeadm at `kubeadm`.
    static func single(_ version: String, kubeadm: String? = nil, etcd: String = "3.5.16-0", coreDNS: String = "v1.11.3") -> Scenario {
        Scenario(name: "single", controlPlaneVersion: version, etcdVersion: etcd, coreDNSVersion: coreDNS,
                 nodes: [NodeSpec(name: "cp-1", role: .controlPlane, kubelet: version, kubeadm: kubeadm),
                         NodeSpec(name: "node01", kubelet: version)])
    }

    func withShells<T>(_ scenario: Scenario, _ body: (RunningSimulator, SimulatedNodeShells) async throws -> T) async throws -> T {
        let sim = try await RunningSimulator.start(SimulatorOptions(scenario: scenario, shellSpeed: 0))
        do {
            let result = try await body(sim, try #require(sim.shells))
            try await sim.stop()
            return result
        } catch {
            try? await sim.stop()
            throw error
        }
    }

    @Test("the ha scenario loads caught mid-upgrade: cp-1 done, cp-2 with kubeadm only, cp-3 not started")
    func haScenario() async throws {
        let ha = try Scenario.named("ha")
        #expect(ha.nodes.filter { $0.role == .controlPlane }.map(\.name) == ["cp-1", "cp-2", "cp-3"])
        try await withShells(ha) { sim, shells in
            let view = await sim.cluster.controlPlaneView()
            #expect(view.kubeadmConfigVersion == "v1.33.3")
            #expect(view.instances.map(\.apiserver) == ["v1.33.3", "v1.32.9", "v1.32.9"])
            #expect(view.instances.map(\.etcd) == ["3.5.21-0", "3.5.16-0", "3.5.16-0"])
            #expect(view.kubeProxy == "v1.32.9" && view.coreDNS == "v1.11.3", "kubeadm waits for every instance before the addons")
            #expect(await sim.cluster.packages(of: "cp-2")?.kubeadm == "v1.33.3")
            #expect(await shells.capture("cp-2", ["kubeadm", "version", "-o", "short"]).stdout == ["v1.33.3"])
            #expect(await shells.capture("cp-3", ["kubeadm", "version", "-o", "short"]).stdout == ["v1.32.9"])
            let workers = view.kubelets.filter { !$0.node.hasPrefix("cp-") }.map(\.version)
            #expect(workers.contains { $0.hasPrefix("v1.32.") } && workers.contains { $0.hasPrefix("v1.33.") })
        }
    }

    @Test("upgrade plan (v1.33 kubeadm) mid-upgrade: header, per-node rows, the patch and stable sections, the config table")
    func planText() async throws {
        try await withShells(try Scenario.named("ha")) { _, shells in
            let r = await shells.capture("cp-1", ["kubeadm", "upgrade", "plan"])
            #expect(r.code == 0)
            let calendar = ReleaseCalendar.embedded()
            let v33 = try #require(calendar.release(MinorLine(major: 1, minor: 33))?.newestPatch)
            let v32 = try #require(calendar.release(MinorLine(major: 1, minor: 32))?.newestPatch)
            #expect(r.stdout.contains("[upgrade/versions] Cluster version: 1.32.9"))
            #expect(r.stdout.contains("[upgrade/versions] kubeadm version: v1.33.3"))
            #expect(r.stdout.contains("[upgrade/versions] Target version: \(v33)"))
            #expect(r.stdout.contains("[upgrade/versions] Latest version in the v1.32 series: \(v32)"))
            #expect(r.stderr.contains { $0.contains("remote version is much newer") && $0.hasSuffix("falling back to: stable-1.33") })
            #expect(r.stdout.contains("COMPONENT   NODE      CURRENT   TARGET"))
            #expect(r.stdout.contains("Upgrade to the latest version in the v1.32 series:"))
            #expect(r.stdout.contains("Upgrade to the latest stable version:"))
            // Go's tabwriter widens CURRENT for "3.5.16-0" (8 + 3 padding).
            #expect(r.stdout.contains("kube-apiserver            cp-2      v1.32.9    \(v33)"), "\(r.stdout.joined(separator: "\n"))")
            #expect(r.stdout.contains("kube-apiserver            cp-1      v1.33.3    \(v33)"))
            #expect(r.stdout.contains("kube-proxy                          1.32.9     \(v33)"))
            #expect(r.stdout.contains("CoreDNS                             v1.11.3    v1.12.0"))
            #expect(r.stdout.contains("etcd                      cp-3      3.5.16-0   3.5.21-0"))
            #expect(r.stdout.contains("\tkubeadm upgrade apply \(v33)"))
            #expect(r.stdout.contains("Note: Before you can perform this upgrade, you have to update kubeadm to \(v33)."))
            #expect(r.stdout.contains("kubelet.config.k8s.io     v1beta1           v1beta1             no"))
            #expect(r.stdout.filter { $0 == String(repeating: "_", count: 69) }.count == 3)
        }
    }

    @Test("upgrade plan before v1.30 counts kubelets per version and has no NODE column")
    func planTextOld() async throws {
        try await withShells(Self.single("v1.28.5", etcd: "3.5.9-0", coreDNS: "v1.10.1")) { _, shells in
            let r = await shells.capture("cp-1", ["kubeadm", "upgrade", "plan"])
            #expect(r.code == 0)
            #expect(r.stdout.contains("COMPONENT   CURRENT       TARGET"))
            #expect(r.stdout.contains("kubelet     2 x v1.28.5   v1.28.15"))
            #expect(r.stdout.contains("kube-apiserver            v1.28.5   v1.28.15"))
            #expect(!r.stdout.contains { $0.contains("NODE") })
            // The stable section stays within kubeadm's minor (remote is newer: falls back to stable-1.28).
            #expect(!r.stdout.contains("Upgrade to the latest stable version:"))
        }
    }

    @Test("upgrade plan -o json: UpgradePlan v1alpha3 after the health-check line; v1alpha2 before v1.30; none before v1.25")
    func planJSON() async throws {
        try await withShells(try Scenario.named("ha")) { _, shells in
            let r = await shells.capture("cp-2", ["kubeadm", "upgrade", "plan", "v1.33.3", "-o", "json"])
            #expect(r.code == 0)
            #expect(r.stdout.first == "[upgrade] Running cluster health checks")
            let text = r.stdout.dropFirst().joined(separator: "\n")
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(doc["kind"] as? String == "UpgradePlan")
            #expect(doc["apiVersion"] as? String == "output.kubeadm.k8s.io/v1alpha3")
            #expect(text.contains("\n    \"availableUpgrades\": ["), "four-space indentation as Go's MarshalIndent")
            let upgrades = try #require(doc["availableUpgrades"] as? [[String: Any]])
            let components = try #require(upgrades.first?["components"] as? [[String: Any]])
            #expect(components.contains { $0["name"] as? String == "kubeadm" && $0["nodeName"] == nil })
            #expect(components.contains { $0["name"] as? String == "kube-apiserver" && $0["nodeName"] as? String == "cp-3"
                && $0["currentVersion"] as? String == "v1.32.9" })
        }
        try await withShells(Self.single("v1.28.5")) { _, shells in
            let r = await shells.capture("cp-1", ["kubeadm", "upgrade", "plan", "-o", "json"])
            #expect(r.stdout.contains("    \"apiVersion\": \"output.kubeadm.k8s.io/v1alpha2\","))
            #expect(r.stdout.contains("                    \"currentVersion\": \"2 x v1.28.5\","))
        }
        try await withShells(Self.single("v1.24.17")) { _, shells in
            let r = await shells.capture("cp-1", ["kubeadm", "upgrade", "plan", "-o", "json"])
            #expect(r.code == 1 && r.stderr == ["Error: unknown shorthand flag: 'o' in -o"])
        }
    }

    @Test("upgrade apply (kubeadm 1.33): phases, the 1.32+ SUCCESS line, static pods, kubeadm-config and addons move")
    func applyNewWording() async throws {
        try await withShells(Self.single("v1.32.9", kubeadm: "v1.33.3")) { sim, shells in
            let r = await shells.capture("cp-1", ["sudo", "kubeadm", "upgrade", "apply", "v1.33.3", "--yes"])
            #expect(r.code == 0, "\(r.all)")
            #expect(r.stdout.contains("[upgrade/preflight] You have chosen to upgrade the cluster version to \"v1.33.3\""))
            #expect(r.stdout.contains("[upgrade/versions] Cluster version: v1.32.9"))
            #expect(r.stdout.contains("[upgrade/staticpods] Component \"etcd\" upgraded successfully!"))
            #expect(r.stdout.contains("[upgrade/control-plane] The control plane instance for this node was successfully upgraded!"))
            #expect(r.stdout.contains("[addons] Applied essential addon: kube-proxy"))
            #expect(r.stdout.suffix(4) == ["", "[upgrade] SUCCESS! A control plane node of your cluster was upgraded to \"v1.33.3\".", "",
                                           "[upgrade] Now please proceed with upgrading the rest of the nodes by following the right order."])
            #expect(!r.stdout.contains { $0.contains("Are you sure") })
            let view = await sim.cluster.controlPlaneView()
            #expect(view.instances.first == .init(node: "cp-1", apiserver: "v1.33.3", controllerManager: "v1.33.3",
                                                  scheduler: "v1.33.3", etcd: "3.5.21-0"))
            #expect(view.kubeadmConfigVersion == "v1.33.3")
            #expect(view.kubeProxy == "v1.33.3" && view.coreDNS == "v1.12.0")
            // Applying again at the same version changes nothing and says so.
            let again = await shells.capture("cp-1", ["kubeadm", "upgrade", "apply", "v1.33.3", "-y"])
            #expect(again.code == 0)
            #expect(again.stdout.contains("[upgrade/staticpods] Current and new manifests of kube-apiserver are equal, skipping upgrade"))
        }
    }

    @Test("upgrade apply (kubeadm 1.31): the pre-1.32 SUCCESS wording")
    func applyOldWording() async throws {
        try await withShells(Self.single("v1.30.14", kubeadm: "v1.31.14", etcd: "3.5.15-0")) { sim, shells in
            let r = await shells.capture("cp-1", ["kubeadm", "upgrade", "apply", "v1.31.14", "-f"])
            #expect(r.code == 0, "\(r.all)")
            #expect(r.stdout.contains("[upgrade/version] You have chosen to change the cluster version to \"v1.31.14\""))
            #expect(r.stdout.contains("[upgrade/apply] Upgrading your Static Pod-hosted control plane to version \"v1.31.14\" (timeout: 5m0s)..."))
            #expect(r.stdout.suffix(4) == ["", "[upgrade/successful] SUCCESS! Your cluster was upgraded to \"v1.31.14\". Enjoy!", "",
                                           "[upgrade/kubelet] Now that your control plane is upgraded, please proceed with upgrading your kubelets if you haven't already done so."])
            #expect(await sim.cluster.controlPlaneView().instances.first?.apiserver == "v1.31.14")
        }
    }

    @Test("upgrade apply refuses as kubeadm does: two minors, above kubeadm, unconfirmed, on a worker, an unknown patch")
    func applyRefusals() async throws {
        try await withShells(Self.single("v1.32.9", kubeadm: "v1.33.3")) { sim, shells in
            let tooFar = await shells.capture("cp-1", ["kubeadm", "upgrade", "apply", "v1.34.1", "--yes"])
            #expect(tooFar.code == 1)
            #expect(tooFar.stderr.prefix(3) == ["error execution phase preflight: the version argument is invalid due to these fatal errors:", "",
                                                "\t- Specified version to upgrade to \"v1.34.1\" is too high; kubeadm can upgrade only 1 minor version at a time"])
            #expect(tooFar.stderr.contains("\t- Specified version to upgrade to \"v1.34.1\" is one minor release higher than the kubeadm minor release (34 > 33). Such an upgrade is not supported"))
            #expect(tooFar.stderr.suffix(2) == ["Please fix the misalignments highlighted above and try upgrading again",
                                                "To see the stack trace of this error execute with --v=5 or higher"])

            let newerPatch = await shells.capture("cp-1", ["kubeadm", "upgrade", "apply", "v1.33.5", "--yes"])
            #expect(newerPatch.code == 1)
            #expect(newerPatch.stderr.contains("\t- Specified version to upgrade to \"v1.33.5\" is higher than the kubeadm version \"v1.33.3\". Upgrade kubeadm first using the tool you used to install kubeadm"))
            #expect(newerPatch.stderr.contains("Can be bypassed if you pass the --force flag"))

            let unconfirmed = await shells.capture("cp-1", ["kubeadm", "upgrade", "apply", "v1.33.3"])
            #expect(unconfirmed.code == 1)
            #expect(unconfirmed.stdout.last == "[upgrade] Are you sure you want to proceed? [y/N]: ")
            #expect(unconfirmed.stderr.first == "error execution phase preflight: won't proceed; the user didn't answer (Y|y) in order to continue")

            let worker = await shells.capture("node01", ["kubeadm", "upgrade", "apply", "v1.33.3", "--yes"])
            #expect(worker.code == 1 && worker.stderr.first?.contains("open /etc/kubernetes/admin.conf: no such file or directory") == true)

            let unknown = await shells.capture("cp-1", ["kubeadm", "upgrade", "apply", "v1.33.99", "--force"])
            #expect(unknown.code == 2 && unknown.stderr.contains { $0.contains("[ERROR ImagePull]") && $0.hasSuffix("registry.k8s.io/kube-apiserver:v1.33.99: not found") })

            // Nothing moved.
            #expect(await sim.cluster.controlPlaneView().instances.first?.apiserver == "v1.32.9")
            #expect(await sim.cluster.controlPlaneView().kubeadmConfigVersion == "v1.32.9")

            let forced = await shells.capture("cp-1", ["kubeadm", "upgrade", "apply", "v1.33.5", "--force"])
            #expect(forced.code == 0 && forced.stdout.contains("[upgrade/version] Found 1 potential version compatibility errors but skipping since the --force flag is set: "))
        }
    }

    @Test("upgrade node on the ha scenario's other control-plane nodes: static pods follow kubeadm-config; the last applies the addons")
    func upgradeNodeHA() async throws {
        try await withShells(try Scenario.named("ha")) { sim, shells in
            let cp2 = await shells.capture("cp-2", ["kubeadm", "upgrade", "node"])
            #expect(cp2.code == 0, "\(cp2.all)")
            #expect(cp2.stdout.contains("[upgrade/control-plane] Upgrading your Static Pod-hosted control plane instance to version \"v1.33.3\"..."))
            #expect(cp2.stdout.contains("[upgrade/addons] skip upgrade addons because control plane instances [cp-3] have not been upgraded"))
            #expect(await sim.cluster.controlPlaneView().instance("cp-2")?.apiserver == "v1.33.3")

            // cp-3's kubeadm is still 1.32: the simulator refuses to deploy a newer minor with it.
            let early = await shells.capture("cp-3", ["kubeadm", "upgrade", "node"])
            #expect(early.code == 1 && early.stderr.first?.contains("(33 > 32). Such an upgrade is not supported") == true)

            #expect(await shells.capture("cp-3", ["sed", "-i", "s#/core:/stable:/v[0-9][0-9]*\\.[0-9][0-9]*/#/core:/stable:/v1.33/#g", "/etc/yum.repos.d/kubernetes.repo"]).code == 0)
            #expect(await shells.capture("cp-3", ["yum", "install", "-y", "kubeadm-1.33.3-*", "--disableexcludes=kubernetes"]).code == 0)
            let cp3 = await shells.capture("cp-3", ["kubeadm", "upgrade", "node"])
            #expect(cp3.code == 0, "\(cp3.all)")
            #expect(cp3.stdout.contains("[addons] Applied essential addon: CoreDNS"))
            let view = await sim.cluster.controlPlaneView()
            #expect(view.instances.map(\.apiserver) == ["v1.33.3", "v1.33.3", "v1.33.3"])
            #expect(view.instances.map(\.etcd) == ["3.5.21-0", "3.5.21-0", "3.5.21-0"])
            #expect(view.kubeProxy == "v1.33.3" && view.coreDNS == "v1.12.0")
        }
    }

    @Test("certs check-expiration: kubeadm's tables, a certificate near expiry, renewal by upgrade, super-admin.conf on the init node only")
    func checkExpiration() async throws {
        try await withShells(try Scenario.named("ha")) { _, shells in
            let cp1 = await shells.capture("cp-1", ["kubeadm", "certs", "check-expiration"])
            #expect(cp1.code == 0)
            #expect(cp1.stdout.contains("CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED"))
            let apiserver = try #require(cp1.stdout.first { $0.hasPrefix("apiserver ") })
            #expect(apiserver.contains("   320d            ca                      no"), "\(apiserver)")
            #expect(cp1.stdout.contains { $0.hasPrefix("super-admin.conf ") })
            #expect(cp1.stdout.contains { $0.hasPrefix("etcd-ca ") && $0.contains("   9y              no") })
            #expect(cp1.stdout.contains("CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED"))

            let cp3 = await shells.capture("cp-3", ["kubeadm", "certs", "check-expiration"])
            #expect(cp3.stdout.contains { $0.hasPrefix("apiserver ") && $0.contains("   12d   ") })
            #expect(cp3.stdout.contains { $0.hasPrefix("!MISSING! super-admin.conf") })

            _ = await shells.capture("cp-2", ["kubeadm", "upgrade", "node"])
            let renewed = await shells.capture("cp-2", ["kubeadm", "certs", "check-expiration"])
            #expect(renewed.stdout.contains { $0.hasPrefix("apiserver ") && $0.contains("   364d   ") })
        }
    }

    @Test("HumanDuration and kubeadm's tabwriter match their Go originals")
    func formats() {
        #expect(KubeadmCertificates.humanDuration(348 * 86_400 + 5) == "348d")
        #expect(KubeadmCertificates.humanDuration((6 * 365 + 362) * 86_400 + 60) == "6y362d")
        #expect(KubeadmCertificates.humanDuration(9 * 365 * 86_400 + 100) == "9y")
        #expect(KubeadmCertificates.humanDuration(-10) == "<invalid>")
        #expect(KubeadmCertificates.humanDuration(3 * 86_400 + 5 * 3600) == "3d5h")
        #expect(TabWriter.lines([["COMPONENT", "NODE", "CURRENT", "TARGET"], ["kubelet", "node1", "v1.18.1", "v1.18.4"]])
                == ["COMPONENT   NODE      CURRENT   TARGET", "kubelet     node1     v1.18.1   v1.18.4"])
        #expect(KubeadmRelease.newerEtcd("3.5.9-0", "3.5.16-0") == "3.5.16-0")
    }

    @Test("etcdctl snapshot save with kubeadm's certificates, then etcdutl snapshot status reads the file")
    func etcdSnapshot() async throws {
        try await withShells(try Scenario.named("ha")) { _, shells in
            let pki = "/etc/kubernetes/pki/etcd/"
            let unmade = await shells.capture("cp-1", ["etcdctl", "--cacert=\(pki)ca.crt", "--cert=\(pki)server.crt", "--key=\(pki)server.key",
                                                       "snapshot", "save", "/var/lib/etcd-backup/pre-v1.33.db"])
            #expect(unmade.code == 1 && unmade.stderr.last == "Error: could not open /var/lib/etcd-backup/pre-v1.33.db.part (open /var/lib/etcd-backup/pre-v1.33.db.part: no such file or directory)")
            let noParent = await shells.capture("cp-1", ["mkdir", "/var/lib/etcd-backup/a/b"])
            #expect(noParent.code == 1 && noParent.stderr == ["mkdir: cannot create directory ‘/var/lib/etcd-backup/a/b’: No such file or directory"])
            #expect(await shells.capture("cp-1", ["sudo", "mkdir", "-p", "-m", "0700", "/var/lib/etcd-backup/"]).code == 0)
            #expect(await shells.capture("cp-1", ["mkdir", "-p", "/var/lib/etcd-backup"]).code == 0)
            #expect(await shells.capture("cp-1", ["mkdir", "/var/lib/etcd-backup"]).stderr == ["mkdir: cannot create directory ‘/var/lib/etcd-backup’: File exists"])
            let save = await shells.capture("cp-1", ["env", "ETCDCTL_API=3", "etcdctl", "--endpoints=https://127.0.0.1:2379",
                                                     "--cacert=\(pki)ca.crt", "--cert=\(pki)server.crt", "--key=\(pki)server.key",
                                                     "snapshot", "save", "/var/lib/etcd-backup/pre-v1.33.db"])
            #expect(save.code == 0, "\(save.all)")
            #expect(save.stdout == ["Snapshot saved at /var/lib/etcd-backup/pre-v1.33.db"])
            #expect(save.stderr.contains { $0.contains("\"msg\":\"saved\"") })

            let table = await shells.capture("cp-1", ["etcdutl", "--write-out=table", "snapshot", "status", "/var/lib/etcd-backup/pre-v1.33.db"])
            #expect(table.code == 0)
            #expect(table.stdout.count == 5)
            #expect(table.stdout[1] == "|   HASH   | REVISION | TOTAL KEYS | TOTAL SIZE |")
            #expect(table.stdout[3].range(of: #"^\| [0-9a-f]{8} \| +[0-9]+ \| +[0-9]+ \| [0-9.]+ MB +\|$"#, options: .regularExpression) != nil, "\(table.stdout)")
            let simple = await shells.capture("cp-1", ["etcdutl", "snapshot", "status", "/var/lib/etcd-backup/pre-v1.33.db"])
            #expect(simple.stdout.first?.split(separator: ",").count == 4)

            let elsewhere = await shells.capture("cp-2", ["etcdutl", "snapshot", "status", "/var/lib/etcd-backup/pre-v1.33.db"])
            #expect(elsewhere.code == 1 && elsewhere.stderr == ["Error: stat /var/lib/etcd-backup/pre-v1.33.db: no such file or directory"])
            let noCerts = await shells.capture("cp-1", ["etcdctl", "--endpoints=https://127.0.0.1:2379", "snapshot", "save", "/tmp/x.db"])
            #expect(noCerts.code == 1 && noCerts.stderr.last == "Error: context deadline exceeded")
            let badCert = await shells.capture("cp-1", ["etcdctl", "--cacert=\(pki)nope.crt", "--cert=\(pki)server.crt", "--key=\(pki)server.key", "snapshot", "save", "/tmp/x.db"])
            #expect(badCert.stderr == ["Error: open \(pki)nope.crt: no such file or directory"])
        }
    }

    @Test("the package repositories carry every patch of the release table, and nothing beyond")
    func repository() async throws {
        let newest = try #require(ReleaseCalendar.embedded().release(MinorLine(major: 1, minor: 33))?.newestPatch)
        #expect(PackageRepository.versions(MinorLine(major: 1, minor: 33)).count == newest.patch + 1)
        try await withShells(Self.single("v1.33.3")) { _, shells in
            _ = await shells.capture("node01", ["apt-mark", "unhold", "kubeadm"])
            let beyond = await shells.capture("node01", ["apt-get", "install", "-y", "kubeadm=\(newest.minor == 33 ? "1.33.\(newest.patch + 1)" : "")-*"])
            #expect(beyond.code == 100 && beyond.stderr.last?.hasPrefix("E: Version '1.33.\(newest.patch + 1)-*' for 'kubeadm' was not found") == true)
            let top = await shells.capture("node01", ["apt-get", "install", "-y", "kubeadm=\(newest.packageVersion)-*"])
            #expect(top.code == 0)
            let first = await shells.capture("node01", ["apt-get", "install", "-y", "kubeadm=1.33.0-*"])
            #expect(first.code == 0)
        }
    }
}
