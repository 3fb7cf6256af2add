/// The kube-apiserver static pods of a saved image, pointed at the ports this run listens on.
extension ClusterBuilder {
    /// `objects` with each kube-apiserver pod of a node in `ports` advertising `<its address>:<port>` (annotation and
    /// `--secure-port`): an image saved by an earlier run names the port that run happened to get.
    static func advertising(_ objects: [(ResourceType, JSONValue)], ports: [String: Int]) -> [(ResourceType, JSONValue)] {
        guard !ports.isEmpty else { return objects }
        return objects.map { type, object in
            guard type == .pods, object[["metadata", "namespace"]]?.stringValue == "kube-system",
                  object[["metadata", "labels", "component"]]?.stringValue == "kube-apiserver",
                  let node = object[["spec", "nodeName"]]?.stringValue, let port = ports[node],
                  let ip = object[["status", "hostIP"]]?.stringValue else { return (type, object) }
            var pod = object
            pod.set(["metadata", "annotations", advertiseAnnotation], .string("\(ip):\(port)"))
            if var containers = pod[["spec", "containers"]]?.arrayValue, !containers.isEmpty,
               let command = containers[0]["command"]?.arrayValue {
                containers[0]["command"] = .array(command.map { argument in
                    argument.stringValue?.hasPrefix("--secure-port=") == true ? .string("--secure-port=\(port)") : argument
                })
                pod.set(["spec", "containers"], .array(containers))
            }
            return (type, pod)
        }
    }
}
