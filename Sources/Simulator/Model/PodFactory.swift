import Foundation

/// Builds Pod, controller and other namespaced objects with the defaults the real server adds.
enum PodFactory {
    struct Container {
        var name: String
        var image: String
        var command: [String] = []
    }

    struct Owner {
        var apiVersion: String
        var kind: String
        var name: String
        var uid: String
    }

    static func pod(name: String, namespace: String, node: String, hostIP: String, podIP: String, labels: [String: String],
                    annotations: [String: String] = [:], owner: Owner?, containers: [Container], emptyDir: Bool = false,
                    hostNetwork: Bool = false, priorityClass: String? = nil, phase: String = "Running",
                    serviceAccount: String = "default", created: String, random: inout SeededRandom) -> JSONValue {
        var metadata: [(String, JSONValue)] = [("name", .string(name)), ("namespace", .string(namespace)),
                                               ("uid", .string(random.uuid())), ("generation", .int(1)),
                                               ("creationTimestamp", .string(created))]
        if !labels.isEmpty { metadata.append(("labels", .sortedMap(labels))) }
        if !annotations.isEmpty { metadata.append(("annotations", .sortedMap(annotations))) }
        if let owner {
            var reference: [(String, JSONValue)] = [("apiVersion", .string(owner.apiVersion)), ("kind", .string(owner.kind)),
                                                    ("name", .string(owner.name)), ("uid", .string(owner.uid)),
                                                    ("controller", .bool(true))]
            if owner.kind != "Node" { reference.append(("blockOwnerDeletion", .bool(true))) }
            metadata.append(("ownerReferences", .array([.object(reference)])))
        }
        metadata.append(("managedFields", .array([.object([
            ("manager", .string(owner?.kind == "DaemonSet" ? "kube-controller-manager" : owner == nil ? "kubectl-run" : owner?.kind == "Node" ? "kubelet" : "kube-controller-manager")),
            ("operation", .string("Update")), ("apiVersion", .string("v1")), ("time", .string(created)),
            ("fieldsType", .string("FieldsV1")),
            ("fieldsV1", .object([("f:metadata", .object([("f:labels", NodeFactory.fieldSet(Array(labels.keys)))]))])),
        ])])))

        var volumes: [JSONValue] = []
        var mounts: [JSONValue] = []
        if emptyDir {
            volumes.append(.object([("name", .string("scratch")), ("emptyDir", .object([]))]))
            mounts.append(.object([("name", .string("scratch")), ("mountPath", .string("/scratch"))]))
        }
        if !hostNetwork {
            let volumeName = "kube-api-access-\(random.podSuffix())"
            volumes.append(.object([("name", .string(volumeName)), ("projected", .object([
                ("sources", .array([
                    .object([("serviceAccountToken", .object([("expirationSeconds", .int(3607)), ("path", .string("token"))]))]),
                    .object([("configMap", .object([("name", .string("kube-root-ca.crt")), ("items", .array([
                        .object([("key", .string("ca.crt")), ("path", .string("ca.crt"))])]))]))]),
                    .object([("downwardAPI", .object([("items", .array([.object([("path", .string("namespace")), ("fieldRef", .object([
                        ("apiVersion", .string("v1")), ("fieldPath", .string("metadata.namespace"))]))])]))]))]),
                ])),
                ("defaultMode", .int(420)),
            ]))]))
            mounts.append(.object([("name", .string(volumeName)), ("readOnly", .bool(true)),
                                   ("mountPath", .string("/var/run/secrets/kubernetes.io/serviceaccount"))]))
        }
        let containerObjects: [JSONValue] = containers.map { c in
            var object: [(String, JSONValue)] = [("name", .string(c.name)), ("image", .string(c.image))]
            if !c.command.isEmpty { object.append(("command", .array(c.command.map { .string($0) }))) }
            object.append(("resources", .object([])))
            if !mounts.isEmpty { object.append(("volumeMounts", .array(mounts))) }
            object.append(contentsOf: [("terminationMessagePath", .string("/dev/termination-log")),
                                       ("terminationMessagePolicy", .string("File")),
                                       ("imagePullPolicy", .string("IfNotPresent"))])
            return .object(object)
        }
        var spec: [(String, JSONValue)] = []
        if !volumes.isEmpty { spec.append(("volumes", .array(volumes))) }
        spec.append(contentsOf: [("containers", .array(containerObjects)), ("restartPolicy", .string("Always")),
                                 ("terminationGracePeriodSeconds", .int(0)), ("dnsPolicy", .string("ClusterFirst")),
                                 ("serviceAccountName", .string(serviceAccount)), ("serviceAccount", .string(serviceAccount)),
                                 ("nodeName", .string(node))])
        if hostNetwork { spec.append(("hostNetwork", .bool(true))) }
        spec.append(contentsOf: [("securityContext", .object([])), ("schedulerName", .string("default-scheduler")),
                                 ("tolerations", .array([
                                    .object([("key", .string("node.kubernetes.io/not-ready")), ("operator", .string("Exists")),
                                             ("effect", .string("NoExecute")), ("tolerationSeconds", .int(300))]),
                                    .object([("key", .string("node.kubernetes.io/unreachable")), ("operator", .string("Exists")),
                                             ("effect", .string("NoExecute")), ("tolerationSeconds", .int(300))]),
                                 ]))])
        if let priorityClass {
            spec.append(("priorityClassName", .string(priorityClass)))
            spec.append(("priority", .int(2_000_001_000)))
        } else {
            spec.append(("priority", .int(0)))
        }
        spec.append(contentsOf: [("enableServiceLinks", .bool(true)), ("preemptionPolicy", .string("PreemptLowerPriority"))])

        let running = phase == "Running"
        func condition(_ type: String) -> JSONValue {
            .object([("type", .string(type)), ("status", .string(running ? "True" : "False")), ("lastProbeTime", .null),
                     ("lastTransitionTime", .string(created))])
        }
        var status: [(String, JSONValue)] = [("phase", .string(phase))]
        if running {
            status.append(("conditions", .array(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"].map(condition))))
            status.append(contentsOf: [("hostIP", .string(hostIP)), ("hostIPs", .array([.object([("ip", .string(hostIP))])])),
                                       ("podIP", .string(podIP)), ("podIPs", .array([.object([("ip", .string(podIP))])])),
                                       ("startTime", .string(created))])
            status.append(("containerStatuses", .array(containers.map { c in
                .object([("name", .string(c.name)), ("state", .object([("running", .object([("startedAt", .string(created))]))])),
                         ("lastState", .object([])), ("ready", .bool(true)), ("restartCount", .int(0)),
                         ("image", .string(c.image)), ("imageID", .string(imageID(c.image, random: &random))),
                         ("containerID", .string("containerd://" + random.hex(64))), ("started", .bool(true))])
            })))
            status.append(("qosClass", .string("BestEffort")))
        } else {
            status.append(("conditions", .array([condition("PodScheduled")])))
            status.append(("qosClass", .string("BestEffort")))
        }
        return .object([("metadata", .object(metadata)), ("spec", .object(spec)), ("status", .object(status))])
    }

    static func imageID(_ image: String, random: inout SeededRandom) -> String {
        let repo = image.split(separator: ":").dropLast().joined(separator: ":")
        return "\(repo.isEmpty ? image : repo)@sha256:\(random.hex(64))"
    }

    /// A DaemonSet or ReplicaSet whose pod template runs `image`.
    static func controller(kind: String, name: String, namespace: String, uid: String, labels: [String: String],
                           image: String, containerName: String, desired: Int, created: String) -> JSONValue {
        let selector = JSONValue.object([("matchLabels", .sortedMap(labels))])
        let template = JSONValue.object([
            ("metadata", .object([("labels", .sortedMap(labels))])),
            ("spec", .object([("containers", .array([.object([
                ("name", .string(containerName)), ("image", .string(image)), ("resources", .object([])),
                ("terminationMessagePath", .string("/dev/termination-log")), ("terminationMessagePolicy", .string("File")),
                ("imagePullPolicy", .string("IfNotPresent")),
            ])])), ("restartPolicy", .string("Always")), ("terminationGracePeriodSeconds", .int(30)),
                ("dnsPolicy", .string("ClusterFirst")), ("securityContext", .object([])),
                ("schedulerName", .string("default-scheduler"))])),
        ])
        var metadata: [(String, JSONValue)] = [("name", .string(name)), ("namespace", .string(namespace)), ("uid", .string(uid)),
                                               ("generation", .int(1)), ("creationTimestamp", .string(created)),
                                               ("labels", .sortedMap(labels))]
        if kind == "DaemonSet" {
            metadata.append(("annotations", .object([("deprecated.daemonset.template.generation", .string("1"))])))
            return .object([
                ("metadata", .object(metadata)),
                ("spec", .object([("selector", selector), ("template", template),
                                  ("updateStrategy", .object([("type", .string("RollingUpdate")), ("rollingUpdate", .object([
                                      ("maxUnavailable", .int(1)), ("maxSurge", .int(0))]))])),
                                  ("revisionHistoryLimit", .int(10))])),
                ("status", .object([("currentNumberScheduled", .int(desired)), ("numberMisscheduled", .int(0)),
                                    ("desiredNumberScheduled", .int(desired)), ("numberReady", .int(desired)),
                                    ("observedGeneration", .int(1)), ("updatedNumberScheduled", .int(desired)),
                                    ("numberAvailable", .int(desired))])),
            ])
        }
        metadata.append(("annotations", .object([("deployment.kubernetes.io/desired-replicas", .string(String(desired))),
                                                 ("deployment.kubernetes.io/max-replicas", .string(String(desired + 1))),
                                                 ("deployment.kubernetes.io/revision", .string("1"))])))
        return .object([
            ("metadata", .object(metadata)),
            ("spec", .object([("replicas", .int(desired)), ("selector", selector), ("template", template)])),
            ("status", .object([("replicas", .int(desired)), ("fullyLabeledReplicas", .int(desired)),
                                ("readyReplicas", .int(desired)), ("availableReplicas", .int(desired)),
                                ("observedGeneration", .int(1))])),
        ])
    }
}
