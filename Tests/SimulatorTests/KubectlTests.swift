import Foundation
@testable import Simulator
import Testing

/// The real kubectl against the simulator: every command of issue 3, asserting on what kubectl prints, compared
/// with what it printed against a real kube-apiserver (shared/reference/apiserver-captures).
@Suite("kubectl against the simulator")
struct KubectlTests {
    @Test("kubectl version reports the simulated server version")
    func version() async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            let result = try await sim.kubectl(["version"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("Client Version: v1.33.1"))
            #expect(result.stdout.contains("Server Version: v1.33.3"))
            // Same minor as the client: no skew warning, unlike the capture's 1.33 client against a 1.36 server.
            #expect(!result.stderr.contains("WARNING"))
        }
    }

    @Test("kubectl get nodes prints the server-side Table", arguments: ["sim", "sim-token"])
    func getNodes(context: String) async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            let result = try await sim.kubectl(["get", "nodes"], context: context)
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n")
            #expect(lines.first?.split(separator: " ", omittingEmptySubsequences: true) == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"])
            let rows = tableRows(result.stdout)
            #expect(rows.keys.sorted() == ["cp-1", "node01", "node02", "node03", "node04"])
            #expect(rows["cp-1"] == ["cp-1", "Ready", "control-plane", "45d", "v1.33.3"])
            #expect(rows["node01"] == ["node01", "Ready", "<none>", "44d", "v1.33.2"])
            #expect(rows["node02"]?.last == "v1.30.9")
            #expect(rows["node03"]?.last == "v1.32.7")
        }
    }

    @Test("kubectl get nodes -o wide adds addresses, OS, kernel and runtime")
    func getNodesWide() async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            let result = try await sim.kubectl(["get", "nodes", "-o", "wide"])
            #expect(result.status == 0, "\(result.stderr)")
            let header = result.stdout.split(separator: "\n").first.map(String.init) ?? ""
            for column in ["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"] {
                #expect(header.contains(column))
            }
            let node01 = result.stdout.split(separator: "\n").first { $0.hasPrefix("node01 ") }.map(String.init) ?? ""
            #expect(node01.contains("127.0.1.1 "))
            #expect(node01.contains("Ubuntu 22.04.5 LTS"))
            #expect(node01.contains("5.15.0-131-generic (amd64)"))
            #expect(node01.hasSuffix("containerd://1.7.27"))
            let node03 = result.stdout.split(separator: "\n").first { $0.hasPrefix("node03 ") }.map(String.init) ?? ""
            #expect(node03.contains("Rocky Linux 9.5 (Blue Onyx)"))
        }
    }

    @Test("kubectl get nodes -o json returns full Node objects without managedFields")
    func getNodesJSON() async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            let result = try await sim.kubectl(["get", "nodes", "-o", "json"])
            #expect(result.status == 0, "\(result.stderr)")
            let list = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(list["kind"] as? String == "List")
            let items = try #require(list["items"] as? [[String: Any]])
            #expect(items.count == 5)
            var versions: [String: String] = [:]
            for item in items {
                #expect(item["kind"] as? String == "Node")
                let metadata = try #require(item["metadata"] as? [String: Any])
                // kubectl strips managedFields from its output, as it did against the real server.
                #expect(metadata["managedFields"] == nil)
                let info = try #require((item["status"] as? [String: Any])?["nodeInfo"] as? [String: Any])
                versions[metadata["name"] as? String ?? ""] = info["kubeletVersion"] as? String
                let images = try #require((item["status"] as? [String: Any])?["images"] as? [[String: Any]])
                #expect((33...40).contains(images.count))
            }
            #expect(versions == ["cp-1": "v1.33.3", "node01": "v1.33.2", "node02": "v1.30.9", "node03": "v1.32.7", "node04": "v1.33.3"])
        }
    }

    @Test("cordon and uncordon patch spec.unschedulable and show SchedulingDisabled")
    func cordonUncordon() async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            let cordon = try await sim.kubectl(["cordon", "node01"])
            #expect(cordon.status == 0, "\(cordon.stderr)")
            #expect(cordon.stdout == "node/node01 cordoned\n")
            let node = try #require(await sim.simulator.cluster.node("node01"))
            #expect(node[["spec", "unschedulable"]] == .bool(true))
            #expect(tableRows(try await sim.kubectl(["get", "nodes"]).stdout)["node01"]?[1] == "Ready,SchedulingDisabled")
            let again = try await sim.kubectl(["cordon", "node01"])
            #expect(again.stdout == "node/node01 already cordoned\n")

            let uncordon = try await sim.kubectl(["uncordon", "node01"])
            #expect(uncordon.status == 0, "\(uncordon.stderr)")
            #expect(uncordon.stdout == "node/node01 uncordoned\n")
            // The null in {"spec":{"unschedulable":null}} deletes the field, as on the real server.
            #expect(await sim.simulator.cluster.node("node01")?[["spec", "unschedulable"]] == nil)
            #expect(tableRows(try await sim.kubectl(["get", "nodes"]).stdout)["node01"]?[1] == "Ready")
        }
    }

    @Test("drain --ignore-daemonsets --delete-emptydir-data evicts and reports drained")
    func drainSucceeds() async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            let result = try await sim.kubectl(["drain", "node03", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=60s"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == """
                node/node03 cordoned
                evicting pod default/cache-5b8f7c9d4-m3n8w
                pod/cache-5b8f7c9d4-m3n8w evicted
                node/node03 drained

                """)
            #expect(result.stderr.hasPrefix("Warning: ignoring DaemonSet-managed Pods: default/agent-q8w3e, kube-system/kube-proxy-"))
            #expect(await sim.simulator.cluster.pod(namespace: "default", name: "cache-5b8f7c9d4-m3n8w") == nil)
            #expect(await sim.simulator.cluster.node("node03")?[["spec", "unschedulable"]] == .bool(true))
            // DaemonSet pods stay.
            #expect(await sim.simulator.cluster.pod(namespace: "default", name: "agent-q8w3e") != nil)
        }
    }

    @Test("a drain blocked by a PodDisruptionBudget retries until --timeout and fails naming the budget")
    func drainBlockedByPDB() async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            let result = try await sim.kubectl(["drain", "node01", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=6s"], timeout: 60)
            #expect(result.status == 1)
            #expect(result.stdout.hasPrefix("node/node01 cordoned\nevicting pod default/web-6d4cf56db6-x2k9q\n"))
            #expect(result.stderr.contains(#"error when evicting pods/"web-6d4cf56db6-x2k9q" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget."#))
            #expect(result.stderr.contains(#"There are pending pods in node "node01" when an error occurred: error when evicting pods/"web-6d4cf56db6-x2k9q" -n "default": global timeout reached: 6s"#))
            #expect(result.stderr.contains("There are pending nodes to be drained:\n node01\n"))
            #expect(result.seconds >= 6)
            #expect(await sim.simulator.cluster.pod(namespace: "default", name: "web-6d4cf56db6-x2k9q") != nil)

            // The 429 body names the budget (kubectl shows it at -v=8), and kubectl get pdb shows why.
            let body = sim.directory.path + "/eviction.json"
            try #"{"kind":"Eviction","apiVersion":"policy/v1","metadata":{"name":"web-6d4cf56db6-x2k9q","namespace":"default"}}"#
                .write(toFile: body, atomically: true, encoding: .utf8)
            let eviction = try await sim.kubectl(["create", "--raw", "/api/v1/namespaces/default/pods/web-6d4cf56db6-x2k9q/eviction",
                                            "-f", body, "-v=8"])
            #expect(eviction.status == 1)
            #expect(eviction.stderr.contains("The disruption budget web-pdb needs 2 healthy pods and has 2 currently"))
            #expect(eviction.stderr.contains("Error from server (TooManyRequests): Cannot evict pod as it would violate the pod's disruption budget."))
            let pdb = try await sim.kubectl(["get", "pdb", "web-pdb"])
            #expect(tableRows(pdb.stdout)["web-pdb"] == ["web-pdb", "2", "N/A", "0", "3d"])
        }
    }

    @Test("drain succeeds once the budget allows a disruption")
    func drainAfterBudgetAllows() async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            try await sim.simulator.cluster.addPod(PodSpec(name: "web-6d4cf56db6-n4b7z", node: "node02",
                                                           owner: OwnerSpec(kind: "ReplicaSet", name: "web-6d4cf56db6"),
                                                           labels: ["app": "web", "pod-template-hash": "6d4cf56db6"]))
            #expect(tableRows(try await sim.kubectl(["get", "pdb", "web-pdb"]).stdout)["web-pdb"]?[3] == "1")
            let result = try await sim.kubectl(["drain", "node01", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=30s"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("pod/web-6d4cf56db6-x2k9q evicted\nnode/node01 drained\n"))
            // The ReplicaSet replaced the evicted pod on another node: three healthy again, one disruption allowed.
            #expect(tableRows(try await sim.kubectl(["get", "pdb", "web-pdb"]).stdout)["web-pdb"]?[3] == "1")
            let wide = try await sim.kubectl(["get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].spec.nodeName}"])
            #expect(wide.stdout.split(separator: " ").count == 3 && !wide.stdout.contains("node01"), "\(wide.stdout)")
        }
    }

    @Test("errors are Status objects kubectl understands")
    func errors() async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            let missing = try await sim.kubectl(["get", "node", "nope"])
            #expect(missing.status == 1)
            #expect(missing.stderr == "Error from server (NotFound): nodes \"nope\" not found\n")
            let pod = try await sim.kubectl(["get", "pod", "nope", "-n", "kube-system"])
            #expect(pod.stderr == "Error from server (NotFound): pods \"nope\" not found\n")
            let selector = try await sim.kubectl(["get", "--raw", "/api/v1/pods?fieldSelector=spec.bogus%3Dx"])
            #expect(selector.stderr.contains("field label not supported: spec.bogus"))
        }
    }

    @Test("the token user is refused once its token expires and works again after rotation")
    func tokenExpiry() async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            #expect(try await sim.kubectl(["get", "nodes"], context: "sim-token").status == 0)
            var faults = FaultSettings()
            faults.tokenExpired = true
            await sim.simulator.setFaults(faults)
            let refused = try await sim.kubectl(["get", "nodes"], context: "sim-token")
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("error: You must be logged in to the server (the server has asked for the client to provide credentials)"))
            // Certificate users are unaffected.
            #expect(try await sim.kubectl(["get", "nodes"], context: "sim").status == 0)
            let old = sim.simulator.token
            let new = await sim.simulator.rotateToken()
            #expect(new != old)
            try sim.simulator.writeKubeconfig(to: sim.kubeconfig)
            #expect(try await sim.kubectl(["get", "nodes"], context: "sim-token").status == 0)
        }
    }

    @Test("kubectl get pods across namespaces shows the static control-plane pods and kube-proxy per node")
    func kubeSystemPods() async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            let result = try await sim.kubectl(["get", "pods", "-n", "kube-system", "-o", "wide"])
            #expect(result.status == 0, "\(result.stderr)")
            for name in ["kube-apiserver-cp-1", "kube-controller-manager-cp-1", "kube-scheduler-cp-1", "etcd-cp-1"] {
                #expect(tableRows(result.stdout)[name]?.prefix(3) == [name, "1/1", "Running"])
            }
            let proxies = try await sim.kubectl(["get", "pods", "-n", "kube-system", "-l", "k8s-app=kube-proxy",
                                           "-o", "jsonpath={range .items[*]}{.spec.nodeName}={.spec.containers[0].image}{\"\\n\"}{end}"])
            let images = Set(proxies.stdout.split(separator: "\n").map(String.init))
            #expect(images == ["cp-1=registry.k8s.io/kube-proxy:v1.33.3", "node01=registry.k8s.io/kube-proxy:v1.33.2",
                               "node02=registry.k8s.io/kube-proxy:v1.30.9", "node03=registry.k8s.io/kube-proxy:v1.32.7",
                               "node04=registry.k8s.io/kube-proxy:v1.33.3"])
            let config = try await sim.kubectl(["get", "configmap", "kubeadm-config", "-n", "kube-system", "-o", "jsonpath={.data.ClusterConfiguration}"])
            #expect(config.stdout.contains("kubernetesVersion: v1.33.3\n"))
            let onNode = try await sim.kubectl(["get", "pods", "-A", "--field-selector", "spec.nodeName=node01", "-o", "name"])
            #expect(onNode.stdout.split(separator: "\n").count == 3)  // web, agent, kube-proxy
        }
    }

    @Test("the read-only sim-viewer user can read but gets the real 403 message on writes")
    func viewerForbidden() async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            #expect(try await sim.kubectl(["get", "nodes"], context: "sim-viewer").status == 0)
            let cordon = try await sim.kubectl(["cordon", "node01"], context: "sim-viewer")
            // kubectl cordon reports the error but exits 0, against a real server too.
            #expect(cordon.stderr.contains(#"error: unable to cordon node "node01": nodes "node01" is forbidden: User "sim-viewer" cannot patch resource "nodes" in API group "" at the cluster scope"#))
            #expect(await sim.simulator.cluster.node("node01")?[["spec", "unschedulable"]] == nil)
        }
    }

    @Test("/version of an HA cluster answers from each apiserver in turn; static pods show each one")
    func highAvailability() async throws {
        let scenario = try Scenario.parse(yaml: """
            controlPlaneVersion: v1.32.7
            nodes:
              - {name: cp-1, role: control-plane, kubelet: v1.32.7, apiserver: v1.32.7}
              - {name: cp-2, role: control-plane, kubelet: v1.32.7, apiserver: v1.33.3}
              - {name: node01, kubelet: v1.31.11}
            """)
        try await SimulatorHarness.with(scenario) { sim in
            // A load balancer in front of both: successive requests reach each instance in turn.
            let version = try await sim.kubectl(["version"])
            #expect(version.stdout.contains("Server Version: v1.32.7") || version.stdout.contains("Server Version: v1.33.3"))
            // kubectl asks /version twice per run, so with two instances each run lands on the same one; the
            // server's answers themselves alternate.
            let answers = (0..<2).map { _ in sim.simulator.server.currentVersionDocument()["gitVersion"]?.stringValue ?? "" }
            #expect(Set(answers) == ["v1.32.7", "v1.33.3"])
            let images = try await sim.kubectl(["get", "pods", "-n", "kube-system", "-l", "component=kube-apiserver",
                                                "-o", "jsonpath={range .items[*]}{.metadata.name}={.spec.containers[0].image} {end}"])
            #expect(images.stdout == "kube-apiserver-cp-1=registry.k8s.io/kube-apiserver:v1.32.7 kube-apiserver-cp-2=registry.k8s.io/kube-apiserver:v1.33.3 ")
        }
    }

    @Test("kubectl get nodes --watch receives Table events")
    func tableWatch() async throws {
        // kubectl --watch ends when the server ends its watch: here after the one event the test makes, so no
        // deadline decides what kubectl printed (a 25 s one did, under the full suite's load on two cores).
        var faults = FaultSettings()
        faults.dropWatchAfterEvents = 1
        try await SimulatorHarness.with(try Scenario.named("default"), faults: faults) { sim in
            let watch = Task { try await sim.kubectl(["get", "nodes", "--watch", "--output-watch-events"], timeout: 600) }
            // The change comes once kubectl has listed and watches from the list's version (the deadline only
            // guards a kubectl that never opens its watch; the expectations below then say what it printed).
            let gate = ContinuousClock.now + .seconds(600)
            while await sim.simulator.cluster.openWatches < 1, ContinuousClock.now < gate {
                try await Task.sleep(for: .milliseconds(20))
            }
            try await sim.simulator.cluster.setKubeletVersion("node02", "v1.31.11")
            let result = try await watch.value
            #expect(!result.timedOut, "kubectl ends with the watch the server ended: \(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
            #expect(lines.first == ["EVENT", "NAME", "STATUS", "ROLES", "AGE", "VERSION"])
            #expect(lines.contains(["ADDED", "node02", "Ready", "<none>", "44d", "v1.30.9"]))
            #expect(lines.contains(["MODIFIED", "node02", "Ready", "<none>", "44d", "v1.31.11"]))
        }
    }

    @Test("kubectl 1.28 (as the dispatcher picks for a v1.28 server) uses legacy per-group discovery and still drains")
    func legacyDiscoveryKubectl() async throws {
        let scenario = try Scenario.parse(yaml: """
            controlPlaneVersion: v1.28.15
            nodes:
              - {name: cp-1, role: control-plane, kubelet: v1.28.15}
              - {name: node01, kubelet: v1.27.16}
            pods:
              - {name: web-1, node: node01, owner: {kind: ReplicaSet, name: web-abc}, labels: {app: web}}
            """)
        try await SimulatorHarness.with(scenario) { sim in
            let version = try await sim.kubectl(["version"], client: "1.28")
            #expect(version.stdout.contains("Client Version: v1.28."))
            #expect(version.stdout.contains("Server Version: v1.28.15"))
            #expect(tableRows(try await sim.kubectl(["get", "nodes"], client: "1.28").stdout)["node01"]?.last == "v1.27.16")
            let drain = try await sim.kubectl(["drain", "node01", "--ignore-daemonsets", "--timeout=30s"], client: "1.28")
            #expect(drain.status == 0, "\(drain.stderr)")
            #expect(drain.stdout == "node/node01 cordoned\nevicting pod default/web-1\npod/web-1 evicted\nnode/node01 drained\n")
        }
    }

    @Test("kubectl patch: strategic merge, merge, JSON patch and the status subresource")
    func patches() async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            let before = await sim.simulator.cluster.resourceVersion
            let strategic = try await sim.kubectl(["patch", "node", "node02", "-p", #"{"metadata":{"labels":{"team":"blue"}}}"#])
            #expect(strategic.stdout == "node/node02 patched\n", "\(strategic.stderr)")
            let merge = try await sim.kubectl(["patch", "node", "node02", "--type=merge", "-p", #"{"metadata":{"labels":{"tier":"gold"}}}"#])
            #expect(merge.stdout == "node/node02 patched\n", "\(merge.stderr)")
            let json = try await sim.kubectl(["patch", "node", "node02", "--type=json",
                                              "-p", #"[{"op":"remove","path":"/metadata/labels/team"}]"#])
            #expect(json.stdout == "node/node02 patched\n", "\(json.stderr)")
            let status = try await sim.kubectl(["patch", "node", "node02", "--subresource=status", "--type=merge",
                                                "-p", #"{"status":{"nodeInfo":{"kubeletVersion":"v1.31.11"}}}"#])
            #expect(status.stdout == "node/node02 patched\n", "\(status.stderr)")
            // The main resource ignores status changes, as on a real server.
            let ignored = try await sim.kubectl(["patch", "node", "node02", "--type=merge",
                                                 "-p", #"{"status":{"nodeInfo":{"kubeletVersion":"v9.9.9"}}}"#])
            #expect(ignored.stdout == "node/node02 patched (no change)\n", "\(ignored.stderr)")
            let node = try #require(await sim.simulator.cluster.node("node02"))
            #expect(node[["metadata", "labels", "tier"]] == .string("gold"))
            #expect(node[["metadata", "labels", "team"]] == nil)
            #expect(node[["status", "nodeInfo", "kubeletVersion"]] == .string("v1.31.11"))
            #expect(await sim.simulator.cluster.resourceVersion == before + 4)
            let managers = node[["metadata", "managedFields"]]?.arrayValue?.compactMap { $0["manager"]?.stringValue } ?? []
            // kubectl patch names itself as field manager, as in the capture nodes-patch-cordon.
            #expect(managers.contains("kubectl-patch"))
            #expect(tableRows(try await sim.kubectl(["get", "nodes"]).stdout)["node02"]?.last == "v1.31.11")
            let bad = try await sim.kubectl(["patch", "node", "node02", "--type=json", "-p", #"[{"op":"remove","path":"/nope"}]"#])
            #expect(bad.status == 1)
            #expect(bad.stderr.contains("The request is invalid: unable to remove nonexistent key: nope"))
        }
    }

    @Test("kubectl delete pod deletes and waits for it through a field-selected watch")
    func deletePod() async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            let result = try await sim.kubectl(["delete", "pod", "web-6d4cf56db6-p7r4t", "--timeout=20s"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "pod \"web-6d4cf56db6-p7r4t\" deleted\n")
            #expect(await sim.simulator.cluster.pod(namespace: "default", name: "web-6d4cf56db6-p7r4t") == nil)
            #expect(tableRows(try await sim.kubectl(["get", "pdb", "web-pdb"]).stdout)["web-pdb"]?[3] == "0")
            // Its ReplicaSet put a new pod in its place (a new name), as on a real cluster.
            let byLabel = try await sim.kubectl(["get", "pods", "-l", "app=web", "-o", "name"])
            let names = byLabel.stdout.split(separator: "\n").map(String.init)
            #expect(names.count == 2 && names.contains("pod/web-6d4cf56db6-x2k9q") && !names.contains("pod/web-6d4cf56db6-p7r4t"), "\(names)")
        }
    }
}
